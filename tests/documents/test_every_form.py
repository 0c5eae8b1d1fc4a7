"""Every form the app prints, each built from its context dataclass (no database): its DOCX
opens with python-docx in the Decree 30/2020 layout (A4, margins 20/20/30/15 mm, Times New
Roman, heading block, place-and-date line, signature block); LibreOffice converts them all in
one batch and Typst typesets them, and the PDFs hold the Vietnamese text in NFC, typed markup
as literal text, an embedded Times-compatible font and a page with ink."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from docx import Document

from kiemdiem.documents import adapters, builders
from kiemdiem.documents.blueprint import LIST_FORMS, SELF_REVIEW_FORMS
from kiemdiem.documents.context import (
    CriterionRow,
    Heading,
    Person,
    ResultLine,
    Section,
    SelfReviewDoc,
    Signature,
)
from kiemdiem.documents.pdf import convert_many, typst_pdf
from kiemdiem.documents.render import render_docx
from tests.documents.support import document_text, requires_poppler, requires_soffice
from tests.documents.test_pdf import assert_embedded_font_and_ink, pdftotext

NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")  # decomposed on purpose: printed NFC
NFC_NAME = "Nguyễn Thị Ánh"
TYPED = '<script>alert(1)</script> =HYPERLINK("http://x","y") {{ 7*7 }}'
# pdftotext may read a justified line's words out of order: each part is checked on its own.
TYPED_PARTS = ("<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "{{ 7*7 }}")
DAY = dt.date(2026, 12, 10)
PLACE_DATE = "Sông Hậu, ngày 10 tháng 12 năm 2026"


def _heading(party: bool) -> Heading:
    return Heading(
        party=party,
        issuer_parent="Đảng bộ tỉnh Sông Hậu" if party else "UBND tỉnh Sông Hậu",
        issuer="Chi bộ Phòng Công chức" if party else "Sở Nội vụ",
        place="Sông Hậu",
        date=DAY,
        number="12-BC/CB",
    )


def _results() -> list[ResultLine]:
    return [
        ResultLine(
            task="Thẩm định hồ sơ tuyển dụng",
            target="120 hồ sơ",
            achieved="126 hồ sơ",
            deadline=dt.date(2026, 6, 30),
            completed=dt.date(2026, 6, 20),
            quality="Vượt yêu cầu",
            products=("Báo cáo số 45/BC-SNV: Kết quả thẩm định hồ sơ quý II",),
        )
    ]


def self_review_docs() -> dict[str, SelfReviewDoc]:
    return {
        form: SelfReviewDoc(
            form=form,
            form_code=f"Mẫu {form}",
            title=title,
            subtitle="Năm 2026",
            heading=_heading(form.startswith("hd")),  # HD 43, HD 25: party forms
            subject=Person(NAME, (("Chức vụ, đơn vị", "Chuyên viên, Phòng Công chức"),)),
            sections=[Section("Ưu điểm", f"Đã làm xong; {TYPED}")],
            criteria=[
                CriterionRow("1", "Chính trị, tư tưởng", Decimal(10), "9,5", group=True),
                CriterionRow("1.1", "Chấp hành chủ trương", Decimal(5), "5"),
            ],
            total=Decimal("96.63"),
            results=_results(),
            self_level="Hoàn thành tốt nhiệm vụ",
            signer=Signature("NGƯỜI TỰ KIỂM ĐIỂM", NAME),
        )
        for _, form, title in adapters.FORMS
    }


def list_docs() -> dict[str, object]:
    signer = Signature("T/M CHI BỘ", "Trần Văn Đức")
    rated = builders.Rated(NAME, "Chuyên viên", "HTTNV")
    return {
        "thong-bao-ket-qua": builders.results_notice(
            heading=_heading(True), cycle_name="Năm 2026", year=2026, rated=[rated], signer=signer
        ),
        "bien-ban-hop": builders.meeting_minutes(
            builders.Minutes(
                heading=_heading(True),
                held_on=DAY,
                place="Phòng họp",
                chair="Trần Văn Đức",
                secretary="Lê Thị Thu",
                present=2,
                expected=3,
                absent=["Phạm Văn Cường (đi công tác)"],
                items=[builders.MinutesItem(NAME, "HTTNV", TYPED, {"HTTNV": 2}, "HTTNV")],
                quorum=True,
            )
        ),
        "hd43-mau03": builders.rerating_decision(
            heading=_heading(True),
            subject=rated,
            previous_level="HTXSNV",
            reason=TYPED,
            signer=signer,
        ),
        "hd43-mau04": builders.dossier_list(
            heading=_heading(True),
            year=2026,
            entries=[(f"Bản kiểm điểm {NAME}", TYPED)],
            signer=signer,
        ),
        "hd43-mau05": builders.self_assessment(
            heading=_heading(True),
            name=NAME,
            detail=TYPED,
            period="quý IV năm 2026",
            results=_results(),
            level="Hoàn thành tốt nhiệm vụ",
            signer=Signature("NGƯỜI TỰ ĐÁNH GIÁ", NAME),
        ),
    }


def all_docs() -> dict[str, object]:
    return {**self_review_docs(), **list_docs()}


def squash(text: str) -> str:
    """Without whitespace: a narrow table cell wraps a long value (pdftotext then splits it)."""
    return "".join(text.split())


def test_every_form_is_built_and_its_docx_opens_in_the_decree_30_layout():
    docs = all_docs()
    names = {f.name for f in SELF_REVIEW_FORMS} | {f.name for f in LIST_FORMS}
    assert set(docs) == names  # every template of the blueprint is exercised here
    for name, document in docs.items():
        doc = Document(io.BytesIO(render_docx(document)))
        section = doc.sections[0]
        mm = [
            round(x.mm)
            for x in (
                section.page_width,
                section.page_height,
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        ]
        assert mm == [210, 297, 20, 20, 30, 15], name  # A4; top, bottom, left, right
        assert doc.styles["Normal"].font.name == "Times New Roman", name
        text = document_text(doc)
        assert text == unicodedata.normalize("NFC", text), name
        assert NFC_NAME in text, name
        assert (TYPED in text) == (name != "thong-bao-ket-qua"), name  # literal, never run
        party = "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        state = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert party != state, name  # exactly one heading block, chosen by the data
        assert PLACE_DATE in text, name
        assert document.title.upper() in text, name
        for signature in document.as_context()["signatures"]:
            assert signature["title"] in text, name


@requires_soffice
@requires_poppler
def test_libreoffice_converts_every_form_with_the_text_intact(tmp_path):
    docs = all_docs()
    sources = []
    for name, document in docs.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render_docx(document))
        sources.append(path)
    pdfs = convert_many(sources, tmp_path / "pdf")
    assert [p.stem for p in pdfs] == list(docs)
    for pdf, (name, document) in zip(pdfs, docs.items(), strict=True):
        flat = " ".join(pdftotext(pdf).split())
        assert flat == unicodedata.normalize("NFC", flat), name
        assert NFC_NAME in flat and PLACE_DATE in flat, name
        assert document.title.upper() in flat, name
        if name != "thong-bao-ket-qua":
            assert all(squash(part) in squash(flat) for part in TYPED_PARTS), name
    assert_embedded_font_and_ink(pdfs[0], pdfs[-1], tmp_path)


@requires_poppler
@pytest.mark.parametrize("name", sorted(all_docs()))
def test_typst_typesets_every_form_with_the_text_intact(tmp_path, name):
    document = all_docs()[name]
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(typst_pdf(document))
    flat = " ".join(pdftotext(pdf).split())
    assert flat == unicodedata.normalize("NFC", flat)
    assert NFC_NAME in flat and PLACE_DATE in flat
    assert document.title.upper() in flat
    if name != "thong-bao-ket-qua":
        assert all(squash(part) in squash(flat) for part in TYPED_PARTS)
