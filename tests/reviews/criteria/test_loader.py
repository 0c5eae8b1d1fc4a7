"""Criteria templates: the shipped data and the versioned loader."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.criteria.loader import CRITERIA_DIR, criteria_load, template_errors
from kiemdiem.reviews.models import CriteriaTemplate

SHIPPED = sorted(CRITERIA_DIR.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def test_every_family_and_kind_of_subject_has_a_shipped_template():
    kinds = {(d["family"], d["subject_kind"]) for d in map(_load, SHIPPED)}
    assert {("qd366", k) for k in ("collective", "leader", "staff", "party_outside")} <= kinds
    assert {("qd124", k) for k in ("collective", "leader", "staff")} <= kinds
    assert {("nd90", "leader"), ("nd90", "staff"), ("nd335", "leader"), ("nd335", "staff")} <= kinds


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_template_is_valid_nfc_and_named_after_its_code_and_version(path):
    data = _load(path)
    assert template_errors(data) == []
    assert path.name == f"{data['code']}.v{data['version']}.json"
    for text in _strings(data):
        assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(
    "path", [p for p in SHIPPED if _load(p)["scoring"] == "points"], ids=lambda p: p.stem
)
def test_point_templates_give_exactly_30_general_and_70_results_points(path):
    groups = _load(path)["definition"]["groups"]
    assert [g["max_points"] for g in groups] == [30, 70]
    for g in groups:
        assert sum(c["max_points"] for c in g["criteria"]) == g["max_points"]


@pytest.mark.parametrize(
    "path", [p for p in SHIPPED if _load(p)["scoring"] == "grades"], ids=lambda p: p.stem
)
def test_grade_templates_grade_every_criterion_on_the_four_level_scale(path):
    for group in _load(path)["definition"]["groups"]:
        for crit in group["criteria"]:
            assert crit["grades"] == ["excellent", "good", "average", "poor"]
            assert "max_points" not in crit
    codes = [c["code"] for g in _load(path)["definition"]["groups"] for c in g["criteria"]]
    assert "results_grade" in codes


def test_the_2023_forms_are_02a_for_non_leaders_and_02b_for_leaders_with_hau_giang_criteria():
    by_code = {d["code"]: d for d in map(_load, SHIPPED)}
    staff, leader = by_code["qd124-mau02a-khong-chuc-vu"], by_code["qd124-mau02b-lanh-dao"]
    assert (staff["form_code"], staff["subject_kind"]) == ("Mẫu 02A-HD KĐ.ĐG 2023", "staff")
    assert (leader["form_code"], leader["subject_kind"]) == ("Mẫu 02B-HD KĐ.ĐG 2023", "leader")
    labels = [c["label"] for g in leader["definition"]["groups"] for c in g["criteria"]]
    assert "Dám nghĩ, dám làm, dám chịu trách nhiệm, dám đột phá" in labels
    assert "Văn hóa giao tiếp, ứng xử" in labels
    assert len(labels) == 7 + 9 + 1


def test_hd43_individual_forms_carry_the_self_review_sections():
    by_code = {d["code"]: d for d in map(_load, SHIPPED)}
    sections = [s["code"] for s in by_code["qd366-pl4-khong-chuc-vu"]["definition"]["sections"]]
    for code in (
        "uu_diem",
        "ket_qua_nhiem_vu",
        "han_che",
        "khac_phuc",
        "giai_trinh",
        "tu_xep_loai",
    ):
        assert code in sections


def test_loading_twice_creates_every_template_once(db):
    first = criteria_load()
    second = criteria_load()
    assert len(first.created) == len(SHIPPED)
    assert (second.created, len(second.unchanged)) == ([], len(SHIPPED))
    assert CriteriaTemplate.objects.count() == len(SHIPPED)
    assert AuditEvent.objects.filter(action="criteria_template.create").count() == len(SHIPPED)


def test_a_changed_file_with_the_same_version_is_refused_and_nothing_is_written(db, tmp_path):
    shutil.copy(SHIPPED[0], tmp_path / SHIPPED[0].name)
    criteria_load(directory=tmp_path)
    data = _load(SHIPPED[0])
    data["name"] = data["name"] + " (sửa)"
    (tmp_path / SHIPPED[0].name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    other = _load(SHIPPED[1])
    (tmp_path / SHIPPED[1].name).write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        criteria_load(directory=tmp_path)
    assert exc.value.messages == [
        f"{SHIPPED[0].name}: mẫu “{data['code']}” phiên bản 1 đã được nạp với nội dung khác. "
        "Không sửa một phiên bản đã nạp: hãy lưu nội dung mới thành phiên bản 2."
    ]
    assert CriteriaTemplate.objects.count() == 1  # the valid new file was not written either


def test_a_province_edit_saved_as_the_next_version_loads_beside_the_old_one(db, tmp_path):
    data = _load(CRITERIA_DIR / "qd366-pl4-khong-chuc-vu.v1.json")
    (tmp_path / "a.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["version"] = 2
    data["definition"]["groups"][1]["criteria"][0]["max_points"] = 40
    data["definition"]["groups"][1]["criteria"][1]["max_points"] = 10
    (tmp_path / "b.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = criteria_load(directory=tmp_path)
    assert report.created == ["qd366-pl4-khong-chuc-vu v1", "qd366-pl4-khong-chuc-vu v2"]


def test_points_that_do_not_add_up_are_refused_with_the_reason(db, tmp_path):
    data = _load(CRITERIA_DIR / "qd366-pl4-khong-chuc-vu.v1.json")
    data["definition"]["groups"][0]["criteria"][0]["max_points"] = 5
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        criteria_load(directory=tmp_path)
    assert exc.value.messages == [
        "x.json: groups[0] (“chung”): max_points 30 khác tổng điểm các tiêu chí (31)."
    ]
    assert not CriteriaTemplate.objects.exists()


def test_decomposed_unicode_in_a_file_is_stored_precomposed(db, tmp_path):
    data = _load(CRITERIA_DIR / "qd366-pl4-khong-chuc-vu.v1.json")
    data["name"] = unicodedata.normalize("NFD", data["name"])
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    criteria_load(directory=tmp_path)
    stored = CriteriaTemplate.objects.get()
    assert stored.name == unicodedata.normalize("NFC", data["name"])


def test_the_load_criteria_command_reports_new_and_unchanged_templates(db, capsys):
    call_command("load_criteria")
    call_command("load_criteria")
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"0 mẫu mới, {len(SHIPPED)} mẫu không đổi."
