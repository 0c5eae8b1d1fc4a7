"""Self-review forms filled from the data: every form, typed text kept literal, products
listed under their results, points on the NĐ 335 sheet."""

from __future__ import annotations

import unicodedata

import pytest

from kiemdiem.documents import adapters
from kiemdiem.documents.blueprint import FORMS, LIST_FORMS, SELF_REVIEW_FORMS
from kiemdiem.documents.render import render_docx, template_path
from kiemdiem.reviews.models import Evaluation
from tests.documents.support import HOSTILE, docx_text, with_reviews
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers


def test_every_form_has_its_template_file():
    names = [f.name for f in SELF_REVIEW_FORMS] + [f.name for f in LIST_FORMS]
    assert {p.stem for p in FORMS.glob("*.docx")} >= set(names)
    assert {form for _, form, _ in adapters.FORMS} <= set(names)


def test_a_form_name_cannot_leave_the_forms_folder():
    with pytest.raises(ValueError):
        template_path("../settings")


def test_a_province_copy_of_a_template_takes_precedence(settings, tmp_path):
    (tmp_path / "hd43-mau2b.docx").write_bytes((FORMS / "hd43-mau01.docx").read_bytes())
    settings.DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    assert template_path("hd43-mau2b") == tmp_path / "hd43-mau2b.docx"
    assert template_path("hd43-mau2a") == FORMS / "hd43-mau2a.docx"


def docs_of(setup):
    rows = adapters.load_evaluations(Evaluation.objects.filter(cycle=setup.cycle))
    ledger = adapters.ledger_for(rows)
    return {e.code: adapters.self_review_doc(e, ledger) for e in rows}


def test_each_evaluation_gets_its_form(cast):
    docs = docs_of(with_reviews(cast))
    assert docs["P-ANH"].form == "hd43-mau2b"
    assert docs["O-PCC"].form == "hd43-mau01"
    assert docs["S-ANH"].form == "nd335-phieu"
    assert docs["S-DUC"].form == "nd335-phieu"


def test_typed_text_comes_out_literally_never_interpreted(cast):
    text = docx_text(render_docx(docs_of(with_reviews(cast))["P-ANH"]))
    assert HOSTILE in text
    assert "49" not in text.replace("2026", "")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CỘNG HÒA XÃ HỘI" not in text
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text
    assert "Mẫu 2B-HD KĐ.ĐG 2025" in text
    assert "Chi bộ: Chi bộ Phòng Công chức" in text
    assert "Tự xếp loại chất lượng: Hoàn thành tốt nhiệm vụ" in text
    assert text == unicodedata.normalize("NFC", text)


def test_state_sheet_shows_points_and_the_products_under_their_result(cast):
    text = docx_text(render_docx(docs_of(with_reviews(cast))["S-ANH"]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC" in text
    assert "Tổng điểm tự chấm: 96,63" in text
    assert "Thẩm định hồ sơ" in text
    task_at = text.index("Thẩm định hồ sơ")
    product_at = text.index("- Báo cáo số 45/BC-SNV: Kết quả thẩm định hồ sơ quý II")
    assert product_at > task_at
    assert "Chức vụ, chức danh: Chuyên viên, Phòng Công chức" in text


def test_control_characters_are_dropped_not_fatal(cast):
    setup = with_reviews(cast)
    review = setup.party.self_review
    review.sections = {k: "a\x01b\x0bc\u0065\u0301" for k in review.sections}
    review.save()
    text = docx_text(render_docx(docs_of(setup)["P-ANH"]))
    assert "abcé" in text
