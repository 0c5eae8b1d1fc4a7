"""Builders of the documents' tests: the self-review tests' cycle, with self-reviews typed."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from typing import Any

import pytest
from docx import Document

from kiemdiem.ledger.models import Product
from kiemdiem.reviews.models import Evaluation, SelfReview
from tests.reviews.selfreview.support import (
    GENERAL_FULL,
    PARTY_FULL,
    Setup,
    add_task,
    make_setup,
    sections_for,
)

HOSTILE = (
    "Đã làm {{ 7*7 }} việc <w:p> và {% raw %} xong; <script>alert(1)</script> "
    '=HYPERLINK("http://x","y") & “ngoặc kép”'
)


def _tool(name: str, package: str) -> pytest.MarkDecorator:
    """Skipped without the tool, except under CI=true, where the test runs and fails loudly."""
    missing = not shutil.which(name) and os.environ.get("CI") != "true"
    return pytest.mark.skipif(
        missing, reason=f"{name} is not installed (apt-get install {package})"
    )


requires_soffice = _tool("soffice", "libreoffice-writer-nogui")
requires_poppler = _tool("pdftotext", "poppler-utils")


def with_reviews(cast) -> Setup:
    """The self-review tests' cycle; the party form carries hostile text, the NĐ 335 sheet its
    30 general points, and the staff member's ledger one task with a document product."""
    setup = make_setup(cast)
    SelfReview.objects.create(
        evaluation=setup.party,
        sections=sections_for(setup.party, HOSTILE),
        criteria=PARTY_FULL,
        proposed_level="HTTNV",
    )
    SelfReview.objects.create(
        evaluation=setup.state,
        sections=sections_for(setup.state),
        criteria=GENERAL_FULL,
        proposed_level="HTTNV",
    )
    Evaluation.objects.filter(pk=setup.state.pk).update(score="96.63")
    task = add_task(cast.staff_person, cast.division)
    Product.objects.create(
        result=task.results.get(),
        kind=Product.Kind.DOCUMENT,
        title="Báo cáo thẩm định",
        doc_kind_name="Báo cáo",
        doc_symbol="45/BC-SNV",
        summary="Kết quả thẩm định hồ sơ quý II",
    )
    return setup


def docx_text(data: bytes) -> str:
    """Every paragraph of a DOCX, tables included (python-docx opens it or the test fails)."""
    return document_text(Document(io.BytesIO(data)))


def document_text(doc: Any) -> str:
    """Every paragraph of an opened python-docx document, tables included."""
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()
