"""The pydantic models finished from the user cache folder behave exactly as freshly built ones.

records/modelcache.py keeps each model's core schema, validator and serializer between runs.
These tests build the models both ways — in a process with the cache turned off
(SUMMARYKIT_MODEL_CACHE=0) and in processes that write and then read a cache in a
temporary folder — and check that:

* the cached schemas equal the fresh ones, and the classes end up with the same state;
* random records (hypothesis, valid and broken) give the same Report or the same error list;
* the command line prints byte-for-byte the same (located Chinese messages included);
* a stale, damaged or foreign cache file is ignored (and a hostile one runs nothing);
* the shipped models can be kept at all (no lambda or local function in a schema).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import summarykit.style as style_module
from summarykit.records import model as model_module
from summarykit.records import modelcache

from .test_properties import ANY_RECORDS, examples

REPO = Path(__file__).resolve().parents[1]
#: The folder the summarykit under test was imported from: the repository's src (an editable install) or
#: site-packages (``pip install .``, as CI does); a child must import the same one, or its cache file is another's.
IMPORTED_FROM = Path(modelcache.__file__).resolve().parents[2]
SETS = {  # the name given to modelcache.complete → (module, models)
    "summarykit.records.model": ("summarykit.records.model", model_module.MODELS),
    "summarykit.style.parts": ("summarykit.style", style_module.PARTS),
    "summarykit.style": ("summarykit.style", (style_module.Style,)),
}

# Run in a fresh interpreter: import the models, report whether the cache supplied them, and pickle
# (plainly) what they were finished with, so that this process can compare.
_PROBE = """
import pickle, sys
import summarykit.style as style
from summarykit.records import model, modelcache
sets = {"summarykit.records.model": model.MODELS, "summarykit.style.parts": style.PARTS,
        "summarykit.style": (style.Style,)}
state = {name: {m.__qualname__: sorted(k for k in vars(m) if k != "__signature__") for m in models}
         for name, models in sets.items()}
entries = {name: {m.__qualname__: tuple(vars(m)[a] for a in modelcache._ATTRIBUTES) for m in models}
           for name, models in sets.items()}
sys.stdout.buffer.write(pickle.dumps({"from_cache": dict(modelcache.FROM_CACHE), "state": state,
                                      "entries": entries, "json": model.Report.model_json_schema()}))
"""


def _env(cache: Path, **extra: str) -> dict[str, str]:
    """A child's environment: its own cache folder, and the cache used whatever pydantic is installed
    (``force``: these tests are how a new pydantic release is checked before it joins VERIFIED)."""
    env = {k: v for k, v in os.environ.items() if k not in {"SUMMARYKIT_MODEL_CACHE", "PYTHONPATH"}}
    env.update(XDG_CACHE_HOME=str(cache), PYTHONPATH=str(IMPORTED_FROM), SUMMARYKIT_MODEL_CACHE="force")
    env.update(extra)
    return env


def _probe(cache: Path, **extra: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, env=_env(cache, **extra),
                          cwd=REPO, timeout=120)
    if done.returncode and b"Can't pickle local object" in done.stderr:  # pydantic 2.9 and older
        pytest.skip("this pydantic puts local functions in its schemas: nothing is cached, nothing to compare")
    assert done.returncode == 0, done.stderr.decode()
    return pickle.loads(done.stdout)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A fresh build (cache off), the run that writes the cache, and the run that reads it."""
    cache = tmp_path_factory.mktemp("cache")
    fresh = _probe(cache, SUMMARYKIT_MODEL_CACHE="0")
    assert not any((cache / "summarykit").glob("pydantic-*")), "the cache was turned off: nothing written"
    writer = _probe(cache)
    reader = _probe(cache)
    return {"cache": cache, "fresh": fresh, "writer": writer, "reader": reader}


def test_the_second_run_takes_every_model_from_the_cache(runs: dict[str, Any]) -> None:
    assert runs["fresh"]["from_cache"] == dict.fromkeys(SETS, False)
    assert runs["writer"]["from_cache"] == dict.fromkeys(SETS, False)
    assert runs["reader"]["from_cache"] == dict.fromkeys(SETS, True)
    assert sorted(p.name for p in (runs["cache"] / "summarykit").glob("pydantic-*")) == sorted(
        modelcache.cache_file(name).name for name in SETS)


def _without_ids(schema: Any) -> Any:
    """pydantic names a model's definition module.Class:id(class): the id is the writing process's."""
    if isinstance(schema, dict):
        return {k: re.sub(r":\d+$", ":id", v) if k in {"ref", "schema_ref"} and isinstance(v, str)
                else _without_ids(v) for k, v in schema.items()}
    if isinstance(schema, list | tuple):
        return type(schema)(_without_ids(v) for v in schema)
    return schema


def test_cached_schemas_and_class_state_equal_the_fresh_build(runs: dict[str, Any]) -> None:
    fresh, reader = runs["fresh"], runs["reader"]
    for name in SETS:
        for model, (schema, _, _) in fresh["entries"][name].items():
            cached = reader["entries"][name][model][0]
            assert modelcache.same_schema(_without_ids(cached), _without_ids(schema)), (name, model)
        # the same class attributes (pydantic's __signature__ aside, which the cached path does not set)
        assert reader["state"][name] == fresh["state"][name]
    assert reader["json"] == fresh["json"]


def _outcome(validator: Any, data: Any) -> tuple[str, Any]:
    from pydantic import ValidationError

    try:
        return "ok", validator.validate_python(data).model_dump(mode="json")
    except ValidationError as exc:  # ctx holds the ValueError raised, which compares by identity: its repr
        errors = [{**e, "ctx": {k: repr(v) if isinstance(v, Exception) else v for k, v in e["ctx"].items()}}
                  if "ctx" in e else e for e in exc.errors(include_url=False)]
        return "error", (exc.title, errors)


class _Pair(tuple):  # type: ignore[type-arg]
    def __repr__(self) -> str:  # a validator's repr runs to pages: keep hypothesis' report readable
        return "(fresh, cached)"


@pytest.fixture(scope="module")
def validators(runs: dict[str, Any]) -> tuple[Any, Any]:
    """Report's validator as built fresh, and as read back from the cache file (what a cached run installs)."""
    fresh = runs["fresh"]["entries"]["summarykit.records.model"]["Report"][1]
    name = "summarykit.records.model"
    file = runs["cache"] / "summarykit" / modelcache.cache_file(name).name
    entries = modelcache.read_entries(file, modelcache.cache_key(name), name, model_module.MODELS)
    assert entries is not None
    return _Pair((fresh, entries["Report"][1]))


@examples(0.5)
@given(data=ANY_RECORDS)
def test_random_records_get_the_same_report_or_the_same_errors(validators: tuple[Any, Any], data: Any) -> None:
    fresh, cached = validators
    assert _outcome(cached, data) == _outcome(fresh, data)
    assert _outcome(model_module.Report.__pydantic_validator__, data) == _outcome(fresh, data)


VALUES = st.one_of(
    st.integers(-10, 300), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.sampled_from(["三号", "小四", "十号", "16pt", "12磅", "auto", "true", "off", "right", "center", "left",
                     "— {n} —", "{n}", "第{n:02d}页", "（{cn}）", "{circled}", "{cn}{n}", "FF0000", "red", "x", ""]),
    st.lists(st.booleans(), max_size=6), st.lists(st.sampled_from(["{cn}、", "（{cn}）", "{n}.", "x"]), max_size=6))


def _part(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of a style part's keys (and now and then a misspelt one), each with any of VALUES."""
    keys = [*model.model_fields, "colour", "Width_mm"]
    return st.dictionaries(st.sampled_from(keys), VALUES, max_size=4)


STYLES = st.fixed_dictionaries({}, optional={
    **{name: _part(info.annotation) for name, info in style_module.Style.model_fields.items()
       if isinstance(info.annotation, type) and issubclass(info.annotation, style_module.BaseModel)},
    "page_numbers": st.one_of(st.booleans(), st.sampled_from(["false", "on"]), _part(style_module.PageNumbers)),
    "date_style": VALUES, "numbering_mode": VALUES, "emphasis": VALUES, "fonts_": VALUES,
    "new_page": st.lists(st.sampled_from(["achievements", "plans", "sections", "x"]), max_size=3),
    "schemes": st.dictionaries(st.sampled_from(["mine", "a b", "x-1"]), VALUES, max_size=2),
})


@pytest.fixture(scope="module")
def style_validators(runs: dict[str, Any]) -> tuple[Any, Any]:
    fresh = runs["fresh"]["entries"]["summarykit.style"]["Style"][1]
    file = runs["cache"] / "summarykit" / modelcache.cache_file("summarykit.style").name
    entries = modelcache.read_entries(file, modelcache.cache_key("summarykit.style"), "summarykit.style",
                                      (style_module.Style,))
    assert entries is not None
    return _Pair((fresh, entries["Style"][1]))


@examples(0.5)
@given(data=STYLES)
def test_random_styles_get_the_same_style_or_the_same_errors(style_validators: tuple[Any, Any],
                                                             data: dict[str, Any]) -> None:
    fresh, cached = style_validators
    assert _outcome(cached, data) == _outcome(fresh, data)
    assert _outcome(style_module.Style.__pydantic_validator__, data) == _outcome(fresh, data)


BAD = """meta:
  organization: 某某中学
  date: 2026年2月30日
  org_type: 工厂
achievements:
  - heading: "　"
    itmes: [打扫]
    metrics:
      - {name: 工单, value: 约x, unit: 件}
official:
  copy_number: abc
plans: [{text: 下一步, metrics: [{name: 人数, value: 1e999999999, unit: 人}]}]
"""
BAD_STYLE = """page: {left_mm: 150, right_mm: 90}
sizes: {body: 十号}
headings: {bold: []}
numbering_mode: none
schemes: {"a b": ["{cn}"]}
"""


def test_the_command_line_prints_the_same_with_and_without_the_cache(runs: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "style.yaml").write_text(BAD_STYLE, encoding="utf-8")
    samples = sorted(str(p) for p in (REPO / "sample_data").glob("*.yaml"))
    out = tmp_path / "out.md"
    commands = {  # command → the exit status expected
        ("validate", *samples): 0, ("validate", str(tmp_path / "bad.yaml")): 2,
        ("validate", "--json", str(tmp_path / "bad.yaml")): 2,
        ("render", samples[0], "--style", str(tmp_path / "style.yaml"), "-o", str(out)): 2,
        ("render", samples[0], "--fonts", "gov", "-o", str(out)): 0,
    }
    code = "import sys; from summarykit.cli.main import main; sys.exit(main())"
    for command, status in commands.items():
        outputs = []
        for extra in ({"SUMMARYKIT_MODEL_CACHE": "0"}, {}):
            out.unlink(missing_ok=True)
            done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, cwd=tmp_path,
                                  env=_env(runs["cache"], **extra), timeout=120)
            outputs.append((done.returncode, done.stdout, done.stderr, out.read_bytes() if out.exists() else None))
        assert outputs[0] == outputs[1], command
        assert outputs[0][0] == status, outputs[0]


def _header(key: str) -> bytes:
    return modelcache.FORMAT + b"\n" + key.encode() + b"\n"


def test_a_stale_or_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    name = "summarykit.records.model"
    folder = tmp_path / "summarykit"
    folder.mkdir()
    file = folder / modelcache.cache_file(name).name
    good = modelcache.dump_entries(modelcache.cache_key(name), model_module.MODELS)
    assert good is not None
    body = good.split(b"\n", 2)[2]
    key = modelcache.cache_key(name)
    bad_files = {
        "another key": _header("0" * len(key)) + body,
        "another format": b"summarykit-models 0\n" + key.encode() + b"\n" + body,
        "cut short": good[: len(good) // 2],
        "not a pickle": _header(key) + b"\x00garbage" * 20,
        "wrong models": _header(key) + pickle.dumps({"Report": None}),
        "empty": b"",
    }
    for label, data in bad_files.items():
        file.write_bytes(data)
        assert modelcache.read_entries(file, key, name, model_module.MODELS) is None, label
        assert _probe(tmp_path)["from_cache"][name] is False, label  # built the ordinary way…
        assert modelcache.read_entries(file, key, name, model_module.MODELS) is not None, label  # …and kept


class _Touch:
    """A pickle payload that would create a file if it were ever called."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.path}",))


class _Gadget:
    """getattr(Report, '__class__'): the first step of a getattr chain out of the models."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (getattr, (model_module.Report, "__class__"))


def test_a_hostile_cache_file_runs_nothing(tmp_path: Path) -> None:
    name = "summarykit.records.model"
    marker = tmp_path / "ran"
    for payload in (_Touch(marker), _Gadget(), {"Report": (_Touch(marker), None, None)}):
        data = pickle.dumps(payload)
        assert modelcache.load_entries(data, name, model_module.MODELS) is None
    with pytest.raises(pickle.UnpicklingError):
        modelcache._Unpickler(io.BytesIO(pickle.dumps(_Touch(marker))), name, model_module.MODELS).load()
    assert not marker.exists()


def test_the_shipped_models_can_be_kept(tmp_path: Path) -> None:
    for name, (module, models) in SETS.items():
        data = modelcache.dump_entries(modelcache.cache_key(module), models)
        assert data is not None, f"{name}: a schema that cannot be pickled faithfully (a lambda?)"
        file = tmp_path / f"{name}.pickle"
        file.write_bytes(data)
        entries = modelcache.read_entries(file, modelcache.cache_key(module), module, models)
        assert entries is not None and set(entries) == {m.__qualname__ for m in models}


def test_the_key_follows_the_versions_and_the_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic.version

    name = "summarykit.records.model"
    key = modelcache.cache_key(name)
    assert modelcache.cache_key(name) == key
    files = modelcache.source_files(name)
    assert model_module.__file__ in files
    assert any(f.endswith(os.path.join("zh", "orgtype.py")) for f in files)  # ORG_TYPES is in a description
    monkeypatch.delenv("SUMMARYKIT_MODEL_CACHE", raising=False)
    monkeypatch.setattr(pydantic.version, "VERSION", "2.99.0")
    assert modelcache.cache_key(name) != key
    assert not modelcache.enabled()  # a pydantic the cached path was not checked with: the ordinary build
    monkeypatch.setenv("SUMMARYKIT_MODEL_CACHE", "force")
    assert modelcache.enabled()
    monkeypatch.setenv("SUMMARYKIT_MODEL_CACHE", "0")
    assert not modelcache.enabled()


def test_the_installed_pydantic_is_one_the_cache_was_checked_with() -> None:
    """Not a requirement to run summarykit (another pydantic builds the ordinary way), but the speed of
    every command rests on it, so a new release shows here, in the summary of skipped tests: the other
    tests of this file force the cache, and when they pass the release can join VERIFIED."""
    from pydantic.version import VERSION

    if tuple(int(p) for p in VERSION.split(".")[:2]) not in modelcache.VERIFIED:
        pytest.skip(f"pydantic {VERSION} 不在 modelcache.VERIFIED 里：模型缓存未启用（每次启动都重新构建）；"
                    "本文件其余测试通过后可把它加进去")
    assert modelcache.enabled() or os.environ.get("SUMMARYKIT_MODEL_CACHE", "").lower() in {"0", "off", "no", "false"}


def test_the_cache_can_be_turned_off_and_a_read_only_folder_only_costs_time(tmp_path: Path) -> None:
    assert _probe(tmp_path, SUMMARYKIT_MODEL_CACHE="0")["from_cache"] == dict.fromkeys(SETS, False)
    assert not (tmp_path / "summarykit").exists()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    seen = _probe(blocked)  # XDG_CACHE_HOME is a file: nothing can be written under it
    assert seen["from_cache"] == dict.fromkeys(SETS, False)
    assert json.dumps(seen["json"], sort_keys=True) == json.dumps(model_module.Report.model_json_schema(),
                                                                  sort_keys=True)


def test_no_cache_is_written_where_a_pydantic_plugin_is_installed(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line switches plugins off for itself (PYDANTIC_DISABLE_PLUGINS): validators it keeps
    would then skip a plugin a program using the library has switched on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("SUMMARYKIT_MODEL_CACHE", "force")
    name = "test-plugins"
    file = modelcache.cache_file(name)
    monkeypatch.setattr(modelcache, "plugins_installed", lambda: True)
    assert modelcache.complete("summarykit.records.model", model_module.MODELS, name=name) is False
    assert not file.exists()
    monkeypatch.setattr(modelcache, "plugins_installed", lambda: False)
    assert modelcache.complete("summarykit.records.model", model_module.MODELS, name=name) is False
    assert file.exists()
    assert modelcache.complete("summarykit.records.model", model_module.MODELS, name=name) is True
    # the switch the command line sets does not change the key (else library and CLI runs would take turns)
    key = modelcache.cache_key("summarykit.records.model")
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert modelcache.cache_key("summarykit.records.model") == key
    assert modelcache.plugins_installed() is False  # this test environment has none
