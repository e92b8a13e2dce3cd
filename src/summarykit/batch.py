"""Many reports at once: scheduling only — a pool over a Kit, one outcome per input.

Year-end means one summary per department, school or branch — hundreds or
thousands in one go, often driven by another system.  Loading (including the
expansion of multi-report files, records/multi.py), composing and writing are
the Kit's; this module only decides what runs where and collects the results:

* **Bad input stays local.**  A records file that does not parse, or one report
  of a multi-report file that does not validate, becomes a ``Failure`` naming
  the file and line; every other report is still written.  The caller (the CLI)
  decides what to print and which exit status to give.
* **Any executor.**  By default a local process pool whose workers warm the
  Kit's caches (template compilation, the styled base DOCX, the phrase bank and
  its content words) once; a caller may pass any ``concurrent.futures.Executor``
  instead — a thread pool, or a cluster's (dask.distributed's
  ``Client.get_executor()``), since the Kit and the tasks are picklable.  jieba
  (about a second and 150 MB to start) is kept out of the workers: the phrase
  bank's content words are computed, if the on-disk cache is cold, in one
  short-lived process before the local pool starts, and the workers read the cache.
* **Large multi-report files are split** across the workers by report index.

Outputs are named after their input: ``<stem>.<ext>``, or
``<stem>-<department or number>.<ext>`` for a multi-report file; they are
written atomically and never over an input.
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import logging
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Notice, OutputError, Problem, SummaryKitError
from .records.multi import Entry, count_reports

if TYPE_CHECKING:
    from .kit import Kit

log = logging.getLogger(__name__)

#: A multi-report file with at least this many reports is split across the workers.
SPLIT_AT = 8


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


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs, picklable: the same for every report of a batch."""

    kit: Kit
    out_dir: str
    format: str
    inputs: frozenset[str]  # resolved input paths: no output may land on one
    token: str  # names this batch's Renderer in a worker process


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
    """Renders inputs with fixed settings; one per process (or per batch in a thread pool)."""

    def __init__(self, settings: Settings) -> None:
        from .writers import get_writer

        self.settings = settings
        self.extension = get_writer(settings.format).extension

    def warm(self) -> None:
        """Fill the per-process caches with a small report: imports, template, base package, phrase words."""
        kit = self.settings.kit
        try:
            report = kit.load({
                "meta": {"organization": "某单位", "department": "某部门", "period": "本年度", "subject": "后勤",
                         "date": "2026-01-20"},
                "intro": ["本年度，各项工作有序推进。"],
                "achievements": [{"heading": "日常管理", "items": ["完成了日常工作。"]}],
                "problems": ["个别工作还有不足。"],
                "plans": ["继续做好各项工作。"],
            })
            if self.settings.format != "pdf":  # a PDF warm-up would start LibreOffice for nothing
                kit.write(kit.compose(report), self.settings.format)
        except Exception as exc:  # best effort: a template needing more than this report has warms on first use
            log.debug("warm-up incomplete: %s", exc)

    def run(self, task: _Task) -> _Partial:
        """Load one input (or its share) and write each of its reports; failures are returned, not raised."""
        path = task.path
        select = None if task.parts == 1 else (lambda i: i % task.parts == task.part)
        try:
            entries = self.settings.kit.load_all(path, select=select)
        except SummaryKitError as exc:
            failures = ((-1, _failure(path, exc)),) if task.part == 0 else ()
            return _Partial(task.position, task.part, (), failures, ())
        except Exception as exc:  # a defect: keep the batch going, say what happened
            return _Partial(task.position, task.part, (), ((-1, _internal(path, exc)),) if task.part == 0 else (), ())
        outputs: list[tuple[int, str]] = []
        failures: list[tuple[int, Failure]] = []
        notices: list[Notice] = []
        for entry in entries:
            if self.stopped():
                break  # the batch was interrupted: what was written so far is on disk, whole
            notices.extend(entry.notices)
            planned = task.names[entry.index] if task.names and entry.index < len(task.names) else None
            if planned == "":
                continue  # its name clashed: run_batch reported it before any work started
            if entry.error is not None:
                failures.append((entry.index, _failure(path, entry.error, entry.label)))
                continue
            try:
                outputs.append((entry.index, self._render(entry, path, planned)))
            except _Stopped:
                break
            except SummaryKitError as exc:
                failures.append((entry.index, _failure(path, exc, entry.label)))
            except Exception as exc:
                failures.append((entry.index, _internal(path, exc, entry.label)))
        return _Partial(task.position, task.part, tuple(outputs), tuple(failures), tuple(notices))

    def stopped(self) -> bool:
        """Whether this worker must not start another report: its batch was interrupted (the stop
        file is in the output folder, which every worker shares, whatever executor runs it), or this
        process was told to stop (SIGTERM, or its parent is gone)."""
        return _STOP.is_set() or os.path.lexists(stop_file(self.settings))

    def _render(self, entry: Entry, path: str, planned: str | None = None) -> str:
        from .output import write_atomic

        s = self.settings
        target = Path(s.out_dir) / (planned or f"{entry.name}.{self.extension}")
        if str(target.resolve()) in s.inputs:
            raise OutputError(f"输出文件“{target}”是本批的一个输入文件，不能覆盖；请换一个输出文件夹")
        data = s.kit.write(s.kit.compose(entry.report), s.format)
        if self.stopped():  # composing took a while: the batch may have been stopped meanwhile
            raise _Stopped()
        # Not durable one by one: the batch syncs once when everything is written.
        write_atomic(target, data, (path,), durable=False)
        return str(target)


class _Stopped(Exception):
    """A report composed after its batch was interrupted: not written."""


def stop_file(settings: Settings) -> Path:
    """The file that tells every worker of a batch to stop before its next report.

    It lives in the output folder because that is the one place every worker shares —
    threads, local processes, a caller's process pool, a cluster writing to a shared
    disk — and it is named like write_atomic's temporary files (``.sk-XXXXXXXX.tmp``),
    so one left behind by a killed run is swept by a later run like them.
    """
    return Path(settings.out_dir) / f".sk-{settings.token[:8]}.tmp"


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


# Worker state: one Renderer per batch (settings token) and process, created on first use or by the initializer.
_RENDERERS: dict[str, Renderer] = {}


def _renderer(settings: Settings) -> Renderer:
    renderer = _RENDERERS.get(settings.token)
    if renderer is None:
        renderer = _RENDERERS[settings.token] = Renderer(settings)
        renderer.warm()
    return renderer


def _init_worker(settings: Settings) -> None:
    try:
        _worker_signals()  # inside: the stop may come while the handlers are being set (ctypes loading)
        _renderer(settings)
    except SystemExit as exc:  # stopped while warming up (the batch was interrupted): nothing was written,
        # and leaving quietly keeps the pool from printing the initializer's traceback
        os._exit(exc.code if isinstance(exc.code, int) else 1)


def _run_chunk(settings: Settings, tasks: Sequence[_Task]) -> list[_Partial]:
    """What an executor runs: picklable function and arguments, so any executor (threads, processes, cluster) can."""
    renderer = _renderer(settings)
    return [renderer.run(task) for task in tasks]


def _warm_words(settings: Settings) -> None:
    """Run once in a short-lived process: fills the on-disk phrase-word cache, so workers never start jieba."""
    Renderer(settings).warm()


# --------------------------------------------------------------------------- scheduling


def default_jobs() -> int:
    """The CPUs this process may use (affinity and container limits included where the OS says)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return max(counter() or 1, 1)
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def max_local_jobs() -> int:
    """The most local worker processes a batch starts: four per CPU.  Each holds a Kit and its caches
    (some 100 MB); more processes than that only compete for the same CPUs and memory."""
    return 4 * default_jobs()


def _settings(kit: Kit, inputs: Sequence[str], out_dir: str | os.PathLike[str], format: str) -> Settings:
    """Check what applies to the whole batch before any work: a bad template or phrase file fails once, not N times."""
    from .writers import get_writer

    get_writer(format)
    kit.check()
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
    return Settings(kit, str(target), format, frozenset(str(Path(p).resolve()) for p in inputs), uuid.uuid4().hex)


def _departments(path: str) -> tuple[Any, ...] | None:
    """The departments of a multi-report file, with their lines, for naming; None for a single report.

    Read here, before any work starts, so that every name is planned before
    anything is written.  Only files that mention ``reports`` are parsed; a file
    that cannot be read is left to its worker, which reports why.
    """
    from .records.multi import planned_departments

    try:
        if not Path(path).is_file():  # a FIFO or device would block here: its worker reports it
            return None
        return planned_departments(path)
    except (OSError, SummaryKitError):
        return None


def _plan(paths: Sequence[str], settings: Settings, extension: str) -> list[list[Any]]:
    """naming.plan over every input: each report's output name, or the located reason it gets none."""
    from .naming import NAME_MAX, Input, plan

    out = Path(settings.out_dir).resolve()
    in_folder = [Path(p).name for p in settings.inputs if Path(p).parent == out]
    try:
        name_max = min(int(os.pathconf(out, "PC_NAME_MAX")), NAME_MAX)
    except (OSError, ValueError, AttributeError):
        name_max = NAME_MAX
    items = [Input(path, _departments(path)) for path in paths]
    return plan(items, f".{extension}", input_names=in_folder, name_max=name_max)


def _tasks(inputs: Sequence[str], names: Sequence[Sequence[Any]], jobs: int) -> list[_Task]:
    tasks: list[_Task] = []
    for position, path in enumerate(inputs):
        planned = tuple(p.name for p in names[position])
        if not any(planned):
            continue
        parts = jobs if jobs > 1 and count_reports(path) >= SPLIT_AT else 1
        tasks.extend(_Task(position, path, part, parts, planned) for part in range(parts))
    return tasks


def _name_failure(path: str, planned: Any) -> Failure:
    """A report whose output name clashed with another's or an input's: located at its department."""
    problem = planned.problem
    label = problem.path.removesuffix(".meta.department")
    return _failure(path, OutputError(f"{path}：输出文件名冲突，未生成", [problem]), label)


def _chunks(tasks: list[_Task], jobs: int) -> list[list[_Task]]:
    """Several tasks per round trip (fewer messages), small enough that the workers finish together."""
    size = max(1, min(16, len(tasks) // (jobs * 8)))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def run_batch(
    kit: Kit,
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    executor: futures.Executor | None = None,
    format: str = "docx",
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Render every input into ``out_dir`` with ``kit``: in ``executor`` if given, else ``jobs`` local processes.

    Each input gives ``<stem>.<format>``; a multi-report file (``defaults:`` and
    ``reports:``) gives ``<stem>-<department or number>.<format>`` per report.
    Inputs that fail are returned as failures naming the file and line; the
    other outputs are still written.  ``progress`` is called in this process
    with each input's Outcome as it finishes.  Raises SummaryKitError only for
    what spoils the whole batch: a bad template name, phrase file or output
    folder.  ``out_dir`` is created if its parent folder exists.  With an
    executor, ``jobs`` only decides how finely the work is split (default: the
    local CPU count); without one, at most ``max_local_jobs()`` processes start.
    """
    started = time.perf_counter()
    paths = [str(p) for p in inputs]
    settings = _settings(kit, paths, out_dir, format)
    from .writers import get_writer

    names = _plan(paths, settings, get_writer(format).extension)  # every output name, before any work
    jobs = max(1, int(jobs)) if jobs else default_jobs()
    if executor is None and jobs > max_local_jobs():  # --jobs 100000 must not start a process per input
        log.info("--jobs %d 超过本机合理的进程数，按 %d 个进程运行", jobs, max_local_jobs())
        jobs = max_local_jobs()
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

    started_ns = time.time_ns()
    try:
        with _terminate_as_interrupt():
            if executor is not None:
                _run_caller_executor(executor, settings, tasks, jobs, collect)
            elif jobs == 1:
                renderer = Renderer(settings)
                for task in tasks:
                    collect(renderer.run(task))
            else:
                _run_pool(settings, tasks, jobs, collect)
    except _CallerStillRunning as exc:
        written = _written_since(settings.out_dir, names, started_ns)
        _make_durable(settings.out_dir)
        raise BatchInterrupted(written, exc.running) from None
    except KeyboardInterrupt:
        written = _written_since(settings.out_dir, names, started_ns)
        _make_durable(settings.out_dir)
        raise BatchInterrupted(written) from None
    _make_durable(settings.out_dir)
    ordered = tuple(outcomes[position] for position in range(len(paths)))
    return BatchResult(ordered, time.perf_counter() - started, jobs)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the batch; ``written`` are the outputs this run put in place.

    The policy (docs/embedding.md, 批量的中断):

    * workers this batch started (the default local pool) are terminated at once, not left
      to finish the queue; a file being written is removed (write_atomic cleans its
      temporary file), so every name in ``written`` is a whole report and nothing else was added;
    * a caller's executor is not ours to terminate (a thread pool cannot be, a cluster serves
      others): its pending tasks are cancelled, and the running ones stop before their next
      report (the batch's stop file in the output folder, see ``stop_file``).  The batch waits
      up to CALLER_GRACE_SECONDS for them, so ``written`` is exact when it returns.  If some
      are still running then, ``still_running`` says how many: each may still finish the one
      report it is writing (atomically, whole) and then stops; the stop file stays until the
      next run in that folder sweeps it.
    """

    def __init__(self, written: Sequence[str], still_running: int = 0) -> None:
        super().__init__(f"已中断，已写入 {len(written)} 份")
        self.written = tuple(written)
        self.still_running = still_running


#: How long an interrupted batch waits for a caller's executor to finish the reports it is writing.
CALLER_GRACE_SECONDS = 30.0


class _CallerStillRunning(KeyboardInterrupt):
    def __init__(self, running: int) -> None:
        super().__init__(running)
        self.running = running


def _written_since(out_dir: str, names: Sequence[Sequence[Any]], since_ns: int) -> list[str]:
    """Planned outputs that this run put in place: present, and modified after it started.

    Asked of the folder rather than of the results, because a worker stopped in
    the middle of a chunk has written files whose results never came back.
    """
    found = []
    for planned in names:
        for item in planned:
            if not item.name:
                continue
            path = Path(out_dir) / item.name
            try:
                if path.stat().st_mtime_ns >= since_ns:
                    found.append(str(path))
            except OSError:
                continue
    return found


class _Terminate(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop the workers, report what was written."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While the batch runs, SIGTERM (a service stopping, `kill`) interrupts it like Ctrl-C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise _Terminate()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: On Linux the kernel sends a worker SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere, or
#: when that call fails, a watchdog thread notices.  Tests set this to False to run the watchdog on Linux.
KERNEL_PARENT_DEATH_SIGNAL = sys.platform.startswith("linux")
#: How often the watchdog looks at the parent, and how long a stopping worker gets to clean up.
WATCH_SECONDS = 0.5
_STOP = threading.Event()  # set in a worker told to stop: it starts no further report


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the workers); SIGTERM unwinds, so that
    write_atomic removes a half-written temporary file; and the worker stops if the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def handler(signum: int, frame: Any) -> None:
        _STOP.set()  # the pool's worker loop catches SystemExit from a task: no further report either
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    if not (KERNEL_PARENT_DEATH_SIGNAL and _kernel_parent_death_signal()):
        _watch_parent()


def _kernel_parent_death_signal() -> bool:
    """Linux's fast path: the kernel sends SIGTERM the moment the parent dies.  False if it cannot be set."""
    try:
        import ctypes

        if ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM) != 0:  # PR_SET_PDEATHSIG
            return False
    except Exception:
        return False
    if os.getppid() == 1:  # the parent died before the call took effect
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def _watch_parent() -> None:
    """The portable fallback: a daemon thread that waits for the parent to go and then stops this worker.

    It waits on multiprocessing's parent sentinel (a pipe, or on Windows a process
    handle, that becomes ready when the parent exits) and, on POSIX, also sees the
    parent's process id change (the orphan is adopted by another process).  Then the
    worker stops as SIGTERM would stop it — no further report, and the temporary file
    of a report being written is removed — and exits for good after a short grace.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    original = os.getppid() if hasattr(os, "getppid") else None

    def gone() -> bool:
        if sentinel is not None:
            try:
                if wait([sentinel], timeout=WATCH_SECONDS):
                    return True
            except (OSError, ValueError):
                return True
        else:
            time.sleep(WATCH_SECONDS)
        return original is not None and os.name == "posix" and os.getppid() != original

    def watch() -> None:
        while not gone():
            pass
        _STOP.set()
        _interrupt_self()

    threading.Thread(target=watch, name="summarykit-parent-watchdog", daemon=True).start()


def _interrupt_self() -> None:
    """Stop this worker as SIGTERM does (the handler unwinds the main thread), then exit for good."""
    if os.name == "posix":
        os.kill(os.getpid(), signal.SIGTERM)  # a real signal: wakes the main thread even in a blocking read
    else:  # pragma: no cover - Windows: run the Python-level handler in the main thread
        import _thread

        _thread.interrupt_main(signal.SIGTERM)
    time.sleep(10 * WATCH_SECONDS)  # the main thread cleans up meanwhile
    os._exit(128 + signal.SIGTERM)


def _stop_pool(executor: futures.ProcessPoolExecutor) -> None:
    """Stop a local pool now: cancel what has not started and terminate the workers (SIGTERM, then wait)."""
    processes = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _run_executor(executor: futures.Executor, settings: Settings, tasks: list[_Task], jobs: int,
                  collect: Callable[[_Partial], None],
                  on_submit: Callable[[futures.Future[Any]], None] | None = None) -> None:
    """Fan the tasks out to an executor; a task that fails in transit fails its inputs, not the batch."""
    submitted: dict[futures.Future[Any], list[_Task]] = {}
    for chunk in _chunks(tasks, jobs):
        future = executor.submit(_run_chunk, settings, chunk)
        submitted[future] = chunk
        if on_submit is not None:
            on_submit(future)
    try:
        for done in futures.as_completed(submitted):
            try:
                results = done.result()
            except Exception as exc:  # BrokenProcessPool, a lost cluster worker...: name every input of the chunk
                results = [_Partial(t.position, t.part, (), ((-1, _internal(t.path, exc)),) if t.part == 0 else (), ())
                           for t in submitted[done]]
            for partial in results:
                collect(partial)
    except BaseException:
        for future in submitted:
            future.cancel()
        raise


def _run_caller_executor(executor: futures.Executor, settings: Settings, tasks: list[_Task], jobs: int,
                         collect: Callable[[_Partial], None]) -> None:
    """A caller's executor: on interruption, cancel what has not started and let what runs stop by itself.

    Its workers are not ours to terminate; the stop file tells them to start no further
    report, and the batch waits for them (CALLER_GRACE_SECONDS), so that what it reports
    as written is what is on disk.  Raises _CallerStillRunning when some do not stop in time.
    """
    submitted: list[futures.Future[Any]] = []

    def submit(future: futures.Future[Any]) -> None:
        submitted.append(future)

    try:
        _run_executor(executor, settings, tasks, jobs, collect, on_submit=submit)
    except BaseException as exc:
        marker = stop_file(settings)
        with contextlib.suppress(OSError):
            marker.touch()
        for future in submitted:
            future.cancel()
        try:
            _, running = futures.wait(submitted, timeout=CALLER_GRACE_SECONDS)
        except BaseException:  # a second Ctrl-C: stop waiting; the stop file still stops them
            running = {f for f in submitted if not f.done()}
        if not running:
            with contextlib.suppress(OSError):
                marker.unlink()
        elif isinstance(exc, KeyboardInterrupt):
            raise _CallerStillRunning(len(running)) from None
        raise


def _run_pool(settings: Settings, tasks: list[_Task], jobs: int, collect: Callable[[_Partial], None]) -> None:
    """A local process pool whose workers warm the Kit's caches once, in their initializer."""
    _prepare_parent(settings)
    try:  # jieba, if the phrase-word cache needs it, starts and ends in this helper process
        if not settings.kit.bank.content_words_cached():  # else read here: forked workers inherit them
            with futures.ProcessPoolExecutor(max_workers=1) as helper:
                helper.submit(_warm_words, settings).result()
    except Exception as exc:  # only a speed-up: the workers warm themselves anyway
        log.debug("warm-up process failed: %s", exc)
    executor = futures.ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))
    try:
        _run_executor(executor, settings, tasks, jobs, collect)
    except BaseException:
        _stop_pool(executor)
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
    from .writers.docx import base_package

    if settings.format in ("docx", "pdf"):
        base_package(settings.kit.style)
    try:
        settings.kit.templates.for_render(settings.kit.template or "school_term")  # the one compose renders
    except SummaryKitError:
        pass


def _outcome(path: str, parts: list[_Partial]) -> Outcome:
    outputs = sorted(item for part in parts for item in part.outputs)
    failures = sorted((item for part in parts for item in part.failures), key=lambda item: item[0])
    notices = tuple(n for part in sorted(parts, key=lambda p: p.part) for n in part.notices)
    return Outcome(path, tuple(o for _, o in outputs), tuple(f for _, f in failures), notices)
