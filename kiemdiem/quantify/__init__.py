"""Is a result "quantified by concrete products, concrete documents"?

Pure Python (no Django): the document-reference parser (``docref``) and the quantification
checker (``checker``, its verdicts in ``report``) behind the self-review form's advice. See HD 43-HD/BTCTW item 7.12,
QĐ 366-QĐ/TW Art 3 cl. 1 and NĐ 90/2020/NĐ-CP Art 3 cl. 5.
"""

from kiemdiem.quantify.checker import check_sections, check_text
from kiemdiem.quantify.docref import (
    DocumentReference,
    find_document_references,
    parse_document_reference,
)
from kiemdiem.quantify.report import (
    GOOD_THRESHOLD,
    PARTIAL_THRESHOLD,
    Finding,
    FindingKind,
    QuantificationLevel,
    QuantificationReport,
    SectionsReport,
    SentenceReport,
)
from kiemdiem.quantify.symbols import validate_symbol

__all__ = [
    "GOOD_THRESHOLD",
    "PARTIAL_THRESHOLD",
    "DocumentReference",
    "Finding",
    "FindingKind",
    "QuantificationLevel",
    "QuantificationReport",
    "SectionsReport",
    "SentenceReport",
    "check_sections",
    "check_text",
    "find_document_references",
    "parse_document_reference",
    "validate_symbol",
]
