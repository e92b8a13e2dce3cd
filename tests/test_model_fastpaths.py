"""The records model's shortcuts validate exactly as the validators they replace (property tests; no timings).

Two Python validators that pydantic-core called for nearly every value of a report were replaced
(issue 18): a number typed as text now becomes text inside pydantic-core (``coerce_numbers_to_str``)
rather than in ``_text``, and an item written as plain text becomes ``{text: …}`` once per items
list (``model._items``) rather than in a model validator per item.  Each is compared here with a
copy of the code it replaces, on random values: the same result, or the same errors (type,
location, message, input).  The one value the old way took and the new cannot, an int too long
for Python to print, is refused by the loader first, with its place.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BeforeValidator, Field, ValidationError, model_validator

from summarykit.errors import RecordsError
from summarykit.records import model
from summarykit.records.loading import load_data
from summarykit.records.validation import validation_problems
from summarykit.records.yamlmarks import Marked


def _old_text(value: Any) -> Any:
    """model._text as it was: numbers typed where text was expected become text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


_OldText = Annotated[str, BeforeValidator(_old_text)]


class _OldTexts(model.Strict):
    text: _OldText = ""
    texts: list[_OldText] = Field(default_factory=list)
    heading: Annotated[str, BeforeValidator(_old_text), BeforeValidator(model._heading_text)] | None = None
    copy_number: Annotated[str, Field(pattern=r"^\d{1,6}$"), BeforeValidator(_old_text)] | None = None
    name: _OldText = Field(default="x", min_length=1)


_COPY_NUMBER = model.Official.model_fields["copy_number"].annotation


class _NewTexts(model.Strict):
    text: model.Text = ""
    texts: list[model.Text] = Field(default_factory=list)
    heading: model.HeadingText | None = None
    copy_number: _COPY_NUMBER = None  # type: ignore[valid-type]
    name: model.Text = Field(default="x", min_length=1)


def _outcome(cls: type[model.Strict], data: Any, *, quoted: bool = False) -> Any:
    """A model's dump and the fields it was given, or its errors in a comparable form and the messages.

    ``quoted``: an error's input as the old validator passed it on, a number as its text.  Only a
    text constraint can fail on a number made text (copy_number's pattern), and pydantic-core names
    the number as typed where the validator named its text; the messages quote the value in the
    records (validation._data_path), which is why they are compared as well.
    """
    try:
        done = cls.model_validate(data)
    except ValidationError as exc:
        errors = [(e["type"], e["loc"], e["msg"], repr(_as_text(e["input"]) if quoted and e["type"] in _TEXT_CHECKS else e["input"]))
                  for e in exc.errors(include_url=False)]
        problems = validation_problems(exc, Marked(data, {}), "t.yaml", model=cls)
        return errors, [(p.message, p.path, p.hint) for p in problems]
    return done.model_dump(), done.model_fields_set, _fields_sets(done)


_TEXT_CHECKS = {"string_pattern_mismatch", "string_too_short", "string_too_long"}


def _as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _fields_sets(done: Any) -> Any:
    """model_fields_set of every item below (the "text or metrics" check reads it)."""
    return [sorted(item.model_fields_set) for item in getattr(done, "items", [])]


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10**400, 10**400), st.floats(),
    st.sampled_from([0, -0.0, 1e16, 1e-7, 2026, 123456, 1234567, "  2026 ", "", " ", "\u3000", "\u200b",
                     "12", "x", "一、标题", math.inf, -math.inf, math.nan, b"bytes", "ok\u3000"]),
    st.text(max_size=8), st.lists(st.integers(0, 9) | st.text(max_size=3), max_size=3),
    st.dictionaries(st.sampled_from(["a", "text"]), st.integers(0, 9), max_size=2),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["text", "texts", "heading", "copy_number", "name", "other"]),
                       _VALUES | st.lists(_VALUES, max_size=3), max_size=4))
def test_numbers_become_text_as_the_python_validator_made_them(data: dict[str, Any]) -> None:
    assert _outcome(_NewTexts, data, quoted=True) == _outcome(_OldTexts, data)


class _OldHolder(model.Strict):
    items: list[Any] = Field(default_factory=list)


def _old_item_model() -> type[model.Strict]:
    """model.Item with the model validator it had (the name kept: pydantic's messages name the class)."""

    class Item(model.Item):
        @model_validator(mode="before")
        @classmethod
        def _from_string(cls, data: Any) -> Any:
            if isinstance(data, str | int | float) and not isinstance(data, bool):
                return {"text": data}
            return data

    class _Holder(model.Strict):
        items: list[Item] = Field(default_factory=list)

    return _Holder


_OLD_ITEMS = _old_item_model()


class _NewItems(model.Strict):
    items: model.Items = Field(default_factory=list)


_ITEM_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(), st.text(max_size=6),
    st.sampled_from(["完成了维修。", "  有空格  ", "", "二是……"]),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.sampled_from(["text", "metrics", "details", "images", "extra"]), st.one_of(
        st.none(), st.booleans(), st.integers(0, 99), st.text(max_size=4), st.lists(st.text(max_size=3), max_size=2),
        st.just([]), st.just([{"name": "a", "value": 1, "unit": "件"}]), st.just([{"name": "a"}]), st.just(["图.png"]),
    ), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_ITEM_VALUES, max_size=5), _ITEM_VALUES))
def test_items_written_as_text_validate_as_the_model_validator_made_them(items: Any) -> None:
    data = {"items": items}
    assert _outcome(_NewItems, data) == _outcome(_OLD_ITEMS, data)


def test_every_items_list_of_the_model_takes_the_short_form() -> None:
    """The three places items are written (a category, a part, a section) all turn text into items."""
    items = model.Items
    assert model.Category.model_fields["items"].rebuild_annotation() == items
    assert model.Part.model_fields["items"].rebuild_annotation() == items
    assert model.Section.model_fields["items"].rebuild_annotation() == items
    report = model.Report.model_validate({"achievements": [{"heading": "甲", "items": ["一", 2]}],
                                          "problems": ["三"], "sections": [{"heading": "乙", "items": [4.5]}]})
    assert [i.text for i in report.achievements[0].items] == ["一", "2"]
    assert [i.text for i in report.problems.items] == ["三"]
    assert [i.text for i in report.sections[0].items] == ["4.5"]


def test_an_int_too_long_to_print_is_refused_at_its_place_and_a_long_one_is_text() -> None:
    with pytest.raises(RecordsError) as caught:
        load_data({"meta": {"organization": "某单位"}, "intro": ["开头", 10**5000]})
    (problem,) = caught.value.problems
    assert problem.message.startswith("数字太长（超过 ") and problem.path == "intro[1]"
    assert load_data({"intro": [10**600]}).intro == [str(10**600)]
