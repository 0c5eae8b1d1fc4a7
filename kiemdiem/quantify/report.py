"""The quantification checker's verdicts: findings, clauses, the score and its level.

The formula (see `kiemdiem.quantify.checker`): score = round_half_up(100 × Q / (N + V)) over the
scored clauses; levels from `GOOD_THRESHOLD` and `PARTIAL_THRESHOLD`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from kiemdiem.quantify.docref import DocumentReference

FindingKind = Literal[
    "quantity", "percentage", "document", "date", "named_output", "ranking", "vague"
]

GOOD_THRESHOLD: Final = 80
"""Score from which a text is "Lượng hóa tốt"."""
PARTIAL_THRESHOLD: Final = 40
"""Score from which a text is "Lượng hóa một phần"; below it, "Chưa lượng hóa"."""


class QuantificationLevel(enum.Enum):
    """English identifiers, Vietnamese labels (STYLE.md practice 5)."""

    NONE = "none"
    PARTIAL = "partial"
    GOOD = "good"

    @property
    def label_vi(self) -> str:
        return _LEVEL_LABELS[self]

    @classmethod
    def for_score(cls, score: int) -> QuantificationLevel:
        if score >= GOOD_THRESHOLD:
            return cls.GOOD
        if score >= PARTIAL_THRESHOLD:
            return cls.PARTIAL
        return cls.NONE


_LEVEL_LABELS: Final = {
    QuantificationLevel.NONE: "Chưa lượng hóa",
    QuantificationLevel.PARTIAL: "Lượng hóa một phần",
    QuantificationLevel.GOOD: "Lượng hóa tốt",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """Something concrete (or vague) found in the text.

    ``span`` indexes the caller's original string; ``text`` is the NFC form of that slice.
    ``supported`` matters for vague findings only: True when the same clause names a
    concrete product. ``value`` is the amount of a quantity or percentage ("2.500" → 2500,
    "1,5" → 1.5).
    """

    kind: FindingKind
    span: tuple[int, int]
    text: str
    message_vi: str
    supported: bool = True
    value: Decimal | None = None
    document: DocumentReference | None = None

    @property
    def concrete(self) -> bool:
        return self.kind != "vague"


@dataclass(frozen=True, slots=True)
class SentenceReport:
    """One clause: how many concrete findings and unsupported vague phrases it holds."""

    span: tuple[int, int]
    text: str
    concrete_count: int
    vague_count: int
    unsupported_vague_count: int
    scored: bool

    @property
    def quantified(self) -> bool:
        return self.concrete_count > 0

    @property
    def vague_unsupported(self) -> bool:
        return self.unsupported_vague_count > 0


def round_half_up(numerator: int, denominator: int) -> int:
    # Integer arithmetic: the same score on every platform, no banker's rounding.
    return (200 * numerator + denominator) // (2 * denominator)


def score_of(quantified: int, scored: int, vague: int) -> int:
    if scored == 0:
        return 0
    return round_half_up(quantified, scored + vague)


@dataclass(frozen=True, slots=True)
class QuantificationReport:
    """The checker's verdict on one text; see the module docstring for the formula."""

    findings: tuple[Finding, ...]
    sentences: tuple[SentenceReport, ...]
    score: int
    level: QuantificationLevel

    @property
    def level_label(self) -> str:
        return self.level.label_vi

    @property
    def scored_count(self) -> int:
        return sum(1 for sentence in self.sentences if sentence.scored)

    @property
    def quantified_count(self) -> int:
        return sum(1 for sentence in self.sentences if sentence.scored and sentence.quantified)

    @property
    def vague_count(self) -> int:
        return sum(
            1 for sentence in self.sentences if sentence.scored and sentence.vague_unsupported
        )

    @property
    def unsupported_vague(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == "vague" and not f.supported)

    def meets(self, minimum: int) -> bool:
        """Whether the score reaches a minimum a cycle may set (e.g. 40 to allow submitting)."""
        return self.score >= minimum


@dataclass(frozen=True, slots=True)
class SectionsReport:
    """A whole self-review: one report per section and the pooled score.

    The pooled score applies the same formula to the summed counts, i.e. each section
    weighs by its number of scored clauses; it equals ``check_text`` on the sections joined
    by line breaks.
    """

    sections: Mapping[str, QuantificationReport] = field(hash=False)
    score: int
    level: QuantificationLevel

    @property
    def level_label(self) -> str:
        return self.level.label_vi

    def meets(self, minimum: int) -> bool:
        return self.score >= minimum
