"""The cyclic garbage collector paused while one report is loaded, composed or written.

Each stage allocates many small containers that stay alive until the stage ends
(nodes, dicts, models, blocks); CPython's collector, triggered by allocation
counts, then walks everything alive again and again — at 5,000 paragraphs a
fifth of the time, for nothing, since the stages make almost no cycles and
reference counting frees the rest.  The collector is paused for the duration
of a stage and resumed after it (the pattern Mercurial's ``util.nogc`` uses),
so whatever cycles a stage did make are collected as usual afterwards.

Only a caller that found the collector running resumes it: nested stages and a
program that turned the collector off itself are left as they were.  The pause is
process-wide, so another thread allocating meanwhile is not collected either; it
lasts one stage (milliseconds for a usual report).  A thread that turns the collector
off *while* a stage runs in another finds it on again when that stage ends.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cyclic garbage collector paused (resumed afterwards if it was on)."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@contextlib.contextmanager
def for_command(pause: bool, ending: bool) -> Iterator[None]:
    """A command of the command line: the collector paused for all of it (``pause``), and, when the
    process ends right after (``ending``), what is alive then frozen (``gc.freeze``) instead of walked.

    A command over one records file (``render``, ``validate`` of one file) spends its start-up importing
    pydantic and building models and templates, objects that all stay alive until the process ends,
    and the collector made ~90 passes over them (~5% of a render).  Many files (``validate *.yaml``)
    are not paused: a file with errors leaves reference cycles that should not pile up.  Resumed afterwards, it would walk them all once more, and Python walks them
    again as it exits (~4%); frozen, they are left to the exit, which frees memory without a walk.
    Frozen objects are never collected, so only the process's own command line (which ends) freezes.
    """
    paused = pause and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if ending:
            gc.freeze()
        if paused:
            gc.enable()
