"""Many reports at once: a process pool, one output per report, every failure named.

Year-end means one summary per department, school or branch — hundreds or
thousands in one go, often driven by another system.  Three things shape this
module:

* **Bad input stays local.**  A records file that does not parse, or one report
  of a multi-report file that does not validate, becomes a ``Failure`` naming
  the file and line; every other report is still written.  The caller (the CLI)
  decides what to print and which exit status to give.
* **Work done once per process, not per report.**  Workers warm the caches
  (template compilation, the styled base DOCX, the phrase bank and its content
  words) in the pool initializer, so the per-report path is load → compose →
  write the body.  jieba (about a second and 150 MB to start) is kept out of the
  workers: the phrase bank's content words are computed, if the on-disk cache is
  cold, in one short-lived process before the pool starts, and the workers read
  the cache.
* **Many reports from one file.**  A records file may hold ``defaults:`` (shared
  meta and text) and ``reports:`` (one entry per department); each entry is
  deep-merged over the defaults and validated on its own, with errors located
  at the lines of ``reports[i]`` (or of ``defaults`` when the bad value came
  from there).  A large multi-report file is split across the workers.

Outputs are named after their input: ``<stem>.<ext>``, or
``<stem>-<department or number>.<ext>`` for a multi-report file; they are
written atomically and never over an input.
"""

from __future__ import annotations

import concurrent.futures as futures
import logging
import os
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Notice, OutputError, Problem, RecordsError, SummaryKitError
from .style import Style

log = logging.getLogger(__name__)

FORMATS = ("docx", "md", "txt")
MULTI_KEYS = ("defaults", "reports")
#: A multi-report file with at least this many reports is split across the workers.
SPLIT_AT = 8
_MULTI_SNIFF = re.compile(r"^reports\s*:", re.M)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    """One report (or a whole file) that could not be written, with the message a person needs."""

    input: str
    message: str  # the full, located message: headline plus one line per problem
    problems: tuple[Problem, ...] = ()
    entry: str = ""  # which report of a multi-report file, e.g. "reports[2]（保卫处）"; "" for the whole file
    internal: bool = False  # a defect of summarykit rather than bad input

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Outcome:
    """What became of one input file: the outputs written and what failed."""

    input: str
    outputs: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class BatchResult:
    """Every input's outcome, in the order the inputs were given, and the time taken."""

    outcomes: tuple[Outcome, ...]
    seconds: float
    jobs: int

    @property
    def written(self) -> tuple[str, ...]:
        return tuple(path for outcome in self.outcomes for path in outcome.outputs)

    @property
    def failures(self) -> tuple[Failure, ...]:
        return tuple(failure for outcome in self.outcomes for failure in outcome.failures)

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    def summary(self) -> str:
        """One line for the end of a run: written, failed, time."""
        return (f"已生成 {len(self.written)} 份，失败 {len(self.failures)} 份"
                f"（{len(self.outcomes)} 个输入文件，{self.jobs} 个进程），用时 {self.seconds:.1f} 秒")


# --------------------------------------------------------------------------- multi-report files


@dataclass
class Entry:
    """One report of a records file: validated, or the error that stopped it."""

    index: int
    label: str  # "" for a single-report file
    name: str  # the output file's stem
    report: Any = None  # records.Report
    error: SummaryKitError | None = None
    notices: list[Notice] = field(default_factory=list)


def _merge(defaults: Any, entry: Any, dpath: tuple[Any, ...], epath: tuple[Any, ...], path: tuple[Any, ...],
           marks: Mapping[tuple[Any, ...], tuple[int, int]], out: dict[tuple[Any, ...], tuple[int, int]]) -> Any:
    """Deep-merge one entry over the defaults (mappings merge, anything else is replaced), keeping line marks."""
    if not (isinstance(defaults, dict) and isinstance(entry, dict)):
        _copy_marks(entry, epath, path, marks, out)
        return entry
    if epath in marks:
        out[path] = marks[epath]
    merged: dict[Any, Any] = {}
    for key in [*defaults, *(k for k in entry if k not in defaults)]:
        if key not in entry:
            _copy_marks(defaults[key], (*dpath, key), (*path, key), marks, out)
            merged[key] = defaults[key]
        elif key not in defaults:
            _copy_marks(entry[key], (*epath, key), (*path, key), marks, out)
            merged[key] = entry[key]
        else:
            merged[key] = _merge(defaults[key], entry[key], (*dpath, key), (*epath, key), (*path, key), marks, out)
    return merged


def _copy_marks(value: Any, src: tuple[Any, ...], dst: tuple[Any, ...],
                marks: Mapping[tuple[Any, ...], tuple[int, int]], out: dict[tuple[Any, ...], tuple[int, int]]) -> None:
    if src in marks:
        out[dst] = marks[src]
    if isinstance(value, dict):
        for key, item in value.items():
            _copy_marks(item, (*src, key), (*dst, key), marks, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _copy_marks(item, (*src, index), (*dst, index), marks, out)


def safe_name(text: str) -> str:
    """A department name as part of a file name (naming.sanitize: no separators, no invisible characters)."""
    from .naming import sanitize

    return sanitize(text)


def _department(entry: Any) -> str:
    """meta.department of a raw entry, or ""."""
    meta = entry.get("meta") if isinstance(entry, dict) else None
    department = meta.get("department") if isinstance(meta, dict) else None
    return department.strip() if isinstance(department, str) else ""


def _entry_names(stem: str, entries: Sequence[Any]) -> list[str]:
    """<stem>-<department>, or <stem>-<number> when there is none (naming.report_tags); without extension.

    The batch itself uses the names planned by naming.plan before the pool starts;
    these are the same unless a name had to be refused.
    """
    from .naming import NAME_MAX, Department, compose_name, report_tags, sanitize

    tags = report_tags([Department(_department(entry)) for entry in entries])
    return [compose_name(sanitize(stem) or stem, tag, "", NAME_MAX - 8) for tag in tags]


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, MULTI_KEYS, n=1, cutoff=0.6)
    advice = "各份报告共同的内容请写在 defaults 下，每份报告写成 reports 下的一项"
    return f"是不是想写 `{close[0]}`？{advice}" if close else advice


def _multi_problems(data: dict[Any, Any], marked: Any, name: str) -> list[Problem]:
    """What is wrong with the frame of a multi-report file (not with the reports in it)."""
    problems: list[Problem] = []

    def at(path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        return marked.marks.get(path, (None, None))

    for key in data:
        if key not in MULTI_KEYS:
            line, column = at((key,))
            problems.append(Problem(f"不认识的键“{key}”：包含 reports 的文件顶层只能有 defaults 和 reports",
                                    file=name, line=line, column=column, path=str(key),
                                    hint=_did_you_mean(str(key))))
    reports, defaults = data.get("reports"), data.get("defaults", {})
    if not isinstance(reports, list) or not reports:
        line, column = at(("reports",))
        problems.append(Problem("reports 应是一个列表，每项是一份报告（以 `- ` 开头）", file=name, line=line or 1,
                                column=column, path="reports", hint="例如 `reports:` 下写 `- meta: {department: 总务处}`"))
    else:
        for index, entry in enumerate(reports):
            if not isinstance(entry, dict):
                line, column = at(("reports", index))
                problems.append(Problem("每份报告应是“键: 值”的结构", file=name, line=line, column=column,
                                        path=f"reports[{index}]", hint="例如 `- meta:` 下写 `department: 总务处`"))
    if defaults is not None and not isinstance(defaults, dict):
        line, column = at(("defaults",))
        problems.append(Problem("defaults 应是“键: 值”的结构（与单份记录文件的顶层相同）", file=name, line=line,
                                column=column, path="defaults"))
    return problems


def read_entries(path: str | os.PathLike[str], select: Callable[[int], bool] | None = None) -> list[Entry]:
    """Every report in a records file — one, or one per ``reports:`` entry — validated one by one.

    Raises RecordsError when the file as a whole cannot be read (encoding, YAML,
    a malformed ``reports:`` frame).  A report that does not validate is
    returned as an Entry with ``error`` set, so the others can still be written.
    ``select`` (given an entry's index) limits validation to some entries, for
    splitting one large file across processes; names are still computed from all.
    The file's own notices (encoding, emptied keys...) go on its first report.
    """
    from .records.loading import (
        Marked,
        drop_empty,
        parse_yaml,
        read_source,
        report_from_data,
        strip_forbidden,
    )
    from .records.textclean import clean_tree

    source = strip_forbidden(read_source(path))
    name = source.name
    stem = Path(path).stem
    marked = parse_yaml(source)
    multi = "reports" in marked.data
    empty = drop_empty(marked, name)
    file_notices = [*source.notices, *marked.notices, *empty]
    wanted = select or (lambda index: True)
    if not multi:
        if not wanted(0):
            return []
        cleaned, notices = clean_tree(marked.data, name, marked.marks)
        entry = Entry(0, "", stem, notices=[*file_notices, *notices])
        for notice in entry.notices:
            log.info("%s", notice)
        try:
            entry.report = report_from_data(cleaned, marked, name, entry.notices)
        except SummaryKitError as exc:
            entry.error = exc
        return [entry]
    data = marked.data
    problems = _multi_problems(data, marked, name)
    if problems:
        raise RecordsError.collect(name, problems)
    reports: list[dict[Any, Any]] = data["reports"]
    defaults = data.get("defaults") or {}
    # Keys emptied in defaults are "empty", not "missing", in every report that inherits them.
    inherited_empty = {p[1:] for p in marked.empty if p[:1] == ("defaults",)}
    entries = []
    for index, (raw, stem_name) in enumerate(zip(reports, _entry_names(stem, reports), strict=True)):
        if not wanted(index):
            continue
        department = safe_name(_department(raw))
        label = f"reports[{index}]" + (f"（{department}）" if department else "")
        prefix = ("reports", index)
        merged_marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        merged = _merge(defaults, raw, ("defaults",), prefix, (), marked.marks, merged_marks)
        cleaned, notices = clean_tree(merged, name, merged_marks)
        # Errors are located through the prefix: the report as it stands at reports[i], merged.
        siblings = list(reports)
        siblings[index] = merged
        located = Marked({**data, "reports": siblings},
                         {(): marked.marks.get((), (1, 1)), ("reports",): marked.marks.get(("reports",), (1, 1)),
                          **{(*prefix, *k): v for k, v in merged_marks.items()}},
                         empty={*marked.empty, *((*prefix, *p) for p in inherited_empty)})
        own = [*file_notices, *notices] if not entries and index == 0 else notices
        entry = Entry(index, label, stem_name, notices=own)
        for notice in own:
            log.info("%s", notice)
        try:
            entry.report = report_from_data(cleaned, located, name, entry.notices, prefix)
        except SummaryKitError as exc:
            entry.error = exc
        entries.append(entry)
    return entries


def count_reports(path: str | os.PathLike[str]) -> int:
    """Roughly how many reports a multi-report file holds; 0 for a single-report file.

    A cheap look at the text (a top-level ``reports:``, then the list items at
    the shallowest indent after it), used only to decide whether to split a
    file across workers; the real count comes from parsing.
    """
    try:
        text = Path(path).read_bytes()[:1 << 22].decode("utf-8", "replace")
    except OSError:
        return 0
    match = _MULTI_SNIFF.search(text)
    if not match:
        return 0
    indents = re.findall(r"^( *)- ", text[match.end():], re.M)
    return indents.count(min(indents, key=len)) if indents else 0


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs, picklable: the same for every report of a batch."""

    out_dir: str
    format: str
    template: str | None
    seed: int | None
    templates: tuple[str, ...]
    phrases: tuple[str, ...]
    style: Style
    inputs: frozenset[str]  # resolved input paths: no output may land on one


@dataclass(frozen=True)
class _Task:
    """One input, or one share of a large multi-report input."""

    position: int
    path: str
    part: int = 0
    parts: int = 1
    names: tuple[str, ...] | None = None  # planned output file names per report ("" = refused); None: unplanned


@dataclass(frozen=True)
class _Partial:
    position: int
    part: int
    outputs: tuple[tuple[int, str], ...]
    failures: tuple[tuple[int, Failure], ...]
    notices: tuple[Notice, ...]


class Renderer:
    """Renders inputs with fixed settings; one per process, its caches warm after ``warm()``."""

    def __init__(self, settings: Settings) -> None:
        from .api import to_docx, to_markdown, to_text

        self.settings = settings
        style = settings.style
        writers: dict[str, Callable[[Any], bytes]] = {
            "docx": lambda doc: to_docx(doc, style),
            "md": lambda doc: to_markdown(doc).encode("utf-8"),
            "txt": lambda doc: to_text(doc).encode("utf-8"),
        }
        self.write = writers[settings.format]

    def warm(self) -> None:
        """Fill the per-process caches with a small report: imports, template, base package, phrase words."""
        from .drafting.composer import compose
        from .records.model import Report

        report = Report.model_validate({
            "meta": {"organization": "某单位", "department": "某部门", "period": "本年度", "subject": "后勤",
                     "date": "2026-01-20"},
            "intro": ["本年度，各项工作有序推进。"],
            "achievements": [{"heading": "日常管理", "items": ["完成了日常工作。"]}],
            "problems": ["个别工作还有不足。"],
            "plans": ["继续做好各项工作。"],
        })
        s = self.settings
        try:
            self.write(compose(report, s.template, seed=s.seed, templates=s.templates, phrases=s.phrases,
                               style=s.style))
        except Exception as exc:  # best effort: a template needing more than this report has warms on first use
            log.debug("warm-up incomplete: %s", exc)

    def run(self, task: _Task) -> _Partial:
        """Load one input (or its share) and write each of its reports; failures are returned, not raised."""
        path = task.path
        select = None if task.parts == 1 else (lambda i: i % task.parts == task.part)
        try:
            entries = read_entries(path, select)
        except SummaryKitError as exc:
            failures = ((-1, _failure(path, exc)),) if task.part == 0 else ()
            return _Partial(task.position, task.part, (), failures, ())
        except Exception as exc:  # a defect: keep the batch going, say what happened
            return _Partial(task.position, task.part, (), ((-1, _internal(path, exc)),) if task.part == 0 else (), ())
        outputs: list[tuple[int, str]] = []
        failures: list[tuple[int, Failure]] = []
        notices: list[Notice] = []
        for entry in entries:
            notices.extend(entry.notices)
            planned = task.names[entry.index] if task.names and entry.index < len(task.names) else None
            if planned == "":
                continue  # its name clashed: render_many reported it before the pool started
            if entry.error is not None:
                failures.append((entry.index, _failure(path, entry.error, entry.label)))
                continue
            try:
                outputs.append((entry.index, self._render(entry, path, planned)))
            except SummaryKitError as exc:
                failures.append((entry.index, _failure(path, exc, entry.label)))
            except Exception as exc:
                failures.append((entry.index, _internal(path, exc, entry.label)))
        return _Partial(task.position, task.part, tuple(outputs), tuple(failures), tuple(notices))

    def _render(self, entry: Entry, path: str, planned: str | None = None) -> str:
        from .drafting.composer import compose
        from .output import write_atomic

        s = self.settings
        target = Path(s.out_dir) / (planned or f"{entry.name}.{s.format}")
        if str(target.resolve()) in s.inputs:
            raise OutputError(f"输出文件“{target}”是本批的一个输入文件，不能覆盖；请换一个输出文件夹")
        doc = compose(entry.report, s.template, seed=s.seed, templates=s.templates, phrases=s.phrases,
                      style=s.style)
        # Not durable one by one: render_many syncs once when the whole batch is written.
        write_atomic(target, self.write(doc), (path,), durable=False)
        return str(target)


def _name_failure(path: str, planned: Any) -> Failure:
    """A report whose output name clashed with another's or an input's: located at its department."""
    problem = planned.problem
    label = problem.path.removesuffix(".meta.department")
    return _failure(path, OutputError(f"{path}：输出文件名冲突，未生成", [problem]), label)


def _failure(path: str, exc: SummaryKitError, entry: str = "") -> Failure:
    """The located message; for one report of a multi-report file, a headline that names the report."""
    if entry and exc.problems:
        lines = [f"{path}：{entry}：发现 {len(exc.problems)} 处问题，这一份未生成。"]
        message = "\n".join([*lines, *(f"  {p}" for p in exc.problems)])
    elif entry:
        message = f"{path}：{entry}：{exc.report()}"
    else:
        message = exc.report()
        if path not in message:
            message = f"{path}：{message}"
    return Failure(path, message, exc.problems, entry)


def _internal(path: str, exc: BaseException, entry: str = "") -> Failure:
    """A defect of summarykit met on one input: named, and (with SUMMARYKIT_DEBUG set) with its traceback."""
    where = f"{path}：{entry}" if entry else path
    log.debug("internal error on %s", where, exc_info=exc)
    message = f"{where}：内部错误 {type(exc).__name__}: {exc}（这是 summarykit 的缺陷，请把这条信息和输入文件一起报告给维护者）"
    if os.environ.get("SUMMARYKIT_DEBUG"):
        message += "\n" + "".join(traceback.format_exception(exc)).rstrip()
    return Failure(path, message, entry=entry, internal=True)


# Worker-process state: one Renderer per process, created by the pool initializer.
_RENDERER: Renderer | None = None


def _init_worker(settings: Settings) -> None:
    global _RENDERER
    _RENDERER = Renderer(settings)
    _RENDERER.warm()


def _run_chunk(tasks: Sequence[_Task]) -> list[_Partial]:
    assert _RENDERER is not None, "the pool initializer did not run"
    return [_RENDERER.run(task) for task in tasks]


def _warm_words(settings: Settings) -> None:
    """Run once in a short-lived process: fills the on-disk phrase-word cache, so workers never start jieba."""
    Renderer(settings).warm()


# --------------------------------------------------------------------------- the pool


def default_jobs() -> int:
    """The CPUs this process may use (affinity and container limits included where the OS says)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return max(counter() or 1, 1)
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def _settings(inputs: Sequence[str], out_dir: str | os.PathLike[str], format: str, template: str | None,
              seed: int | None, templates: Iterable[str | os.PathLike[str]],
              phrases: Iterable[str | os.PathLike[str]], style: Style | str | os.PathLike[str] | None,
              fonts: str | None) -> Settings:
    """Check what applies to the whole batch before any work: a bad style or phrase file fails once, not N times."""
    from .drafting.phrases import load_bank
    from .drafting.templating import template_info
    from .style import load_style

    if format not in FORMATS:
        raise SummaryKitError(f"不支持的输出格式“{format}”，可用：{', '.join(FORMATS)}")
    resolved = style if isinstance(style, Style) else load_style(style, fonts)
    if isinstance(style, Style) and fonts:
        resolved = style.with_fonts(fonts)
    template_dirs = tuple(str(t) for t in templates)
    phrase_files = tuple(str(p) for p in phrases)
    if template:
        template_info(template, template_dirs)
    load_bank(phrase_files)
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise OutputError(f"输出路径“{target}”不是文件夹：批量生成需要一个输出文件夹")
    parent = target.parent if str(target.parent) else Path(".")
    if not target.exists() and not parent.is_dir():  # one new folder is made; a mistyped path is not
        raise OutputError(f"输出文件夹“{target}”的上级文件夹“{parent}”不存在；请检查路径，或先创建它")
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹“{target}”：{exc.strerror}") from None
    return Settings(str(target), format, template, seed, template_dirs, phrase_files, resolved,
                    frozenset(str(Path(p).resolve()) for p in inputs))


def _departments(path: str) -> tuple[Any, ...] | None:
    """The departments of a multi-report file, with their lines, for naming; None for a single report.

    Read in the parent before the pool starts, so that names are planned before
    anything is written.  Only files that mention ``reports`` are parsed; a file
    that cannot be read is left to its worker, which reports why.
    """
    from .naming import Department
    from .records.loading import parse_yaml, read_source, strip_forbidden

    try:
        with open(path, "rb") as handle:
            if b"reports" not in handle.read():
                return None
        marked = parse_yaml(strip_forbidden(read_source(path)))
    except (OSError, SummaryKitError):
        return None
    reports = marked.data.get("reports")
    if not isinstance(reports, list):
        return None
    found = []
    for index, raw in enumerate(reports):
        line, column = marked.marks.get(("reports", index, "meta", "department"),
                                        marked.marks.get(("reports", index), (None, None)))
        found.append(Department(_department(raw), line, column))
    return tuple(found)


def _plan(paths: Sequence[str], settings: Settings) -> list[list[Any]]:
    """naming.plan over every input: each report's output name, or the located reason it gets none."""
    from .naming import NAME_MAX, Input, plan

    out = Path(settings.out_dir).resolve()
    in_folder = [Path(p).name for p in settings.inputs if Path(p).parent == out]
    try:
        name_max = int(os.pathconf(out, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        name_max = NAME_MAX
    items = [Input(path, _departments(path)) for path in paths]
    return plan(items, f".{settings.format}", input_names=in_folder, name_max=min(name_max, NAME_MAX))


def _tasks(inputs: Sequence[str], names: Sequence[Sequence[Any]], jobs: int) -> list[_Task]:
    tasks: list[_Task] = []
    for position, path in enumerate(inputs):
        planned = tuple(p.name for p in names[position])
        if not any(planned):
            continue
        parts = jobs if jobs > 1 and count_reports(path) >= SPLIT_AT else 1
        tasks.extend(_Task(position, path, part, parts, planned) for part in range(parts))
    return tasks


def _chunks(tasks: list[_Task], jobs: int) -> list[list[_Task]]:
    """Several tasks per round trip (fewer messages), small enough that the workers finish together."""
    size = max(1, min(16, len(tasks) // (jobs * 8)))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def render_many(
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    format: str = "docx",
    template: str | None = None,
    seed: int | None = None,
    templates: Sequence[str | os.PathLike[str]] = (),
    phrases: Sequence[str | os.PathLike[str]] = (),
    style: Style | str | os.PathLike[str] | None = None,
    fonts: str | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Render every input into ``out_dir``, in a pool of ``jobs`` processes (default: every CPU).

    Each input gives ``<stem>.<format>``; a multi-report file (``defaults:`` and
    ``reports:``) gives ``<stem>-<department or number>.<format>`` per report.
    Inputs that fail are returned as failures naming the file and line; the
    other outputs are still written.  ``progress`` is called in this process
    with each input's Outcome as it finishes.  Raises SummaryKitError only for
    what spoils the whole batch: a bad style, phrase file, template name or
    output folder.  ``out_dir`` is created if its parent folder exists.
    """
    started = time.perf_counter()
    paths = [str(p) for p in inputs]
    settings = _settings(paths, out_dir, format, template, seed, templates, phrases, style, fonts)
    names = _plan(paths, settings)  # every output name, checked before anything is written
    jobs = max(1, int(jobs)) if jobs else default_jobs()
    tasks = _tasks(paths, names, jobs)
    jobs = max(1, min(jobs, len(tasks)))
    pending = Counter(task.position for task in tasks)
    partials: dict[int, list[_Partial]] = {position: [] for position in range(len(paths))}
    outcomes: dict[int, Outcome] = {}

    def finish(position: int) -> None:
        outcome = _outcome(paths[position], partials.pop(position))
        outcomes[position] = outcome
        if progress is not None:
            progress(outcome)

    for position, planned in enumerate(names):
        refused = tuple((p.index, _name_failure(paths[position], p)) for p in planned if p.problem is not None)
        if refused:
            partials[position].append(_Partial(position, -1, (), refused, ()))
            if not pending[position]:
                finish(position)

    def collect(partial: _Partial) -> None:
        partials[partial.position].append(partial)
        pending[partial.position] -= 1
        if pending[partial.position] == 0:
            finish(partial.position)

    if jobs == 1:
        renderer = Renderer(settings)
        for task in tasks:
            collect(renderer.run(task))
    else:
        _run_pool(settings, tasks, jobs, collect)
    _make_durable(settings.out_dir)
    ordered = tuple(outcomes[position] for position in range(len(paths)))
    return BatchResult(ordered, time.perf_counter() - started, jobs)


def _run_pool(settings: Settings, tasks: list[_Task], jobs: int, collect: Callable[[_Partial], None]) -> None:
    """Fan the tasks out to a process pool; a worker that dies fails its tasks, not the batch."""
    _prepare_parent(settings)
    try:  # jieba, if the phrase-word cache needs it, starts and ends in this helper process
        with futures.ProcessPoolExecutor(max_workers=1) as helper:
            helper.submit(_warm_words, settings).result()
    except Exception as exc:  # only a speed-up: the workers warm themselves anyway
        log.debug("warm-up process failed: %s", exc)
    executor = futures.ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))
    try:
        submitted = {executor.submit(_run_chunk, chunk): chunk for chunk in _chunks(tasks, jobs)}
        for done in futures.as_completed(submitted):
            try:
                results = done.result()
            except Exception as exc:  # BrokenProcessPool and the like: name every input of the chunk
                results = [_Partial(t.position, t.part, (), ((-1, _internal(t.path, exc)),) if t.part == 0 else (), ())
                           for t in submitted[done]]
            for partial in results:
                collect(partial)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _make_durable(out_dir: str) -> None:
    """Flush the batch's outputs to disk once, instead of two fsyncs per file while writing them.

    The files were written without fsync (each is still renamed into place
    atomically).  One ``os.sync()`` flushes them all; POSIX has no call that
    flushes only some files without one fsync each.  Windows has no
    ``os.sync``: there only the folder is left as the file system keeps it.
    """
    from .output import sync_folder

    if hasattr(os, "sync"):
        os.sync()
    else:  # pragma: no cover - Windows
        sync_folder(out_dir)


def _prepare_parent(settings: Settings) -> None:
    """Build what workers started by fork inherit for free: the styled base package and the compiled template."""
    from .drafting.templating import get_template
    from .writers.docx import base_package

    if settings.format == "docx":
        base_package(settings.style)
    try:
        get_template(settings.template or "school_term", settings.templates)
    except SummaryKitError:
        pass


def _outcome(path: str, parts: list[_Partial]) -> Outcome:
    outputs = sorted(item for part in parts for item in part.outputs)
    failures = sorted((item for part in parts for item in part.failures), key=lambda item: item[0])
    notices = tuple(n for part in sorted(parts, key=lambda p: p.part) for n in part.notices)
    return Outcome(path, tuple(o for _, o in outputs), tuple(f for _, f in failures), notices)
