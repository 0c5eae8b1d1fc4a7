"""NĐ 90/48 (contract 4, 4.1, 4.2; rule ids ND90-*): state side up to 2025."""

from __future__ import annotations

import pytest

from tests.engine.conftest import collective, doc, leader, one, rules_of, staff, tasks

Y = 2025


def cs(id: str = "S", **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("general", "good")
    return staff(id, **kw)


def test_htxsnv_needs_exactly_half_exceeded_all_on_time_and_good_general() -> None:
    r = one(doc(Y, cs(tasks=tasks(10, e=5))))
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("ND90-11", "base")])
    assert one(doc(Y, cs(tasks=tasks(10, e=4))))["level"] == "HTTNV"
    assert one(doc(Y, cs(general="average", tasks=tasks(10, e=5))))["level"] == "HTNV"


def test_httnv_rule_and_htnv_rule_ids() -> None:
    assert rules_of(one(doc(Y, cs())))[0] == ("ND90-13", "base")
    assert rules_of(one(doc(Y, cs(tasks=tasks(10, t=8)))))[0] == ("ND90-15", "base")


def test_late_exactly_20_percent_is_htnv_and_more_meets_no_level() -> None:
    assert one(doc(Y, cs(tasks=tasks(10, t=8))))["level"] == "HTNV"
    r = one(doc(Y, cs(tasks=tasks(10, t=7))))
    assert (r["level"], r["flags"]) == ("KHTNV", ["REVIEW_REQUIRED"])
    assert rules_of(r) == [("ND90-15", "base"), ("ND90-17", "review")]


@pytest.mark.parametrize(("on_time", "ko"), [(5, False), (4, True)])
def test_more_than_half_late_or_not_done_knocks_out(on_time: int, ko: bool) -> None:
    r = one(doc(Y, cs(tasks=tasks(10, c=8, t=on_time))))
    assert (("ND90-16", "knockout") in rules_of(r)) is ko


def test_general_poor_knocks_out() -> None:
    assert rules_of(one(doc(Y, cs(general="poor")))) == [("ND90-16", "knockout")]


def test_any_current_year_discipline_knocks_out_even_self_remedied_without_review() -> None:
    d = [{"year": Y, "self_remedied": True}]
    r = one(doc(Y, cs(discipline=d)))
    assert (r["level"], r["flags"], rules_of(r)) == ("KHTNV", [], [("ND90-6", "knockout")])


def test_discipline_already_counted_is_ignored() -> None:
    d = [{"year": Y, "already_counted": True}]
    assert one(doc(Y, cs(discipline=d)))["level"] == "HTTNV"


def test_degradation_knocks_out() -> None:
    assert rules_of(one(doc(Y, cs(degradation=True)))) == [("ND90-16", "knockout")]


@pytest.mark.parametrize(
    ("months", "maternity", "excluded"), [(5, False, True), (6, False, False), (3, True, False)]
)
def test_fewer_than_six_months_excludes_unless_maternity(
    months: int, maternity: bool, excluded: bool
) -> None:
    r = one(doc(Y, cs(months_worked=months, maternity=maternity)))
    assert (r["level"] == "NOT_RATED") is excluded
    if excluded:
        assert rules_of(r) == [("ND90-2", "exclusion")]


def test_decimal_months_compare_exactly() -> None:
    from decimal import Decimal

    assert one(doc(Y, cs(months_worked=Decimal("5.99"))))["level"] == "NOT_RATED"


@pytest.mark.parametrize(("absent", "level"), [(3, "HTNV"), (2, "HTXSNV")])
def test_absence_of_three_months_caps_at_htnv(absent: int, level: str) -> None:
    r = one(doc(Y, cs(tasks=tasks(10, e=5), absent_months=absent)))
    assert (r["level"], r["base_level"]) == (level, "HTXSNV")
    if level == "HTNV":
        assert rules_of(r) == [("ND90-11", "base"), ("ND90-3", "cap")]


def test_maternity_does_not_lift_the_absence_cap() -> None:
    r = one(doc(Y, cs(absent_months=4, maternity=True)))
    assert r["level"] == "HTNV"


def test_absence_cap_leaves_no_reason_when_it_does_not_lower() -> None:
    r = one(doc(Y, cs(tasks=tasks(10, t=9), absent_months=4)))
    assert (r["level"], rules_of(r)) == ("HTNV", [("ND90-15", "base")])


def _unit(id: str = "U", **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("score", 80)
    return collective(id, **kw)


def test_leader_htxsnv_needs_unit_half_exceeded() -> None:
    unit = _unit(tasks=tasks(10, e=5))
    r = one(doc(Y, unit, leader("L", general="good", leads="U", tasks=tasks(10, e=5))), "L")
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("ND90-12", "base")])
    unit = _unit(tasks=tasks(10, e=4))
    r = one(doc(Y, unit, leader("L", general="good", leads="U", tasks=tasks(10, e=5))), "L")
    assert (r["level"], rules_of(r)) == ("HTTNV", [("ND90-14", "base")])


@pytest.mark.parametrize(("on_time", "level"), [(8, "HTTNV"), (7, "HTNV")])
def test_leader_httnv_needs_unit_80_percent_on_time(on_time: int, level: str) -> None:
    unit = _unit(tasks=tasks(10, t=on_time))
    r = one(doc(Y, unit, leader("L", general="good", leads="U")), "L")
    assert r["level"] == level


@pytest.mark.parametrize(("done", "level"), [(8, "HTNV"), (7, "KHTNV")])
def test_leader_htnv_needs_unit_above_70_percent(done: int, level: str) -> None:
    unit = _unit(tasks=tasks(10, c=done))
    r = one(doc(Y, unit, leader("L", general="good", leads="U")), "L")
    assert r["level"] == level


@pytest.mark.parametrize(("done", "ko"), [(4, True), (5, False)])
def test_leader_knocked_out_when_unit_under_half(done: int, ko: bool) -> None:
    unit = _unit(tasks=tasks(10, c=done))
    r = one(doc(Y, unit, leader("L", general="good", leads="U")), "L")
    assert (("ND90-16", "knockout") in rules_of(r)) is ko


def test_leader_corruption_in_managed_unit_knocks_out() -> None:
    r = one(doc(Y, leader("L", general="good", corruption_in_managed_unit=True)))
    assert rules_of(r) == [("ND90-16", "knockout")]


def _managed(levels: list[str]) -> list[dict]:  # type: ignore[type-arg]
    score = {"HTXSNV": 95, "HTTNV": 80, "HTNV": 60, "KHTNV": 40}
    t = {"HTXSNV": tasks(10, e=5), "HTTNV": tasks(10), "HTNV": tasks(10), "KHTNV": tasks(10)}
    return [_unit(f"M{i}", score=score[lv], tasks=t[lv]) for i, lv in enumerate(levels)]


@pytest.mark.parametrize(
    ("managed", "level"),
    [
        (["HTTNV"] * 7 + ["HTNV"] * 3, "HTTNV"),  # exactly 70% at HTTNV or better
        (["HTTNV"] * 6 + ["HTNV"] * 4, "HTNV"),
        (["HTTNV"] * 9 + ["KHTNV"], "HTNV"),  # not every managed unit at HTNV
        (["HTNV"] * 7 + ["KHTNV"] * 3, "HTNV"),  # exactly 70% at HTNV or better
        (["HTNV"] * 6 + ["KHTNV"] * 4, "KHTNV"),
    ],
)
def test_leader_managed_units_shares(managed: list[str], level: str) -> None:
    units = _managed(managed)
    boss = leader("L", general="good", manages=[u["id"] for u in units])
    assert one(doc(Y, *units, boss), "L")["level"] == level


def test_leader_detail_shows_unit_and_managed_counts() -> None:
    units = _managed(["HTTNV", "HTNV"])
    boss = leader("L", general="good", manages=["M0", "M1"])
    detail = one(doc(Y, *units, boss), "L")["reasons"][0]["detail"]
    assert "managed 0 HTXSNV, 1 HTTNV, 1 HTNV, 0 KHTNV" in detail
