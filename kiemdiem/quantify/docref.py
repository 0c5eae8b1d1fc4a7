"""Parse references to Vietnamese official documents as people paste them.

A result is quantified by "concrete products, concrete documents" (lượng hóa bằng sản phẩm cụ
thể, văn bản cụ thể — HD 43-HD/BTCTW item 7.12; QĐ 366-QĐ/TW Art 3 cl. 1; NĐ 90/2020/NĐ-CP
Art 3 cl. 5). The ledger of tasks records each document by kind, number and symbol, date and
summary; this module turns what users paste into those fields and says what is wrong with a
malformed symbol.

Symbols (Decree 30/2020, Appendix III; party guidance HD 36-HD/VPTW):

* state: ``123/QĐ-UBND``; legal documents carry the year: ``212/2025/QĐ-UBND``,
  ``335/2025/NĐ-CP``; a công văn has no kind: ``1234/UBND-VP`` (agency-drafting unit);
* party: ``12-NQ/TU``, ``366-QĐ/TW``, ``43-HD/BTCTW``, ``10072-CV/BTCTW``.

Spans index the caller's original string even when it arrived decomposed (NFD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Final, Literal

from kiemdiem.quantify.kinds import (
    CONG_VAN,
    KIND_WORDS,
    System,
    kind_name_for,
    lookup_code,
)
from kiemdiem.quantify.text import PreparedText, prepare

__all__ = [
    "DocumentReference",
    "find_document_references",
    "find_in_prepared",
    "parse_document_reference",
]

_DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH: Final = f"[{_DASHES}]"
_SP: Final = "[ \\t\\u00a0]?"
_PART_REST: Final = "[A-Za-zĐđ0-9]*"
_BODY: Final = f"[A-ZĐ]{_PART_REST}(?:{_DASH}[A-ZĐ0-9]{_PART_REST})*"

# Run on the NFC text: kind abbreviations are case-sensitive in print ("TTr", "QĐ-TTg").
_SYMBOL: Final = re.compile(
    rf"(?<![\w/.,{_DASHES}])(?P<num>\d{{1,6}})"
    rf"(?:{_SP}{_DASH}{_SP}(?P<pcode>[A-ZĐ][A-Za-zĐđ]{{0,4}})(?:{_SP}/{_SP}(?P<piss>{_BODY}))?"
    rf"|(?:{_SP}/{_SP}(?P<year>(?:19|20)\d{{2}}))?{_SP}/{_SP}(?P<body>{_BODY}))"
    r"(?!\w)"
)

_KIND_ALTERNATION: Final = "|".join(
    re.escape(word).replace("\\ ", "[ \\t]+") for word in sorted(KIND_WORDS, key=len, reverse=True)
)
# Run on the folded text (see text.fold): accent- and case-insensitive kind names.
_KIND_BEFORE: Final = re.compile(
    rf"(?<!\w)(?P<kind>{_KIND_ALTERNATION})[ \t]+(?:so[ \t]*:?[ \t]*)?$"
)
_KIND_NUMBER: Final = re.compile(
    rf"(?<!\w)(?P<kind>{_KIND_ALTERNATION})[ \t]+(?:(?P<so>so)[ \t]*:?[ \t]*)?"
    rf"(?P<num>\d{{1,6}})(?:{_SP}/{_SP}(?P<year>(?:19|20)\d{{2}}))?(?![\w/])"
)
_DATE_NUMERIC: Final = r"(?P<d>\d{1,2}) ?(?P<sep>[/.-]) ?(?P<m>\d{1,2}) ?(?P=sep) ?(?P<y>\d{4})"
_DATE_WORDS: Final = r"(?P<d2>\d{1,2})[ \t]+thang[ \t]+(?P<m2>\d{1,2})[ \t]+nam[ \t]+(?P<y2>\d{4})"
_TAIL_DATE: Final = re.compile(
    rf"[ \t]*,?[ \t]*(?:(?:ban hanh|ky)[ \t]+)?(?:ngay[ \t]+)?(?:{_DATE_NUMERIC}|{_DATE_WORDS})(?!\d)"
)
_TAIL_ISSUER: Final = re.compile(
    r"[ \t]*,?[ \t]*cua[ \t]+(?P<name>[^,;\n()]{1,80}?)"
    r"(?=[ \t]+(?:ve|v/v)[ \t]|[ \t]*[,;\n()]|[ \t]*\.(?:\s|$)|[ \t]*$)"
)
_TAIL_SUMMARY: Final = re.compile(r"[ \t]*,?[ \t]*(?P<sum>(?:ve viec|v/v|ve|trich yeu:?)[ \t]+\S)")
_SUMMARY_END: Final = re.compile(r"[,;\n(]|\.(?:\s|$)")

# Kinds whose issuer is implied: a Nghị định is always issued by the Government.
_IMPLIED_ISSUER: Final = {"NĐ": "CP"}

Mode = Literal["find", "parse", "validate"]


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """One reference to an official document, with its span in the caller's text.

    ``issuer`` is everything after the kind in the symbol ("UBND", "TU", "BNV-BTC"); for a
    công văn it is the agency and drafting unit ("UBND-VP"). ``kind_code`` is "CV" for a
    công văn even though a state công văn's symbol does not contain it.
    """

    kind_code: str
    kind_name: str
    number: int
    year: int | None
    symbol: str
    issuer: str
    system: System
    issued_on: date | None
    summary: str
    span: tuple[int, int]
    issuer_name: str = ""
    text: str = ""

    def describe(self) -> str:
        """Vietnamese citation: "Quyết định số 123/QĐ-UBND ngày 15/03/2025"."""
        label = f"{self.kind_name} số {self.symbol}"
        if self.issued_on is not None:
            label += f" ngày {self.issued_on:%d/%m/%Y}"
        return label


@dataclass(frozen=True, slots=True)
class Scanned:
    """A candidate before it is accepted; validate_symbol needs the raw pieces."""

    start: int
    end: int
    symbol_end: int
    system: System
    num_str: str
    year: int | None
    raw_code: str | None
    code: str | None
    issuer: str
    issuer_parts: tuple[str, ...]
    word_code: str | None
    word_name: str | None
    date_raw: str | None
    date_parts: tuple[int, int, int] | None
    issuer_name: str
    summary: str


_WORD_NAMES: Final = {
    "thong tu lien tich": "Thông tư liên tịch",
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "quy che": "Quy chế",
    "quy dinh": "Quy định",
    "thong cao": "Thông cáo",
    "thong bao": "Thông báo",
    "thong tri": "Thông tri",
    "thong tu": "Thông tư",
    "huong dan": "Hướng dẫn",
    "chuong trinh": "Chương trình",
    "ke hoach": "Kế hoạch",
    "phuong an": "Phương án",
    "de an": "Đề án",
    "du an": "Dự án",
    "bao cao": "Báo cáo",
    "bien ban": "Biên bản",
    "to trinh": "Tờ trình",
    "hop dong": "Hợp đồng",
    "cong van": "Công văn",
    "cong dien": "Công điện",
    "ban ghi nho": "Bản ghi nhớ",
    "ban thoa thuan": "Bản thỏa thuận",
    "giay uy quyen": "Giấy ủy quyền",
    "giay moi": "Giấy mời",
    "giay gioi thieu": "Giấy giới thiệu",
    "giay nghi phep": "Giấy nghỉ phép",
    "phieu gui": "Phiếu gửi",
    "phieu chuyen": "Phiếu chuyển",
    "phieu bao": "Phiếu báo",
    "ket luan": "Kết luận",
}


def _split_dashes(body: str) -> tuple[str, ...]:
    return tuple(re.split(_DASH, body))


def _kind_word_before(prep: PreparedText, start: int) -> tuple[int, str] | None:
    window_start = max(0, start - 48)
    found = _KIND_BEFORE.search(prep.folded, window_start, start)
    if found is None:
        return None
    return found.start(), " ".join(found.group("kind").split())


def _read_tail(
    prep: PreparedText, position: int, mode: Mode
) -> tuple[int, str | None, tuple[int, int, int] | None, str, str]:
    """Date, "của <issuer>" and "về việc <summary>" after a symbol, in that order."""
    folded = prep.folded
    end = position
    date_raw: str | None = None
    date_parts: tuple[int, int, int] | None = None
    found = _TAIL_DATE.match(folded, end)
    if found is not None:
        if found.group("d") is not None:
            day, month, year = found.group("d", "m", "y")
            date_raw = prep.nfc[found.start("d") : found.end("y")]
        else:
            day, month, year = found.group("d2", "m2", "y2")
            date_raw = prep.nfc[found.start("d2") : found.end("y2")]
        date_parts = (int(day), int(month), int(year))
        end = found.end()
    issuer_name = ""
    found = _TAIL_ISSUER.match(folded, end)
    if found is not None and mode != "validate":
        issuer_name = prep.nfc[found.start("name") : found.end("name")].strip()
        end = found.end("name")
    summary = ""
    found = _TAIL_SUMMARY.match(folded, end)
    if found is not None and mode != "validate":
        summary_start = found.start("sum")
        if mode == "parse":
            summary_end = len(folded)
        else:
            stop = _SUMMARY_END.search(folded, summary_start)
            summary_end = stop.start() if stop is not None else len(folded)
        summary = prep.nfc[summary_start:summary_end].rstrip(" \t\n.;,")
        end = summary_start + len(summary)
    return end, date_raw, date_parts, issuer_name, summary


def scan_symbols(prep: PreparedText, mode: Mode) -> list[Scanned]:
    found: list[Scanned] = []
    for match in _SYMBOL.finditer(prep.nfc):
        kind_before = _kind_word_before(prep, match.start())
        word = kind_before[1] if kind_before else None
        start = kind_before[0] if kind_before else match.start()
        year = int(match.group("year")) if match.group("year") else None
        system: System
        if match.group("pcode") is not None:
            system = "party"
            raw_code: str | None = match.group("pcode")
            assert raw_code is not None
            code = lookup_code(raw_code, system)
            issuer = match.group("piss") or ""
            parts = _split_dashes(issuer) if issuer else ()
        else:
            system = "state"
            parts = _split_dashes(match.group("body"))
            code = lookup_code(parts[0], system)
            if code is not None:
                raw_code = parts[0]
                issuer = "-".join(parts[1:])
            else:
                raw_code = None
                issuer = "-".join(parts)
        word_code = KIND_WORDS[word][1 if system == "party" else 0] if word else None
        if mode == "find" and not _plausible(system, code, issuer, parts, word_code, year):
            continue
        end, date_raw, date_parts, issuer_name, summary = _read_tail(prep, match.end(), mode)
        found.append(
            Scanned(
                start=start,
                end=end,
                symbol_end=match.end(),
                system=system,
                num_str=match.group("num"),
                year=year,
                raw_code=raw_code,
                code=code,
                issuer=issuer,
                issuer_parts=parts,
                word_code=word_code,
                word_name=_WORD_NAMES[word] if word else None,
                date_raw=date_raw,
                date_parts=date_parts,
                issuer_name=issuer_name,
                summary=summary,
            )
        )
    return found


def _plausible(
    system: System,
    code: str | None,
    issuer: str,
    parts: tuple[str, ...],
    word_code: str | None,
    year: int | None,
) -> bool:
    """In free text, keep what is clearly a document symbol and drop look-alikes."""
    if word_code is not None:
        return True
    if system == "party":
        return code is not None and bool(issuer)
    if code is not None:
        return bool(issuer)
    # A công văn without a kind word needs agency-unit ("1234/UBND-VP") to be told apart
    # from other slashed text.
    return len(parts) >= 2 or year is not None


def _scan_kind_numbers(prep: PreparedText, taken: list[tuple[int, int]]) -> list[Scanned]:
    """ "Nghị định 30/2020", "Kế hoạch số 45": a kind name and a number without a symbol."""
    found: list[Scanned] = []
    for match in _KIND_NUMBER.finditer(prep.folded):
        if match.group("year") is None and match.group("so") is None:
            continue
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        word = " ".join(match.group("kind").split())
        code = KIND_WORDS[word][0]
        end, date_raw, date_parts, issuer_name, summary = _read_tail(prep, match.end(), "find")
        found.append(
            Scanned(
                start=match.start(),
                end=end,
                symbol_end=match.end(),
                system="state",
                num_str=match.group("num"),
                year=int(match.group("year")) if match.group("year") else None,
                raw_code=None,
                code=None,
                issuer=_IMPLIED_ISSUER.get(code, ""),
                issuer_parts=(),
                word_code=code,
                word_name=_WORD_NAMES[word],
                date_raw=date_raw,
                date_parts=date_parts,
                issuer_name=issuer_name,
                summary=summary,
            )
        )
    return found


def valid_date(parts: tuple[int, int, int] | None) -> date | None:
    if parts is None:
        return None
    day, month, year = parts
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _to_reference(prep: PreparedText, scanned: Scanned) -> DocumentReference:
    system = scanned.system
    code = scanned.code
    if code is None:
        code = scanned.word_code or CONG_VAN
    name = kind_name_for(code, system)
    # The kind name as written decides between kinds that share a code (party "QĐ" is both
    # Quyết định and Quy định).
    if scanned.word_name is not None and (
        scanned.word_code == code or scanned.code is None or code == CONG_VAN
    ):
        name = scanned.word_name
    issuer = scanned.issuer
    if not issuer and code in _IMPLIED_ISSUER:
        issuer = _IMPLIED_ISSUER[code]
    year = scanned.year
    prefix = scanned.num_str + (f"/{year}" if year is not None else "")
    if system == "party":
        symbol = f"{prefix}-{code}" + (f"/{issuer}" if issuer else "")
    elif code == CONG_VAN and scanned.raw_code is None:
        symbol = f"{prefix}/{issuer}"
    else:
        symbol = f"{prefix}/{code}" + (f"-{issuer}" if issuer else "")
    span = prep.original_span(scanned.start, scanned.end)
    return DocumentReference(
        kind_code=code,
        kind_name=name,
        number=int(scanned.num_str),
        year=year,
        symbol=symbol,
        issuer=issuer,
        system=system,
        issued_on=valid_date(scanned.date_parts),
        summary=scanned.summary,
        span=span,
        issuer_name=scanned.issuer_name,
        text=prep.nfc[scanned.start : scanned.end],
    )


def find_in_prepared(prep: PreparedText) -> list[tuple[int, int, DocumentReference]]:
    """All references in already prepared text, in order, each with its span in the NFC
    text (the checker compares spans there); used by the checker."""
    scanned = scan_symbols(prep, "find")
    taken = [(item.start, item.end) for item in scanned]
    scanned.extend(_scan_kind_numbers(prep, taken))
    scanned.sort(key=lambda item: item.start)
    references: list[tuple[int, int, DocumentReference]] = []
    last_end = -1
    for item in scanned:
        if item.start < last_end:
            continue
        references.append((item.start, item.end, _to_reference(prep, item)))
        last_end = item.end
    return references


def find_document_references(text: str) -> list[DocumentReference]:
    """Every document reference in free text (a task result, a self-review section)."""
    return [reference for _, _, reference in find_in_prepared(prepare(text))]


def parse_document_reference(text: str) -> DocumentReference | None:
    """The first document reference in a pasted citation; the rest of the text after "về
    việc" / "V/v" becomes the summary. None when the text names no document."""
    prep = prepare(text)
    scanned = scan_symbols(prep, "parse")
    scanned = [
        item
        for item in scanned
        if _plausible(
            item.system, item.code, item.issuer, item.issuer_parts, item.word_code, item.year
        )
    ]
    if scanned:
        return _to_reference(prep, scanned[0])
    loose = _scan_kind_numbers(prep, [])
    if loose:
        item = loose[0]
        end, _, _, _, summary = _read_tail(prep, item.symbol_end, "parse")
        item = replace(item, end=max(item.end, end), summary=summary or item.summary)
        return _to_reference(prep, item)
    return None
