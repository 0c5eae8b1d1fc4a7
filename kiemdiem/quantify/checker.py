"""Is a task result "quantified by concrete products"?

Regulation 3455-QĐ/TU of Hậu Giang, carried forward by QĐ 366-QĐ/TW Art 3 cl. 1 (criteria-
and product-based evaluation, emphasis on quantitative criteria), HD 43-HD/BTCTW item 7.12
(upper levels specify the evidence for each score) and NĐ 90/2020/NĐ-CP Art 3 cl. 5 (results
"lượng hóa bằng sản phẩm cụ thể"), asks every result to name concrete products and concrete
documents. Self-reviews are full of boilerplate ("hoàn thành tốt các nhiệm vụ được giao") that
names none. This module finds both kinds of text so the form can say, sentence by sentence,
what is missing — it advises; it never decides a level.

The unit of judgement is the clause: text up to ".", "!", "?", ";", "…" or a line break. A
vague phrase in a clause that also names a product is *supported* and not penalised.

Score (0–100), over the scored clauses (a clause is scored when it has a finding or at least
four words and is not a heading):

    score = round_half_up(100 × Q / (N + V))

where N is the number of scored clauses, Q those with at least one concrete finding and V
those with an unsupported vague phrase — so each unsupported vague clause weighs double.
Empty text (N = 0) scores 0. Levels: score ≥ 80 "Lượng hóa tốt", 40 ≤ score < 80 "Lượng hóa
một phần", below 40 "Chưa lượng hóa".
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from kiemdiem.quantify import lexicon
from kiemdiem.quantify.docref import DocumentReference, find_in_prepared
from kiemdiem.quantify.report import (
    Finding,
    FindingKind,
    QuantificationLevel,
    QuantificationReport,
    SectionsReport,
    SentenceReport,
    score_of,
)
from kiemdiem.quantify.text import PreparedText, prepare

__all__ = ["check_sections", "check_text"]

# --- patterns (on the folded text) ---------------------------------------------------------


def _phrase(words: str) -> str:
    return re.escape(words).replace("\\ ", "[ \\t]+")


def _alternation(items: Iterable[str]) -> str:
    return "|".join(_phrase(item) for item in sorted(set(items), key=len, reverse=True))


_NUMBER: Final = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_UNIT_ALT: Final = _alternation(lexicon.UNITS)
_QUANTITY: Final = re.compile(
    rf"(?<![\w.,/-])(?P<num>{_NUMBER})(?:[ \t]?/[ \t]?(?P<of>\d+))?[ \t]*"
    rf"(?P<unit>{_UNIT_ALT})(?!\w)"
)
_WORD_QUANTITY: Final = re.compile(
    rf"(?<!\w)(?P<word>{_alternation(['mot', 'hai', 'ba', 'bon', 'sau', 'bay', 'tam', 'chin', 'muoi'])})"
    rf"(?:[ \t]+(?:muoi|mot|hai|ba|bon|tu|lam|nam|sau|bay|tam|chin)){{0,2}}[ \t]+"
    rf"(?P<unit>{_UNIT_ALT})(?!\w)"
)
_STRUCTURAL: Final = re.compile(
    rf"(?<!\w)(?:{_alternation(lexicon.STRUCTURAL_BEFORE)})[ \t]*(?:thu[ \t]+)?$"
)
_TOTAL: Final = re.compile(r"(?<!\w)tong[ \t]+so[ \t]*$")
_PERIOD_AFTER_MONTHS: Final = re.compile(r"[ \t]+(?:dau|cuoi|qua)?[ \t]*nam(?!\w)")
_PERCENT: Final = re.compile(rf"(?<![\w.,/-])(?P<num>{_NUMBER})[ \t]*(?:%|phan[ \t]+tram(?!\w))")
_DATE_PREFIX: Final = r"(?:(?:truoc|den|tu|sau|vao|han|ke tu|cham nhat(?: la)?|trong)[ \t]+)?"
_DATES: Final = (
    # ngày 12/5/2025, 12-5-2025, 15.3.2025 (dots only with a year: "7.12" is an item number)
    re.compile(
        rf"(?<![\w/.,-]){_DATE_PREFIX}(?:ngay[ \t]+)?(?P<d>\d{{1,2}})[ \t]?(?P<sep>[/.-])[ \t]?"
        rf"(?P<m>\d{{1,2}})[ \t]?(?P=sep)[ \t]?(?P<y>(?:19|20)\d{{2}})(?![\w/])"
    ),
    # ngày 5 tháng 6 năm 2025, ngày 5 tháng 6
    re.compile(
        rf"(?<!\w){_DATE_PREFIX}ngay[ \t]+(?P<d>\d{{1,2}})[ \t]+thang[ \t]+(?P<m>\d{{1,2}})"
        rf"(?:[ \t]+nam[ \t]+(?P<y>\d{{4}}))?(?!\w)"
    ),
    # trước 30/6, ngày 15/3: day and month need a word before them to not be a fraction
    re.compile(
        r"(?<!\w)(?:(?:truoc|den|tu|sau|vao|han|ke tu|cham nhat(?: la)?)[ \t]+(?:ngay[ \t]+)?"
        r"|ngay[ \t]+)(?P<d>\d{1,2})[ \t]?[/-][ \t]?(?P<m>\d{1,2})(?![\w/-]|[.,]\d)"
    ),
    # tháng 6/2025, tháng 6 năm 2025, tháng 6
    re.compile(
        rf"(?<!\w){_DATE_PREFIX}thang[ \t]+(?P<m>\d{{1,2}})"
        r"(?:[ \t]?/[ \t]?(?P<y>(?:19|20)\d{2})|[ \t]+nam[ \t]+(?P<y2>(?:19|20)\d{2}))?(?![\w/])"
    ),
    # quý III/2025, quý 3 năm 2025, quý I
    re.compile(
        rf"(?<!\w){_DATE_PREFIX}quy[ \t]+(?P<q>iv|iii|ii|i|[1-4])"
        r"(?:[ \t]?/[ \t]?(?:19|20)\d{2}|[ \t]+nam[ \t]+(?:19|20)\d{2})?(?![\w/])"
    ),
)
_RANKINGS: Final = (
    re.compile(
        r"(?<!\w)(?:xep|dung|dat)[ \t]+(?:thu|hang)[ \t]+(?:\d+|nhat|nhi|ba)"
        r"(?:[ \t]*/[ \t]*\d+)?(?!\w)"
    ),
    re.compile(r"(?<!\w)xep[ \t]+hang[ \t]+(?:thu[ \t]+)?\d+(?:[ \t]*/[ \t]*\d+)?(?!\w)"),
    re.compile(r"(?<!\w)(?:giai|huy chuong)[ \t]+(?:nhat|nhi|ba|khuyen khich|vang|bac|dong)(?!\w)"),
    re.compile(r"(?<!\w)dung[ \t]+dau(?!\w)"),
)
_NAMED: Final = re.compile(
    rf"(?<!\w)(?P<verb>{_alternation(lexicon.NAMED_VERBS)})[ \t]+"
    rf"(?P<kind>{_alternation(lexicon.NAMED_KINDS)})(?!\w)"
)
_VAGUE: Final = re.compile(
    r"(?<!\w)(?:"
    + "|".join(p.replace(" ", "[ \\t]+") for p in lexicon.VAGUE_PHRASES)
    + rf"|(?:{_alternation(lexicon.VAGUE_QUANTIFIERS)})[ \t]+(?:{_UNIT_ALT})"
    + r")(?!\w)"
)
_CLAUSE_STOP: Final = re.compile(r"[,;:()\n]|[.!?…](?:\s|$)")
_NAMED_MAX_WORDS: Final = 10

# Clause boundaries (on the NFC text). A "." ends a clause only before a blank or the end,
# and not after an abbreviation ("TP. Hồ Chí Minh", "v.v.").
_BOUNDARY: Final = re.compile(r"\n+|;|[.!?…]+(?=\s|$)")
_ABBREVIATIONS: Final = frozenset(
    {
        "tp",
        "ts",
        "ths",
        "pgs",
        "gs",
        "bs",
        "đ/c",
        "v.v",
        "vv",
        "th.s",
        "st",
        "ks",
        "cn",
        "ông",
        "bà",
    }
)
_LIST_MARKER: Final = re.compile(
    r"[ \t]*(?:[-–•*+]|\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,5}|[a-zđ])[.)])[ \t]+"
)
# "Tự nhận mức xếp loại: …", "Xếp loại chất lượng: …" — the proposed level, before a colon.
_LEVEL_LINE: Final = re.compile(r"(?<!\w)(?:xep loai|tu nhan muc)(?!\w)[^.;:\n]{0,40}:")
_LIST_NUMBER: Final = re.compile(r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,5})")
_WORD: Final = re.compile(r"\w+")

_PRIORITY: Final[dict[FindingKind, int]] = {
    "document": 0,
    "date": 1,
    "ranking": 2,
    "percentage": 3,
    "quantity": 4,
    "named_output": 5,
}


@dataclass(slots=True)
class _Candidate:
    kind: FindingKind
    start: int
    end: int
    value: Decimal | None = None
    document: DocumentReference | None = None


def _parse_number(raw: str) -> Decimal:
    """Vietnamese digits: "." groups thousands ("2.500"), "," is the decimal mark ("1,5")."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        return Decimal(raw.replace(".", "").replace(",", "."))
    return Decimal(raw.replace(",", "."))


def _preceded_by_structural(folded: str, start: int) -> bool:
    before = _STRUCTURAL.search(folded, max(0, start - 16), start)
    if before is None:
        return False
    # "tổng số 120 hồ sơ" is an amount; "số 15" alone is a number.
    return _TOTAL.search(folded, max(0, start - 16), start) is None


def _concrete_candidates(prep: PreparedText) -> list[_Candidate]:
    folded, nfc = prep.folded, prep.nfc
    found: list[_Candidate] = []
    for start, end, reference in find_in_prepared(prep):
        found.append(_Candidate("document", start, end, document=reference))
    for pattern in _DATES:
        for match in pattern.finditer(folded):
            if _valid_day_month(match):
                found.append(_Candidate("date", match.start(), match.end()))
    for pattern in _RANKINGS:
        found.extend(_Candidate("ranking", m.start(), m.end()) for m in pattern.finditer(folded))
    for match in _PERCENT.finditer(folded):
        found.append(
            _Candidate("percentage", match.start(), match.end(), _parse_number(match["num"]))
        )
    for match in _QUANTITY.finditer(folded):
        if _preceded_by_structural(folded, match.start()):
            continue
        if match["unit"] == "thang" and _PERIOD_AFTER_MONTHS.match(folded, match.end()):
            continue  # "6 tháng đầu năm" is the period under review, not an amount
        value = None if match["of"] else _parse_number(match["num"])
        found.append(_Candidate("quantity", match.start(), match.end(), value))
    for match in _WORD_QUANTITY.finditer(folded):
        # Compare with marks: "bà con" folds to "ba con" but is not a count.
        word = nfc[match.start("word") : match.end("word")].lower()
        if word in lexicon.NUMBER_WORDS and nfc[match.start("unit")].islower():
            found.append(_Candidate("quantity", match.start(), match.end()))
    for match in _NAMED.finditer(folded):
        if nfc[match.start("kind")].isupper():
            found.append(_Candidate("named_output", match.start(), match.end()))
    return found


def _valid_day_month(match: re.Match[str]) -> bool:
    """A date that does not exist ("31/02", "tháng 13") is not a deadline."""
    groups = match.groupdict()
    month = groups.get("m")
    if month is not None and not 1 <= int(month) <= 12:
        return False
    day = groups.get("d")
    if day is None:
        return True
    assert month is not None
    year = groups.get("y")
    # Without a year, allow 29 February.
    last = calendar.monthrange(int(year) if year else 2024, int(month))[1]
    return 1 <= int(day) <= last


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) meets any of the disjoint spans sorted in starts/ends."""
    index = bisect.bisect_right(ends, start)
    return index < len(starts) and starts[index] < end


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates, earlier kinds in _PRIORITY first, then longer."""
    candidates.sort(key=lambda c: (_PRIORITY[c.kind], -(c.end - c.start), c.start))
    chosen: list[_Candidate] = []
    starts: list[int] = []
    ends: list[int] = []
    for candidate in candidates:
        if _overlaps(starts, ends, candidate.start, candidate.end):
            continue
        index = bisect.bisect_left(starts, candidate.start)
        starts.insert(index, candidate.start)
        ends.insert(index, candidate.end)
        chosen.insert(index, candidate)
    return chosen


def _extend_named_outputs(prep: PreparedText, chosen: list[_Candidate]) -> None:
    """Carry a named output on to its title ("Kế hoạch triển khai chuyển đổi số") up to
    the clause's punctuation or the next finding, so vague words inside a title are not
    read as boilerplate."""
    for index, candidate in enumerate(chosen):
        if candidate.kind != "named_output":
            continue
        limit = chosen[index + 1].start if index + 1 < len(chosen) else len(prep.folded)
        stop = _CLAUSE_STOP.search(prep.folded, candidate.end, limit)
        end = stop.start() if stop is not None else limit
        for count, word in enumerate(_WORD.finditer(prep.nfc, candidate.end, end)):
            if count >= _NAMED_MAX_WORDS or word.group() in lexicon.NAMED_TITLE_STOPS:
                break
            candidate.end = word.end()


def _clauses(prep: PreparedText) -> list[tuple[int, int]]:
    nfc = prep.nfc
    clauses: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(nfc):
        if boundary.group() == "." and _after_abbreviation(nfc, boundary.start()):
            continue
        clauses.append((start, boundary.end()))
        start = boundary.end()
    if start < len(nfc):
        clauses.append((start, len(nfc)))
    trimmed: list[tuple[int, int]] = []
    for clause_start, clause_end in clauses:
        marker = _LIST_MARKER.match(nfc, clause_start, clause_end)
        if marker is not None and (clause_start == 0 or nfc[clause_start - 1] == "\n"):
            clause_start = marker.end()
        while clause_start < clause_end and nfc[clause_start].isspace():
            clause_start += 1
        while clause_end > clause_start and nfc[clause_end - 1].isspace():
            clause_end -= 1
        if clause_start < clause_end:
            trimmed.append((clause_start, clause_end))
    return trimmed


def _after_abbreviation(nfc: str, dot: int) -> bool:
    """An abbreviation, an initial, or a list number opening a line ("1.", "2.3.")."""
    word_start = dot
    while word_start > 0 and not nfc[word_start - 1].isspace():
        word_start -= 1
    token = nfc[word_start:dot].lower()
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return True
    line_start = nfc.rfind("\n", 0, word_start) + 1
    return _LIST_NUMBER.fullmatch(nfc, line_start, dot) is not None


def _is_heading(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return text.endswith(":") or (bool(letters) and all(char.isupper() for char in letters))


def _message(kind: FindingKind, text: str, candidate: _Candidate) -> str:
    if kind == "document" and candidate.document is not None:
        return f"Văn bản cụ thể: {candidate.document.describe()}"
    labels: dict[FindingKind, str] = {
        "quantity": "Số lượng cụ thể",
        "percentage": "Tỷ lệ cụ thể",
        "date": "Thời hạn, thời điểm cụ thể",
        "named_output": "Sản phẩm được nêu tên",
        "ranking": "Thứ hạng cụ thể",
    }
    return f"{labels[kind]}: {text}"


def _vague_message(text: str, supported: bool) -> str:
    if supported:
        return f"Cụm từ “{text}” đã có sản phẩm cụ thể đi kèm trong cùng câu."
    return (
        f"Cụm từ “{text}” chưa có sản phẩm cụ thể đi kèm: nêu số lượng, văn bản, tỷ lệ "
        "hoặc thời hạn cụ thể."
    )


def check_text(text: str) -> QuantificationReport:
    """Find concrete products and unsupported boilerplate in one text; score it.

    Implements the "lượng hóa bằng sản phẩm cụ thể, văn bản cụ thể" requirement (HD 43
    item 7.12; QĐ 366 Art 3 cl. 1; NĐ 90 Art 3 cl. 5) as advice: the score tells the author
    how much of the text names products, and each vague finding says what to add.
    """
    prep = prepare(text)
    chosen = _select(_concrete_candidates(prep))
    _extend_named_outputs(prep, chosen)
    starts = [c.start for c in chosen]
    ends = [c.end for c in chosen]
    vague_spans = [
        (m.start(), m.end())
        for m in _VAGUE.finditer(prep.folded)
        if not _overlaps(starts, ends, m.start(), m.end())
    ]
    clauses = _clauses(prep)
    findings: list[Finding] = []
    sentences: list[SentenceReport] = []
    concrete_index = 0
    vague_index = 0
    for clause_start, clause_end in clauses:
        concrete: list[_Candidate] = []
        while concrete_index < len(chosen) and chosen[concrete_index].start < clause_end:
            if chosen[concrete_index].start >= clause_start:
                concrete.append(chosen[concrete_index])
            concrete_index += 1
        vague: list[tuple[int, int]] = []
        while vague_index < len(vague_spans) and vague_spans[vague_index][0] < clause_end:
            if vague_spans[vague_index][0] >= clause_start:
                vague.append(vague_spans[vague_index])
            vague_index += 1
        level_line = _LEVEL_LINE.search(prep.folded, clause_start, clause_end) is not None
        if level_line:
            # "Tự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ" names a level, not a result.
            vague = [span for span in vague if not prep.folded.startswith("hoan thanh", span[0])]
        supported = bool(concrete)
        clause_findings: list[Finding] = []
        for candidate in concrete:
            matched = prep.nfc[candidate.start : candidate.end]
            clause_findings.append(
                Finding(
                    kind=candidate.kind,
                    span=prep.original_span(candidate.start, candidate.end),
                    text=matched,
                    message_vi=_message(candidate.kind, matched, candidate),
                    value=candidate.value,
                    document=candidate.document,
                )
            )
        for start, end in vague:
            matched = prep.nfc[start:end]
            clause_findings.append(
                Finding(
                    kind="vague",
                    span=prep.original_span(start, end),
                    text=matched,
                    message_vi=_vague_message(matched, supported),
                    supported=supported,
                )
            )
        clause_findings.sort(key=lambda finding: finding.span)
        findings.extend(clause_findings)
        clause_text = prep.nfc[clause_start:clause_end]
        has_findings = bool(clause_findings)
        scored = has_findings or (
            len(_WORD.findall(clause_text)) >= 4 and not _is_heading(clause_text) and not level_line
        )
        sentences.append(
            SentenceReport(
                span=prep.original_span(clause_start, clause_end),
                text=clause_text,
                concrete_count=len(concrete),
                vague_count=len(vague),
                unsupported_vague_count=0 if supported else len(vague),
                scored=scored,
            )
        )
    return _report(tuple(findings), tuple(sentences))


def _report(
    findings: tuple[Finding, ...], sentences: tuple[SentenceReport, ...]
) -> QuantificationReport:
    scored = [sentence for sentence in sentences if sentence.scored]
    score = score_of(
        sum(1 for s in scored if s.quantified),
        len(scored),
        sum(1 for s in scored if s.vague_unsupported),
    )
    return QuantificationReport(findings, sentences, score, QuantificationLevel.for_score(score))


def check_sections(sections: Mapping[str, str]) -> SectionsReport:
    """Check every section of a self-review and pool the counts into one score."""
    reports = MappingProxyType({name: check_text(body) for name, body in sections.items()})
    quantified = sum(report.quantified_count for report in reports.values())
    scored = sum(report.scored_count for report in reports.values())
    vague = sum(report.vague_count for report in reports.values())
    score = score_of(quantified, scored, vague)
    return SectionsReport(reports, score, QuantificationLevel.for_score(score))
