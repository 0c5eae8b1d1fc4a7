"""Reading roster files (XLSX, CSV) into rows keyed by the template's columns.

XLSX is read with python-calamine (Rust; 6.1 s where openpyxl's read-only mode took 104 s on
the 255,098 rows of the 100k province, bench/bench_roster.py); CSV with the standard library,
decoded as UTF-8 (with or without BOM), else Windows-1258. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kiemdiem.core.text import fold
from kiemdiem.roster.layout import INSTRUCTIONS_TITLE, Sheet, sheet_for_headers, sheet_for_title

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass
class Table:
    sheet: Sheet
    # (row number as the user sees it, {column key: raw cell})
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def line(self) -> str:
        where = _("Trang “%(sheet)s”") % {"sheet": self.sheet}
        if self.row:
            where += _(", dòng %(row)s") % {"row": self.row}
        if self.column:
            where += _(", cột “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


class RosterReadError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.line() for p in problems))
        self.problems = problems


def clean_header(value: Cell) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).replace("\u00a0", " ")
    return fold(text)


def _tables_from_grid(
    sheet: Sheet, grid: list[list[Cell]], problems: list[Problem], label: str
) -> Table:
    table = Table(sheet)
    # The header is the first non-empty row (files often carry a title line above it).
    start = next((i for i, r in enumerate(grid) if any(c not in (None, "") for c in r)), None)
    if start is None:
        return table
    by_header = sheet.header_map()
    keys: list[str | None] = []
    for cell in grid[start]:
        keys.append(by_header.get(clean_header(cell)))
    missing = [c.header for c in sheet.columns if c.required and c.key not in keys]
    for header in missing:
        problems.append(
            Problem(label, start + 1, header, _("thiếu cột bắt buộc trong dòng tiêu đề."))
        )
    if missing:
        return table
    pairs = [(i, k) for i, k in enumerate(keys) if k is not None]
    width = max((i for i, _k in pairs), default=-1) + 1
    append = table.rows.append
    for offset, raw in enumerate(grid[start + 1 :], start=start + 2):
        if not any(c not in (None, "") and str(c).strip() for c in raw):
            continue
        if len(raw) >= width:  # the usual full row: no bounds check per cell
            append((offset, {k: raw[i] for i, k in pairs}))
        else:
            append((offset, {k: raw[i] for i, k in pairs if i < len(raw)}))
    return table


def read_xlsx(path: Path) -> tuple[list[Table], list[Problem]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise RosterReadError(
            [Problem(path.name, 0, "", _("không đọc được tệp Excel (%(error)s).") % {"error": exc})]
        ) from exc
    tables: list[Table] = []
    problems: list[Problem] = []
    for name in workbook.sheet_names:
        if fold(name) == fold(INSTRUCTIONS_TITLE):
            continue
        grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheet = sheet_for_title(name)
        if sheet is None:
            first = next((r for r in grid if any(c not in (None, "") for c in r)), [])
            sheet = sheet_for_headers([clean_header(c) for c in first])
        if sheet is None:
            if any(any(c not in (None, "") for c in r) for r in grid):
                problems.append(
                    Problem(
                        name,
                        0,
                        "",
                        _("không nhận ra trang này (tên trang hoặc dòng tiêu đề không khớp mẫu)."),
                    )
                )
            continue
        tables.append(_tables_from_grid(sheet, grid, problems, name))
    return tables, problems


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1258, the Vietnamese Windows code page; TCVN3 and VNI
    bytes decode too and are recognized later by `legacy_encoding` on the text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def read_csv(path: Path) -> tuple[list[Table], list[Problem]]:
    text = decode_csv(path.read_bytes())
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    grid: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    first = next((r for r in grid if any(c.strip() for c in r if isinstance(c, str))), [])
    sheet = sheet_for_headers([clean_header(c) for c in first])
    if sheet is None:
        raise RosterReadError(
            [Problem(path.name, 1, "", _("dòng tiêu đề không khớp trang nào của mẫu."))]
        )
    problems: list[Problem] = []
    table = _tables_from_grid(sheet, grid, problems, path.name)
    return [table], problems


def read_roster(path: Path) -> tuple[list[Table], list[Problem]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise RosterReadError([Problem(path.name, 0, "", _("chỉ nhận tệp .xlsx hoặc .csv."))])
