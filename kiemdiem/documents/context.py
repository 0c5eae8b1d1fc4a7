"""What a document shows: plain dataclasses filled by the adapters, read by the DOCX templates.

Pure Python (no Django): the adapters in `kiemdiem.documents.adapters` map rows to these, and
any other source (the decision workflow's meetings, an import) can fill them the same way. Every
string is cleaned once here (`clean`): NFC, and without the control characters XML cannot carry.
Text is never interpreted: the templates are rendered with autoescaping, and a value is a value,
so `{{ 7*7 }}` or `<w:p>` typed in a self-review reach the document as those characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from kiemdiem.core import numbers

# XML 1.0 allows tab, newline and carriage return among the C0 controls, nothing else.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """A user's text made safe to carry: NFC (diacritics composed), no XML-invalid controls."""
    return _XML_INVALID.sub("", unicodedata.normalize("NFC", str(text or "")))


def paragraphs(text: object) -> list[str]:
    """A typed text split into its paragraphs (blank lines dropped)."""
    return [line.strip() for line in clean(text).replace("\r", "").split("\n") if line.strip()]


def vn_number(value: Decimal | int | float | None) -> str:
    """96,63 — Vietnamese decimal comma, dots between thousands, no trailing zeros."""
    return numbers.vn_number(value)


def vn_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def place_date(place: str, day: dt.date | None) -> str:
    """Decree 30/2020 Annex I: "Hà Nội, ngày 05 tháng 01 năm 2026" (day < 10 and months 1, 2
    with a leading zero); blanks to fill by hand when the date is not known yet."""
    if day is None:
        return f"{clean(place)}, ngày     tháng     năm"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{clean(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Heading:
    """The heading block (Decree 30/2020; HD 36-HD/VPTW): the issuing body on the left, the
    national or party title on the right, the number and the place-and-date line below."""

    party: bool
    issuer_parent: str
    issuer: str
    place: str
    date: dt.date | None = None
    number: str = ""

    def as_context(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "issuer_parent": clean(self.issuer_parent).upper(),
            "issuer": clean(self.issuer).upper(),
            "number": clean(self.number),
            "place_date": place_date(self.place, self.date),
        }


@dataclass(frozen=True)
class Section:
    label: str
    text: str

    def as_context(self) -> dict[str, Any]:
        return {"label": clean(self.label), "paragraphs": paragraphs(self.text)}


@dataclass(frozen=True)
class CriterionRow:
    code: str
    label: str
    max_points: Decimal | None = None
    value: str = ""
    group: bool = False  # a group's heading row, carrying its subtotal


@dataclass(frozen=True)
class ResultLine:
    """A ledger result and the products that evidence it (listed under it)."""

    task: str
    target: str
    achieved: str
    deadline: dt.date | None
    completed: dt.date | None
    quality: str
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    lines: tuple[tuple[str, str], ...] = ()  # (label, value): born, post, unit, party cell…


@dataclass(frozen=True)
class Signature:
    title: str
    name: str = ""
    note: str = ""


def _rows(rows: list[CriterionRow]) -> list[dict[str, Any]]:
    return [
        {
            "code": clean(r.code),
            "label": clean(r.label),
            "max": vn_number(r.max_points),
            "value": clean(r.value),
            "group": r.group,
        }
        for r in rows
    ]


def _results(results: list[ResultLine]) -> list[dict[str, Any]]:
    return [
        {
            "no": i,
            "task": clean(r.task),
            "target": clean(r.target),
            "achieved": clean(r.achieved),
            "deadline": vn_date(r.deadline),
            "completed": vn_date(r.completed),
            "quality": clean(r.quality),
            "products": [clean(p) for p in r.products],
        }
        for i, r in enumerate(results, 1)
    ]


def _signatures(signatures: list[Signature]) -> list[dict[str, str]]:
    return [{k: clean(v) for k, v in asdict(s).items()} for s in signatures]


@dataclass(frozen=True)
class SelfReviewDoc:
    """A self-review form (HD 43 Mẫu 01, 2A, 2B, 2C; HD 25 02A, 02B; NĐ 90 Mẫu 01–03; NĐ 335)."""

    form: str  # the template file's name, e.g. "hd43-mau2b"
    form_code: str
    title: str
    subtitle: str
    heading: Heading
    subject: Person
    sections: list[Section]
    criteria: list[CriterionRow] = field(default_factory=list)
    total: Decimal | None = None
    results: list[ResultLine] = field(default_factory=list)
    self_level: str = ""
    signer: Signature = Signature("NGƯỜI TỰ KIỂM ĐIỂM")
    approver: Signature | None = None

    def as_context(self) -> dict[str, Any]:
        return {
            "form_code": clean(self.form_code),
            "title": clean(self.title).upper(),
            "subtitle": clean(self.subtitle),
            "heading": self.heading.as_context(),
            "subject_name": clean(self.subject.name),
            "subject_lines": [
                {"label": clean(a), "value": clean(b)} for a, b in self.subject.lines
            ],
            "sections": [s.as_context() for s in self.sections],
            "criteria": _rows(self.criteria),
            "has_criteria": bool(self.criteria),
            "total": vn_number(self.total),
            "results": _results(self.results),
            "has_results": bool(self.results),
            "self_level": clean(self.self_level),
            "signatures": _signatures([s for s in (self.approver, self.signer) if s]),
        }


@dataclass(frozen=True)
class ListRow:
    """A row of a list document (a notice's annex, a dossier list, the minutes' subjects)."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class ListDoc:
    """A document made of paragraphs and one table: the results notice and its annex, the
    review-meeting minutes, Mẫu 03 (re-rating decision), Mẫu 04 (dossier list), Mẫu 05."""

    form: str
    form_code: str
    title: str
    subtitle: str
    heading: Heading
    intro: list[Section]
    columns: tuple[str, ...]
    rows: list[ListRow]
    outro: list[Section] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)

    def as_context(self) -> dict[str, Any]:
        width = len(self.columns)
        return {
            "form_code": clean(self.form_code),
            "title": clean(self.title).upper(),
            "subtitle": clean(self.subtitle),
            "heading": self.heading.as_context(),
            "intro": [s.as_context() for s in self.intro],
            "columns": [clean(c) for c in self.columns],
            "rows": [[clean(c) for c in (row.cells + ("",) * width)[:width]] for row in self.rows],
            "has_rows": bool(self.rows),
            "outro": [s.as_context() for s in self.outro],
            "signatures": _signatures(self.signatures),
        }
