"""Errors and notices shared by every stage.

Every stage reports bad input through one family of exceptions so that the CLI
(and any program embedding the library) can catch ``SummaryKitError`` once and
show a clean message, never a traceback.  Problems carry their own location so
that a records file with five mistakes yields one error listing all five.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""  # field path such as ``achievements[0].items[2].text``
    hint: str = ""  # how to fix it, in plain Chinese

    def location(self) -> str:
        parts = [self.file or "<输入>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: "
        if self.path:
            text += f"{self.path}："
        text += self.message
        if self.hint:
            text += f"（{self.hint}）"
        return text


@dataclass(frozen=True)
class Notice:
    """Something the library changed or noticed that the user should know about.

    Notices are not errors: the output is still produced.  The library never
    prints them; it logs them and returns them on the objects it produces.
    """

    code: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class SummaryKitError(Exception):
    """Base class: bad input or a failed step the user can do something about."""

    exit_code = 2

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)

    def report(self) -> str:
        """The full, human-readable message (headline plus one line per problem)."""
        lines = [str(self.args[0])]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


class RecordsError(SummaryKitError):
    """A records file could not be read or does not validate."""

    @classmethod
    def collect(cls, file: str, problems: Sequence[Problem]) -> RecordsError:
        count = len(problems)
        return cls(f"{file or '<输入>'}：发现 {count} 处问题，未生成任何文件。", problems)


class TemplateError(SummaryKitError):
    """A template is missing, unsafe or fails while rendering.

    A located error carries one Problem (template file, line, message, hint); its
    headline already names the place, so the report adds only the hint.
    """

    def report(self) -> str:
        if len(self.problems) == 1:
            hint = self.problems[0].hint
            return str(self.args[0]) + (f"\n  建议：{hint}" if hint else "")
        return super().report()


class PhraseBankError(SummaryKitError):
    """A phrase bank file is malformed."""


class StyleError(SummaryKitError):
    """A style file is malformed."""


class OutputError(SummaryKitError):
    """The output cannot be written where asked."""


class DependencyError(SummaryKitError):
    """An optional external program (such as LibreOffice) is missing."""
