"""NĐ 335 (ND335-4) and the local variant Hải Phòng QĐ 212/2025 (``haiphong212``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.engine.conftest import collective, doc, leader, one, rules_of, staff, tasks


def cc(score: object, **kw: object) -> dict:  # type: ignore[type-arg]
    return staff("S", score=Decimal(str(score)), **kw)


@pytest.mark.parametrize(
    ("score", "level"),
    [(90, "HTXSNV"), ("89.999", "HTTNV"), (70, "HTTNV"), ("69.99", "HTNV"), (50, "HTNV")],
)
def test_nd335_levels_by_score_only(score: object, level: str) -> None:
    r = one(doc(2026, cc(score, tasks=tasks(10, c=5, t=0))))
    assert (r["level"], rules_of(r)) == (level, [("ND335-4", "base")])


def test_nd335_tasks_are_optional_but_checked_when_present() -> None:
    d = staff("S", score=80)
    del d["tasks"]
    assert one(doc(2026, d))["level"] == "HTTNV"


@pytest.mark.parametrize(
    "kw",
    [
        {"degradation": True},
        {"prohibition_violation": True},
        {"discipline": [{"year": 2026, "duty_related": True}]},
    ],
)
def test_nd335_knockouts(kw: dict) -> None:  # type: ignore[type-arg]
    assert rules_of(one(doc(2026, cc(95, **kw)))) == [("ND335-4", "knockout")]


def test_nd335_discipline_not_duty_related_changes_nothing() -> None:
    assert one(doc(2026, cc(95, discipline=[{"year": 2026}])))["level"] == "HTXSNV"


def test_nd335_score_below_50_knocks_out() -> None:
    r = one(doc(2026, cc("49.99")))
    assert (r["level"], rules_of(r)) == ("KHTNV", [("ND335-4", "knockout")])


def test_nd335_leader_corruption_knocks_out() -> None:
    r = one(doc(2026, leader("L", score=95, corruption_in_managed_unit=True)))
    assert rules_of(r) == [("ND335-4", "knockout")]


def test_nd335_keeps_the_nd90_exclusion_and_has_no_absence_cap() -> None:
    assert rules_of(one(doc(2026, cc(95, months_worked=5)))) == [("ND90-2", "exclusion")]
    assert one(doc(2026, cc(95, absent_months=5)))["level"] == "HTXSNV"


HP = {"state": "haiphong212"}


def hp(score: object, **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("tasks", tasks(10, e=5))
    return doc(2025, cc(score, **kw), rules=HP)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, "HTXSNV"),
        ("90.01", "HTXSNV"),
        (90, "HTTNV"),
        ("80.01", "HTTNV"),
        (80, "HTNV"),
        (50, "HTNV"),
        ("49.99", "KHTNV"),
    ],
)
def test_haiphong212_thresholds_are_strictly_above_90_and_80(score: object, level: str) -> None:
    r = one(hp(score))
    assert r["level"] == level
    assert rules_of(r)[0][0] == "HP212-6"


def test_haiphong212_works_when_named_in_rules_and_is_echoed() -> None:
    from tests.engine.conftest import run

    out = run(hp(95))
    assert out["rules"] == {"party": "qd366", "state": "haiphong212"}


def test_haiphong212_base_detail_shows_the_strict_comparison() -> None:
    assert one(hp(95))["reasons"][0]["detail"].startswith("score 95 > 90")


def test_haiphong212_htxsnv_needs_half_exceeded() -> None:
    assert one(hp(95, tasks=tasks(10, e=4)))["level"] == "HTTNV"


def test_haiphong212_htnv_needs_late_at_most_20_percent() -> None:
    assert one(hp(60, tasks=tasks(10, t=8)))["level"] == "HTNV"
    r = one(hp(60, tasks=tasks(10, t=7)))
    assert (r["level"], r["flags"]) == ("KHTNV", ["REVIEW_REQUIRED"])
    assert rules_of(r) == [("HP212-6", "base"), ("HP212-8", "review")]


@pytest.mark.parametrize(
    "kw",
    [
        {"degradation": True},
        {"discipline": [{"year": 2025}]},
        {"tasks": tasks(10, c=8, t=4)},
    ],
)
def test_haiphong212_knockouts(kw: dict) -> None:  # type: ignore[type-arg]
    r = one(hp(95, **kw))
    assert rules_of(r) == [("HP212-6", "knockout")]


def test_haiphong212_leader_knockouts_and_rule_id() -> None:
    unit = collective("U", score=80, tasks=tasks(10, c=4))
    boss = leader("L", score=Decimal(95), leads="U", tasks=tasks(10, e=5))
    r = one(doc(2025, unit, boss, rules=HP), "L")
    assert rules_of(r) == [("HP212-7", "knockout")]
    boss = leader("L", score=Decimal(95), tasks=tasks(10, e=5))
    r = one(doc(2025, boss, rules=HP), "L")
    assert rules_of(r) == [("HP212-7", "base")]


def test_haiphong212_exclusion_and_absence_cap() -> None:
    assert rules_of(one(hp(95, months_worked=5))) == [("HP212-3", "exclusion")]
    r = one(hp(95, absent_months=3))
    assert (r["level"], rules_of(r)) == ("HTNV", [("HP212-6", "base"), ("HP212-3", "cap")])


def test_haiphong212_quota_uses_its_own_rule_id() -> None:
    people = [
        staff(f"S{i}", score=Decimal(95 - i), tasks=tasks(10, e=5), peer_group="G")
        for i in range(6)
    ]
    from tests.engine.conftest import by_id, run

    out = run(doc(2025, *people, rules=HP))
    assert rules_of(by_id(out)["S1"])[-1] == ("HP212-3", "quota")
