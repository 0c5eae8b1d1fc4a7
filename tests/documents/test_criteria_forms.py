"""Every shipped criteria template prints on its own form: QĐ 366 (HD 43 Mẫu 01, 2A, 2B, 2C),
QĐ 124 (HD 25 Mẫu 01, 02A, 02B), NĐ 90 Mẫu 01–03 and the NĐ 335 sheet, each criterion listed
with its points (and the group subtotals) or its grade, the template's form code on top."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kiemdiem.documents import adapters
from kiemdiem.documents.blueprint import FORMS
from kiemdiem.documents.context import Heading, Person, SelfReviewDoc, vn_number
from kiemdiem.documents.render import render_docx
from kiemdiem.reviews.criteria.loader import read_template_files
from kiemdiem.reviews.evaluations.models import Evaluation, Grade
from tests.documents.support import docx_text

SHIPPED = Path(adapters.__file__).resolve().parents[1] / "reviews" / "criteria"
TEMPLATES = [data for _, data in read_template_files(sorted(SHIPPED.glob("*.json")))]


def _form(data: dict) -> tuple[str, str]:
    evaluation = SimpleNamespace(
        template_id=1,
        template=SimpleNamespace(code=data["code"]),
        subject=Evaluation.Subject.INDIVIDUAL,
        track=data.get("track", ""),
    )
    return adapters.form_for(evaluation)


def test_every_form_is_reached_by_a_shipped_template_and_has_its_file():
    forms = {_form(data)[0] for data in TEMPLATES}
    assert forms == {form for _, form, _ in adapters.FORMS}
    assert all((FORMS / f"{form}.docx").is_file() for form in forms)
    by_code = {data["code"]: _form(data)[0] for data in TEMPLATES}
    assert by_code["qd366-pl3-lanh-dao"] == "hd43-mau2a"
    assert by_code["qd366-pl5-ngoai-he-thong"] == "hd43-mau2c"
    assert by_code["qd124-mau02b-lanh-dao"] == "hd25-mau02b"
    assert by_code["nd90-mau03-vien-chuc"] == "nd90-mau03"
    assert by_code["nd335-cong-chuc-lanh-dao"] == "nd335-phieu"


@pytest.mark.parametrize("data", TEMPLATES, ids=[d["code"] for d in TEMPLATES])
def test_the_form_lists_every_criterion_with_its_points_or_grade(data):
    form, title = _form(data)
    points = data["scoring"] == "points"
    definition = data["definition"]
    criteria = [c for g in definition["groups"] for c in g["criteria"]]
    values = {c["code"]: c["max_points"] if points else Grade.GOOD for c in criteria}
    rows = adapters.criteria_rows(definition, values, points)
    text = docx_text(
        render_docx(
            SelfReviewDoc(
                form=form,
                form_code=data["form_code"],
                title=title,
                subtitle="Năm 2026",
                heading=Heading(form.startswith("hd"), "Cấp trên", "Đơn vị", "Sông Hậu"),
                subject=Person("Nguyễn Thị Ánh"),
                sections=[],
                criteria=rows,
                total=sum(c["max_points"] for c in criteria) if points else None,
            )
        )
    )
    assert data["form_code"] in text
    for c in criteria:
        assert c["label"] in text, c["code"]
    if points:
        for group in definition["groups"]:
            subtotal = sum(c["max_points"] for c in group["criteria"])
            assert subtotal == group["max_points"], group["code"]  # the sheet adds up
            assert vn_number(subtotal) in text
        assert f"Tổng điểm tự chấm: {vn_number(sum(c['max_points'] for c in criteria))}" in text
    else:
        assert str(dict(Grade.choices)[Grade.GOOD]) in text
        assert "Tổng điểm" not in text
