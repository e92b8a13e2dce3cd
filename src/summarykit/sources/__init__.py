"""Records from where the figures live: Excel workbooks (.xlsx), CSV files, and rows a program holds.

The stage before records validation: ``xlsx.py`` / ``csv.py`` read a file into ``grid.Sheet`` values
as Excel shows them, ``layouts.py`` turns the documented sheet layouts into plain records data, and
``assemble.py`` merges that with a YAML file's data; records/loading.py validates each report, every
problem located at its cell.  ``summarykit.load`` and ``summarykit batch`` call in here for .xlsx/.csv files
and for YAML files with ``workbook:``; programs use the functions below.

    import summarykit.sources as sources
    reports = sources.load_all("数据.xlsx")            # one Report per department row (or one)
    reports = sources.reports_from_rows([{"分类": "日常维修", "指标": "维修工单", "本年": 1234, "单位": "件"}],
                                        base={"meta": {"organization": "某某中学"}})
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["load_all", "records_from_rows", "reports_from_rows"]


def _sheets_of(rows: Sequence[Any] | Mapping[str, Sequence[Any]], name: str) -> list[Any]:
    from .grid import sheet_from_rows

    if isinstance(rows, Mapping):
        return [sheet_from_rows(sheet_rows, name, str(sheet)) for sheet, sheet_rows in rows.items()]
    return [sheet_from_rows(rows, name, "数据")]


def _sheet_reports(rows: Sequence[Any] | Mapping[str, Sequence[Any]], base: Mapping[str, Any] | None,
                   name: str) -> list[Any]:
    from .assemble import workbook_reports

    return workbook_reports(_sheets_of(rows, name), name, dict(base) if base is not None else None)


def records_from_rows(rows: Sequence[Any] | Mapping[str, Sequence[Any]], *, base: Mapping[str, Any] | None = None,
                      name: str = "<数据>") -> list[dict[str, Any]]:
    """Rows in a sheet layout → each report's plain records data (dicts), not yet validated.

    ``rows`` is one sheet — mappings (header → value) or lists with the header row
    first — or a mapping of sheet name → rows for a whole workbook.  ``base`` is data
    every report starts from (meta and text, as a YAML file would give).  Raises
    RecordsError naming each bad cell.
    """
    return [report.data for report in _sheet_reports(rows, base, name)]


def reports_from_rows(rows: Sequence[Any] | Mapping[str, Sequence[Any]], *, base: Mapping[str, Any] | None = None,
                      name: str = "<数据>") -> list[Any]:
    """Like `records_from_rows`, validated: one ``Report`` per department row, or one for a figures sheet."""
    from ..records.loading import validate_sheet_reports

    return validate_sheet_reports(_sheet_reports(rows, base, name))


def load_all(path: str | os.PathLike[str]) -> list[Any]:
    """Every report a workbook, CSV or YAML records file holds, validated (RecordsError lists all problems)."""
    from ..records.loading import load_every

    return load_every(path)
