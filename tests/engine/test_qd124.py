"""QĐ 124 (contract 4, 4.1, 4.2, 9.14; rule ids 124-*): party side 2023–2024."""

from __future__ import annotations

import pytest

from tests.engine.conftest import collective, doc, leader, one, rules_of, staff, tasks

Y = 2024


def member(id: str = "P", **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("general", "good")
    kw.setdefault("results_grade", "good")
    return staff(id, track="party", **kw)


def unit(id: str = "U", role: str = "organization", **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("general", "good")
    kw.setdefault("results_grade", "good")
    return collective(id, role, **kw)


@pytest.mark.parametrize(
    ("general", "results", "level", "rule"),
    [
        ("good", "excellent", "HTXSNV", "124-9"),
        ("average", "excellent", "HTTNV", "124-11"),
        ("average", "good", "HTTNV", "124-11"),
        ("good", "average", "HTNV", "124-12"),
        ("average", "average", "HTNV", "124-12"),
    ],
)
def test_collective_levels_follow_the_grades(
    general: str, results: str, level: str, rule: str
) -> None:
    r = one(doc(Y, unit(general=general, results_grade=results)))
    assert (r["level"], rules_of(r)) == (level, [(rule, "base")])


def test_collective_tasks_are_required_but_not_read() -> None:
    r = one(doc(Y, unit(results_grade="excellent", tasks=tasks(10, c=5, t=0))))
    assert r["level"] == "HTXSNV"


@pytest.mark.parametrize(("field"), ["general", "results_grade"])
def test_a_poor_grade_knocks_out(field: str) -> None:
    r = one(doc(Y, member(**{field: "poor"})))
    assert rules_of(r) == [("124-13", "knockout")]


def test_individual_htxsnv_needs_half_exceeded_and_all_on_time() -> None:
    r = one(doc(Y, member(results_grade="excellent", tasks=tasks(10, e=5))))
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("124-10", "base")])
    assert one(doc(Y, member(results_grade="excellent", tasks=tasks(10, e=4))))["level"] == "HTTNV"


def test_individual_httnv_and_htnv_use_the_nd90_task_pattern() -> None:
    assert rules_of(one(doc(Y, member()))) == [("124-15", "base")]
    r = one(doc(Y, member(general="average")))
    assert (r["level"], rules_of(r)) == ("HTNV", [("124-15", "base")])
    r = one(doc(Y, member(tasks=tasks(10, t=7))))
    assert (r["level"], r["flags"]) == ("KHTNV", ["REVIEW_REQUIRED"])
    assert rules_of(r) == [("124-15", "base"), ("124-8", "review")]


def test_discipline_not_self_remedied_knocks_out() -> None:
    r = one(doc(Y, member(discipline=[{"year": Y}])))
    assert (r["level"], rules_of(r)) == ("KHTNV", [("124-13", "knockout")])


def test_self_remedied_discipline_only_blocks_htxsnv_without_flag_or_cap() -> None:
    d = [{"year": Y, "self_remedied": True, "duty_related": True}]
    r = one(doc(Y, member(results_grade="excellent", tasks=tasks(10, e=5), discipline=d)))
    assert (r["level"], r["base_level"], r["flags"]) == ("HTTNV", "HTTNV", [])
    assert rules_of(r) == [("124-15", "base")]


def test_collective_with_self_remedied_discipline_is_held_at_httnv() -> None:
    d = [{"year": Y, "self_remedied": True}]
    r = one(
        doc(
            Y,
            unit("LD", "leadership", general="excellent", results_grade="excellent", discipline=d),
        )
    )
    assert (r["level"], rules_of(r)) == ("HTTNV", [("124-11", "base")])


def test_collective_with_discipline_not_self_remedied_is_knocked_out() -> None:
    r = one(doc(Y, unit(discipline=[{"year": Y}])))
    assert rules_of(r) == [("124-13", "knockout")]


@pytest.mark.parametrize(("done", "ko"), [(4, True), (5, False)])
def test_individual_more_than_half_not_done_knocks_out(done: int, ko: bool) -> None:
    r = one(doc(Y, member(tasks=tasks(10, c=done))))
    assert (("124-13", "knockout") in rules_of(r)) is ko


def test_leaders_are_judged_on_their_own_tasks() -> None:
    u = unit(tasks=tasks(10, c=2))
    r = one(
        doc(
            Y,
            u,
            leader(
                "L",
                track="party",
                general="good",
                results_grade="excellent",
                leads="U",
                tasks=tasks(10, e=5),
            ),
        ),
        "L",
    )
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("124-10", "base")])


def test_absence_of_three_months_caps_at_htnv_with_the_project_reading() -> None:
    r = one(doc(Y, member(absent_months=3)))
    assert (r["level"], rules_of(r)) == ("HTNV", [("124-15", "base"), ("124-18", "cap")])


def test_admission_after_30_june_excludes_under_124_2() -> None:
    r = one(doc(Y, member(party_admission="2024-07-01")))
    assert rules_of(r) == [("124-2", "exclusion")]
