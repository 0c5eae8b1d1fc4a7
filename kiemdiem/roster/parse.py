"""Rows of the template → typed records, with a problem per bad cell (sheet, row, column)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from kiemdiem.core.text import fold
from kiemdiem.orgs.models import EmploymentCategory, Gender, OrgKind, PartyStatus, PostLevel
from kiemdiem.roster import cells
from kiemdiem.roster.layout import ORGANIZATIONS, PARTY, PEOPLE, POSITIONS, Sheet
from kiemdiem.roster.reader import Cell, Problem, Table


@dataclass
class OrgRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: str
    party_organization: str
    leads: str


@dataclass
class PersonRow:
    row: int
    identity_number: str
    full_name: str
    gender: str
    date_of_birth: dt.date | None
    employment: str
    email: str
    phone: str


@dataclass
class PositionRow:
    row: int
    identity_number: str
    organization: str
    title: str
    level: int
    is_head: bool
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass
class PartyRow:
    row: int
    identity_number: str
    cell: str
    admitted_on: dt.date | None
    official_on: dt.date | None
    status: str
    outside_system: bool


@dataclass
class Parsed:
    organizations: list[OrgRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    party: list[PartyRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Keys of rows left out for a bad cell: references to them are not reported again.
    bad_keys: set[str] = field(default_factory=set)


@functools.cache
def _choice_map(kind: type[Choices], language: str) -> dict[str, Any]:
    """Folded label and value → value, once per choice set and language. The template is in
    Vietnamese whatever the page's language, so the Vietnamese labels are always accepted."""
    lookup: dict[str, Any] = {}
    for lang in ("vi", language):
        with override(lang):
            for value, label in kind.choices:
                lookup[fold(str(value))] = value
                lookup[fold(str(label))] = value
    return lookup


@functools.cache
def _headers(sheet: Sheet) -> dict[str, Any]:
    return {c.key: c for c in sheet.columns}


class _Row:
    """Reads one row's cells, recording a problem for each bad one."""

    def __init__(
        self,
        sheet: Sheet,
        number: int,
        raw: dict[str, Cell],
        out: list[Problem],
        headers: dict[str, Any],
        language: str,
    ):
        self.sheet, self.number, self.raw, self.out = sheet, number, raw, out
        # The caller passes the sheet's headers and the language once for all its rows:
        # hashing the sheet and asking for the language per cell cost seconds on 100,000 rows.
        self.headers, self.language = headers, language
        self.ok = True

    def problem(self, key: str, message: str) -> None:
        self.ok = False
        self.out.append(Problem(self.sheet.title, self.number, self.headers[key].header, message))

    def get(
        self,
        key: str,
        convert: Callable[[Any], Any],
        message: Callable[[], str],
        default: Any = None,
    ) -> Any:
        """`message` is built only on error (100,000 rows × gettext would cost seconds)."""
        value = self.raw.get(key)
        column = self.headers[key]
        if column.required and not isinstance(value, dt.date) and cells.text(value) == "":
            self.problem(key, _("không được để trống."))
            return default
        try:
            return convert(value)
        except cells.CellError as exc:
            self.problem(key, message() % {"value": str(exc)})
            return default

    def text(self, key: str, *, vietnamese: bool = False) -> str:
        value: str = self.get(key, cells.text, str, "")
        encoding = cells.legacy_encoding(value) if vietnamese else None
        if encoding:
            self.problem(
                key,
                _(
                    "“%(value)s” có vẻ được gõ bằng bảng mã %(encoding)s, không phải Unicode; "
                    "hãy chuyển mã sang Unicode (ví dụ bằng Unikey) rồi nhập lại."
                )
                % {"value": value, "encoding": encoding},
            )
        return value

    def date(self, key: str) -> dt.date | None:
        result: dt.date | None = self.get(key, cells.date, _date_message)
        return result

    def choice(self, key: str, kind: type[Choices], default: Any = None) -> Any:
        convert, message = _choice_reader(kind, self.language, default)
        return self.get(key, convert, message, default)

    def flag(self, key: str) -> bool:
        result: bool = self.get(key, cells.flag, _flag_message, False)
        return result

    def identity(self) -> str:
        result: str = self.get("identity_number", cells.identity, str, "")
        return result


# Messages and converters made once, not as closures per cell.
def _date_message() -> str:
    return _("“%(value)s” không phải là ngày hợp lệ (dd/mm/yyyy).")


def _flag_message() -> str:
    return _("“%(value)s” không hợp lệ; ghi “x” hoặc để trống.")


@functools.cache
def _choice_reader(
    kind: type[Choices], language: str, default: Any
) -> tuple[Callable[[Any], Any], Callable[[], str]]:
    lookup = _choice_map(kind, language)

    def convert(value: Any) -> Any:
        return cells.choice(value, lookup, default)

    def message() -> str:
        names = ", ".join(str(label) for label in kind.labels)
        return _("“%(value)s” không hợp lệ; chọn một trong: ") + names + "."

    return convert, message


def _organization(r: _Row) -> OrgRow:
    return OrgRow(
        r.number,
        r.text("code"),
        r.text("name", vietnamese=True),
        r.text("short_name", vietnamese=True),
        r.choice("kind", OrgKind) or "",
        r.text("parent"),
        r.text("party_organization"),
        r.text("leads"),
    )


def _person(r: _Row) -> PersonRow:
    return PersonRow(
        r.number,
        r.identity(),
        r.text("full_name", vietnamese=True),
        r.choice("gender", Gender) or "",
        r.date("date_of_birth"),
        r.choice("employment", EmploymentCategory, EmploymentCategory.NONE),
        r.text("email"),
        r.text("phone"),
    )


def _position(r: _Row) -> PositionRow:
    return PositionRow(
        r.number,
        r.identity(),
        r.text("organization"),
        r.text("title", vietnamese=True),
        r.choice("level", PostLevel, PostLevel.STAFF),
        r.flag("is_head"),
        r.date("start_date"),
        r.date("end_date"),
    )


def _party(r: _Row) -> PartyRow:
    return PartyRow(
        r.number,
        r.identity(),
        r.text("cell"),
        r.date("admitted_on"),
        r.date("official_on"),
        r.choice("status", PartyStatus, PartyStatus.ACTIVE),
        r.flag("outside_system"),
    )


_BUILDERS: dict[str, tuple[Callable[[_Row], Any], str]] = {
    ORGANIZATIONS.key: (_organization, "organizations"),
    PEOPLE.key: (_person, "people"),
    POSITIONS.key: (_position, "positions"),
    PARTY.key: (_party, "party"),
}


def parse_tables(tables: list[Table], problems: list[Problem]) -> Parsed:
    """Typed records of every well-formed row; a row with a bad cell is left out (its problems
    are listed, and the import as a whole is refused)."""
    parsed = Parsed(problems=list(problems))
    language = get_language() or ""
    for table in tables:
        build, attr = _BUILDERS[table.sheet.key]
        target = getattr(parsed, attr)
        headers = _headers(table.sheet)
        for number, raw in table.rows:
            row = _Row(table.sheet, number, raw, parsed.problems, headers, language)
            record = build(row)
            if row.ok:
                target.append(record)
            elif attr in ("organizations", "people"):
                parsed.bad_keys.add(
                    record.code if attr == "organizations" else record.identity_number
                )
    return parsed
