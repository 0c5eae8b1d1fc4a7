"""The self-review's text against the ledger's evidence (issue 10).

The checker (`kiemdiem.quantify.checker`) scores how concretely a text is written; it cannot
see whether the products it names exist. This module compares the text with the products the
ledger of tasks holds for the same person and year, and lowers the indicator for each mismatch,
with a Vietnamese sentence saying which:

* ``before_assignment`` — a product dated before its task was assigned cannot be a result of
  that task (the ledger refuses such a result date, but a document's own date is free);
* ``not_in_ledger`` — a document the text cites (by number and symbol) that no product of the
  ledger carries;
* ``claim_exceeds_ledger`` — a count of documents the text claims ("ban hành 15 văn bản")
  above the number of document products in the ledger.

Score: ``max(0, text score − PENALTY × mismatches)``. A person whose ledger holds no product
this year is not compared (the ledger is not kept everywhere; the text score stands alone).
It advises, like the checker; it never decides a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from kiemdiem.quantify.report import SectionsReport
from kiemdiem.quantify.text import fold

__all__ = ["PENALTY", "EvidenceIssue", "EvidenceReport", "LedgerProduct", "check_evidence"]

PENALTY: Final = 10
"""Points taken from the indicator for each mismatch between the text and the ledger."""

IssueKind = Literal["before_assignment", "not_in_ledger", "claim_exceeds_ledger"]

# Units that count documents: "15 văn bản", "3 báo cáo" (folded: no accents, lower case).
DOCUMENT_UNITS: Final = frozenset(
    {
        "van ban",
        "bao cao",
        "to trinh",
        "quyet dinh",
        "ke hoach",
        "cong van",
        "nghi quyet",
        "thong bao",
        "huong dan",
        "chi thi",
        "de an",
        "chuong trinh",
    }
)


@dataclass(frozen=True, slots=True)
class LedgerProduct:
    """One product of the ledger, with its task's title and assignment date."""

    task: str
    assigned_on: date
    label: str  # how a person names it: "Báo cáo số 12/BC-SNV" or the product's title
    dated: date | None = None  # the document's date (None: not a dated document)
    symbol: str = ""  # number and symbol as registered ("12/BC-SNV"); "" for other products

    @property
    def is_document(self) -> bool:
        return bool(self.symbol)


@dataclass(frozen=True, slots=True)
class EvidenceIssue:
    kind: IssueKind
    message_vi: str


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    text_score: int
    issues: tuple[EvidenceIssue, ...]
    compared: bool  # False: the ledger holds no product, nothing was compared

    @property
    def score(self) -> int:
        return max(0, self.text_score - PENALTY * len(self.issues))


def _vn_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _key(symbol: str) -> str:
    return fold(symbol).replace(" ", "").replace("\u00a0", "")


def _before_assignment(products: Sequence[LedgerProduct]) -> list[EvidenceIssue]:
    return [
        EvidenceIssue(
            "before_assignment",
            f"“{p.label}” ghi ngày {_vn_date(p.dated)}, trước ngày giao nhiệm vụ “{p.task}” "
            f"({_vn_date(p.assigned_on)}): không tính là sản phẩm của nhiệm vụ đó.",
        )
        for p in products
        if p.dated is not None and p.dated < p.assigned_on
    ]


def _not_in_ledger(
    report: SectionsReport, products: Sequence[LedgerProduct]
) -> list[EvidenceIssue]:
    known = {_key(p.symbol) for p in products if p.symbol}
    issues: list[EvidenceIssue] = []
    seen: set[str] = set()
    for section in report.sections.values():
        for finding in section.findings:
            doc = finding.document
            if finding.kind != "document" or doc is None:
                continue
            key = _key(doc.symbol)
            if key in known or key in seen:
                continue
            seen.add(key)
            issues.append(
                EvidenceIssue(
                    "not_in_ledger",
                    f"{doc.describe()} nêu trong bản tự kiểm điểm không có trong sổ nhiệm vụ: "
                    "hãy ghi văn bản này làm sản phẩm của nhiệm vụ.",
                )
            )
    return issues


def _claims(report: SectionsReport, products: Sequence[LedgerProduct]) -> list[EvidenceIssue]:
    documents = sum(1 for p in products if p.is_document)
    issues: list[EvidenceIssue] = []
    for section in report.sections.values():
        for finding in section.findings:
            if finding.kind != "quantity" or finding.value is None:
                continue
            unit = " ".join(fold(finding.text).lstrip("0123456789.,/ \t").split())
            if unit not in DOCUMENT_UNITS or finding.value <= Decimal(documents):
                continue
            issues.append(
                EvidenceIssue(
                    "claim_exceeds_ledger",
                    f"Bản tự kiểm điểm nêu “{finding.text}”, sổ nhiệm vụ ghi {documents} văn bản "
                    "là sản phẩm: số nêu trong bản tự kiểm điểm cần có sản phẩm tương ứng.",
                )
            )
    return issues


def check_evidence(report: SectionsReport, products: Sequence[LedgerProduct]) -> EvidenceReport:
    """Compare the self-review's findings with the ledger's products of the same year."""
    if not products:
        return EvidenceReport(text_score=report.score, issues=(), compared=False)
    issues = _before_assignment(products) + _not_in_ledger(report, products)
    issues += _claims(report, products)
    return EvidenceReport(text_score=report.score, issues=tuple(issues), compared=True)
