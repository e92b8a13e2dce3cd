"""Second round of hardening: limits on records given as data, template render budget, batch workers.

Like test_hardening.py, the hostile cases run in a child process under resource limits (address
space and CPU time), so a limit that does not hold fails the test instead of the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.records.loading import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES, marked_from_data
from tests.test_hardening import MEMORY, REPO, SAMPLE, _limits, cli, refused

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")


def python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python under the resource limits."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limits)


# --------------------------------------------------------------------------- records given as data


def test_a_dict_sharing_one_huge_string_is_refused_in_bounded_memory() -> None:
    # 2000 places × 1 million characters: 2 thousand million characters if anything copied or cleaned each.
    code = f"""
import yaml, summarykit
from summarykit.errors import RecordsError
data = yaml.safe_load(open({str(SAMPLE)!r}, encoding="utf-8"))
data["intro"] = ["字" * 1_000_000] * 2000
try:
    summarykit.Kit().load(data)
except RecordsError as exc:
    print(exc.problems[0])
"""
    started = time.monotonic()
    result = python(code)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "<数据>: intro[" in result.stdout and "数据里的文字总共超过 1000 万字" in result.stdout, result.stdout
    assert time.monotonic() - started < 30
    assert MEMORY < 2 * 1024**3  # the child really was limited to less than the data's size


def _report_with(intro: list[str]) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["intro"] = intro
    return data


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 3_000_000), copies=st.integers(1, 40))
def test_the_text_limit_on_data_counts_every_place(size: int, copies: int) -> None:
    text = "文" * size
    data = _report_with([text] * copies)
    total = size * copies
    try:
        marked_from_data(data)
    except RecordsError as exc:
        problem = exc.problems[0]
        assert total > MAX_EXPANDED_CHARS - 100_000, (size, copies)  # the rest of the sample is small
        assert "数据里的文字总共超过 1000 万字" in problem.message and problem.path.startswith("intro[")
    else:
        assert total <= MAX_EXPANDED_CHARS


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(1, 200), width=st.integers(0, 3))
def test_nesting_and_node_limits_on_data_name_the_field_path(depth: int, width: int) -> None:
    leaf: object = "值"
    for _ in range(depth):
        leaf = {"a": leaf, **{f"k{i}": i for i in range(width)}}
    data = _report_with(["开头。"])
    data["meta"]["extra"] = leaf
    try:
        marked_from_data(data)
    except RecordsError as exc:
        problem = exc.problems[0]
        assert depth + 2 > MAX_DEPTH and "数据嵌套太深" in problem.message
        assert problem.path.startswith("meta.extra.a.a")
    else:
        assert depth + 2 <= MAX_DEPTH


def test_too_many_values_in_data_are_refused_at_a_field_path() -> None:
    data = _report_with(["开头。"] * (MAX_NODES + 10))
    with pytest.raises(RecordsError) as caught:
        marked_from_data(data)
    assert "数据太大（超过 200000 个值）" in caught.value.problems[0].message
    assert caught.value.problems[0].path.startswith("intro[")


def test_json_records_hold_the_same_limits_through_the_cli(tmp_path: Path) -> None:
    import json

    data = _report_with(["开头。"])
    leaf: object = "值"
    for _ in range(200):
        leaf = [leaf]
    data["meta"]["extra"] = leaf
    (tmp_path / "深.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    refused(cli("validate", "深.json", cwd=tmp_path), "深.json:", "嵌套层数超过 64 层")
