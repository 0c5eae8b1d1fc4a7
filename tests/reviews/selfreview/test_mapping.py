"""The mapping from a self-review's values and the ledger to the facts the engine reads.

Pure: definitions are read from the criteria files, nothing touches the database.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kiemdiem.reviews import rules
from kiemdiem.reviews.selfreview.mapping import (
    LedgerFigures,
    map_to_facts,
    parse_points,
    quantified_sections,
    section_required,
)

CRITERIA = Path(__file__).resolve().parents[3] / "kiemdiem/reviews/criteria"


def definition(code: str) -> dict:
    return json.loads((CRITERIA / f"{code}.v1.json").read_text())["definition"]


PARTY_FULL = {
    "1.1": "4",
    "1.2": "4",
    "1.3": "4",
    "1.4": "5",
    "1.5": "4",
    "1.6": "3",
    "1.7": "6",
    "2.1": "30",
    "2.2": "20",
    "2.3": "20",
}


def points(criteria, *, family="qd366", code="qd366-pl4-khong-chuc-vu", ledger=None, **kw):
    return map_to_facts(
        definition=definition(code),
        scoring="points",
        ledger_score=rules.ledger_scores(family),
        criteria=criteria,
        ledger=ledger,
        **kw,
    )


def grades(criteria, *, code="qd124-mau02a-khong-chuc-vu", family="qd124", **kw):
    return map_to_facts(
        definition=definition(code),
        scoring="grades",
        ledger_score=rules.ledger_scores(family),
        criteria=criteria,
        **kw,
    )


def test_the_score_is_the_sum_of_the_criterion_points():
    mapped = points({**PARTY_FULL, "1.1": "3,5", "2.1": "27.25"})
    assert mapped.facts["score"] == Decimal("96.75")
    assert mapped.group_totals == {"chung": Decimal("29.5"), "ket_qua": Decimal("67.25")}
    assert mapped.errors == {} and mapped.missing == []


def test_an_incomplete_form_gives_no_score_but_keeps_the_running_total():
    mapped = points({"1.1": "4", "2.1": "25"})
    assert mapped.facts["score"] is None
    assert mapped.total == Decimal(29)
    assert mapped.missing == ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.2", "2.3"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("4,5", "Điểm phải từ 0 đến 4."),
        ("-1", "Điểm phải từ 0 đến 4."),
        ("3,125", "Điểm chỉ lấy đến 2 chữ số thập phân."),
        ("bốn", "Nhập số điểm, ví dụ 8 hoặc 8,5."),
        ("NaN", "Nhập số điểm, ví dụ 8 hoặc 8,5."),
    ],
)
def test_a_criterion_outside_its_range_or_badly_typed_is_an_error_and_blocks_the_score(
    raw, message
):
    mapped = points({**PARTY_FULL, "1.1": raw})
    assert mapped.errors == {"c-1.1": message}
    assert mapped.facts["score"] is None


def test_points_accept_the_vietnamese_decimal_comma_and_two_places():
    assert parse_points("8,25", Decimal(10)) == (Decimal("8.25"), "")
    assert parse_points("8.50", Decimal(10)) == (Decimal("8.50"), "")
    assert parse_points("0", Decimal(10)) == (Decimal("0.00"), "")


def test_under_nd335_the_results_group_is_the_ledgers_results_score():
    ledger = LedgerFigures(
        assigned=4, completed=4, on_time=3, exceeded=1, results_score=Decimal("61.25")
    )
    general = {"1.1": "5", "1.2": "5", "1.3": "4", "1.4": "5", "1.5": "5", "1.6": "4"}
    mapped = points(general, family="nd335", code="nd335-cong-chuc", ledger=ledger)
    assert mapped.ledger_groups == ["ket_qua"]
    assert mapped.facts["score"] == Decimal("89.25")
    assert mapped.facts["tasks_assigned"] == 4 and mapped.facts["tasks_on_time"] == 3


def test_typed_results_points_are_ignored_when_the_ledger_scores_the_results():
    ledger = LedgerFigures(assigned=1, completed=1, on_time=1, results_score=Decimal(70))
    general = {c: "5" for c in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")}
    mapped = points(
        {**general, "2.1": "1", "2.2": "999"}, family="nd335", code="nd335-cong-chuc", ledger=ledger
    )
    assert mapped.facts["score"] == Decimal(100)
    assert mapped.errors == {}


def test_without_ledger_tasks_the_nd335_results_group_is_typed():
    general = {c: "5" for c in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")}
    typed = {**general, "2.1": "20", "2.2": "10", "2.3": "10"}
    mapped = points(typed, family="nd335", code="nd335-cong-chuc", ledger=LedgerFigures())
    assert mapped.ledger_groups == []
    assert mapped.facts["score"] == Decimal(70)
    assert "tasks_assigned" not in mapped.facts


def test_the_general_grade_is_the_lowest_general_criterion_and_the_results_grade_its_own():
    criteria = {
        "chinh_tri": "excellent",
        "dao_duc": "good",
        "neu_guong": "excellent",
        "ky_luat": "excellent",
        "van_hoa": "good",
        "tac_phong": "excellent",
        "doi_moi": "excellent",
        "results_grade": "excellent",
    }
    mapped = grades(criteria)
    assert mapped.facts == {
        "general": "good",
        "results_grade": "excellent",
        "shortcomings_previous": 0,
        "shortcomings_remedied": 0,
    }
    # 124-9: "every criterion at least Tốt" fails as soon as one is Trung bình.
    assert grades({**criteria, "van_hoa": "average"}).facts["general"] == "average"


def test_a_leaders_capacity_criteria_count_in_the_general_grade():
    leader = definition("qd124-mau02b-lanh-dao")
    criteria = {c["code"]: "excellent" for g in leader["groups"] for c in g["criteria"]}
    criteria["tien_do"] = "poor"
    mapped = grades(criteria, code="qd124-mau02b-lanh-dao")
    assert mapped.facts["general"] == "poor"
    assert mapped.facts["results_grade"] == "excellent"


def test_an_unchosen_grade_leaves_the_grade_empty_and_names_the_criterion():
    mapped = grades({"chinh_tri": "good", "results_grade": "good"})
    assert mapped.facts["general"] == ""
    assert mapped.facts["results_grade"] == "good"
    assert "dao_duc" in mapped.missing


def test_a_grade_outside_the_list_is_an_error():
    mapped = grades({"chinh_tri": "superb"})
    assert mapped.errors["c-chinh_tri"] == "Chọn một mức trong danh sách."


def test_task_counts_come_from_the_ledger():
    ledger = LedgerFigures(assigned=10, completed=9, on_time=8, exceeded=3)
    mapped = points(PARTY_FULL, ledger=ledger)
    assert {
        k: mapped.facts[k]
        for k in ("tasks_assigned", "tasks_completed", "tasks_on_time", "tasks_exceeded")
    } == {"tasks_assigned": 10, "tasks_completed": 9, "tasks_on_time": 8, "tasks_exceeded": 3}


def test_shortcomings_are_typed_and_remedied_cannot_exceed_previous():
    assert (
        points(PARTY_FULL, shortcomings_previous="3", shortcomings_remedied="2").facts[
            "shortcomings_remedied"
        ]
        == 2
    )
    mapped = points(PARTY_FULL, shortcomings_previous="1", shortcomings_remedied="2")
    assert mapped.errors == {
        "shortcomings_remedied": (
            "Số hạn chế đã khắc phục (2) không thể lớn hơn số hạn chế được chỉ ra (1)."
        )
    }
    assert "shortcomings_previous" not in mapped.facts
    assert points(PARTY_FULL, shortcomings_previous="hai").errors == {
        "shortcomings_previous": "Nhập một số nguyên không âm."
    }


def test_the_results_sections_are_the_quantified_ones_and_if_any_sections_are_optional():
    d = definition("qd366-pl4-khong-chuc-vu")
    assert quantified_sections(d) == ["ket_qua_nhiem_vu"]
    optional = [s["code"] for s in d["sections"] if not section_required(s)]
    assert optional == ["giai_trinh", "trach_nhiem", "tu_xep_loai"]
