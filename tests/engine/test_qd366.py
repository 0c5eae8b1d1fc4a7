"""QĐ 366 (contract 4, 4.1, 4.2; rule ids 366-*): party side from 2025."""

from __future__ import annotations

import pytest

from tests.engine.conftest import collective, doc, leader, one, rules_of, staff, tasks

Y = 2025


def member(id: str = "P", **kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("score", 80)
    return staff(id, track="party", **kw)


@pytest.mark.parametrize(
    ("score", "level"),
    [(90, "HTXSNV"), ("89.999", "HTTNV"), (70, "HTTNV"), ("69.999", "HTNV"), (50, "HTNV")],
)
def test_score_bands_are_floors_with_exact_decimals(score: object, level: str) -> None:
    from decimal import Decimal

    s = Decimal(score) if isinstance(score, str) else score
    r = one(doc(Y, member(score=s, tasks=tasks(10, e=3))))
    assert r["level"] == level


def test_score_below_50_is_a_knockout_and_exactly_50_is_not() -> None:
    from decimal import Decimal

    r = one(doc(Y, member(score=Decimal("49.999"))))
    assert (r["level"], rules_of(r)) == ("KHTNV", [("366-26", "knockout")])
    assert one(doc(Y, member(score=50)))["level"] == "HTNV"


def test_exceeded_exactly_30_percent_allows_htxsnv() -> None:
    r = one(doc(Y, member(score=95, tasks=tasks(10, e=3))))
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("366-17", "base")])


def test_exceeded_below_30_percent_gives_htttnv_even_with_95_points() -> None:
    r = one(doc(Y, member(score=95, tasks=tasks(100, e=29))))
    assert (r["level"], rules_of(r)) == ("HTTNV", [("366-22", "base")])


def test_one_task_late_blocks_htxsnv_and_httnv() -> None:
    r = one(doc(Y, member(score=95, tasks=tasks(10, t=9, e=5))))
    assert (r["level"], rules_of(r)) == ("HTNV", [("366-23", "base")])


def test_late_exactly_20_percent_is_still_htnv() -> None:
    assert one(doc(Y, member(tasks=tasks(10, t=8))))["level"] == "HTNV"


def test_late_above_20_percent_meets_no_level_and_needs_review() -> None:
    r = one(doc(Y, member(tasks=tasks(10, t=7))))
    assert r["level"] == "KHTNV"
    assert r["flags"] == ["REVIEW_REQUIRED"]
    assert [e for _, e in rules_of(r)] == ["base", "review"]


def test_a_task_not_done_meets_no_level_but_is_no_knockout() -> None:
    r = one(doc(Y, member(tasks=tasks(10, c=9))))
    assert (r["level"], r["flags"]) == ("KHTNV", ["REVIEW_REQUIRED"])
    assert rules_of(r)[0] == ("366-23", "base")


def test_more_than_half_not_done_is_a_knockout_and_exactly_half_is_not() -> None:
    r = one(doc(Y, member(tasks=tasks(10, c=4))))
    assert rules_of(r) == [("366-26", "knockout")]
    r = one(doc(Y, member(tasks=tasks(10, c=5))))
    assert ("366-26", "knockout") not in rules_of(r)


def test_unremedied_shortcomings_block_htxsnv_only() -> None:
    r = one(
        doc(Y, member(score=95, tasks=tasks(10, e=5), shortcomings={"previous": 2, "remedied": 1}))
    )
    assert r["level"] == "HTTNV"
    r = one(
        doc(Y, member(score=95, tasks=tasks(10, e=5), shortcomings={"previous": 2, "remedied": 2}))
    )
    assert r["level"] == "HTXSNV"


def test_duty_related_discipline_knocks_out_an_individual() -> None:
    d = [{"year": Y, "duty_related": True}]
    r = one(doc(Y, member(score=95, discipline=d)))
    assert (r["level"], r["flags"], rules_of(r)) == ("KHTNV", [], [("366-26", "knockout")])


def test_self_remedied_duty_related_discipline_knocks_out_with_review() -> None:
    d = [{"year": Y, "duty_related": True, "self_remedied": True}]
    r = one(doc(Y, member(score=95, discipline=d)))
    assert r["flags"] == ["REVIEW_REQUIRED"]
    assert rules_of(r) == [("366-26", "knockout"), ("366-27", "review")]


def test_review_is_flagged_even_when_another_knockout_applies_too() -> None:
    d = [{"year": Y, "duty_related": True, "self_remedied": True}]
    r = one(doc(Y, member(score=40, degradation=True, discipline=d)))
    assert rules_of(r) == [
        ("366-26", "knockout"),
        ("366-26", "knockout"),
        ("366-26", "knockout"),
        ("366-27", "review"),
    ]
    assert r["flags"] == ["REVIEW_REQUIRED"] and r["base_level"] == "KHTNV"


def test_discipline_not_duty_related_changes_nothing_for_an_individual() -> None:
    d = [{"year": Y, "duty_related": False}]
    assert one(doc(Y, member(score=95, tasks=tasks(10, e=5), discipline=d)))["level"] == "HTXSNV"


@pytest.mark.parametrize(
    "entry",
    [
        {"year": Y - 1, "duty_related": True},
        {"year": Y, "duty_related": True, "already_counted": True},
    ],
)
def test_other_years_and_already_counted_disciplines_are_ignored(entry: dict) -> None:  # type: ignore[type-arg]
    assert (
        one(doc(Y, member(score=95, tasks=tasks(10, e=5), discipline=[entry])))["level"] == "HTXSNV"
    )


@pytest.mark.parametrize("flag", ["degradation", "prohibition_violation"])
def test_individual_flags_knock_out(flag: str) -> None:
    r = one(doc(Y, member(score=95, **{flag: True})))
    assert (r["level"], rules_of(r)) == ("KHTNV", [("366-26", "knockout")])


def test_every_knockout_is_listed_and_no_base_reason() -> None:
    r = one(
        doc(Y, member(score=10, degradation=True, prohibition_violation=True, tasks=tasks(10, c=2)))
    )
    assert [e for _, e in rules_of(r)] == ["knockout"] * 4


@pytest.mark.parametrize(
    ("status", "admission", "excluded"),
    [
        ("exempt", None, True),
        ("suspended", None, True),
        ("active", "2025-06-30", False),
        ("active", "2025-07-01", True),
        ("active", "2026-01-05", True),
    ],
)
def test_party_exclusions(status: str, admission: str | None, excluded: bool) -> None:
    kw: dict = {"party_status": status}  # type: ignore[type-arg]
    if admission:
        kw["party_admission"] = admission
    r = one(doc(Y, member(**kw)))
    assert (r["level"] == "NOT_RATED") is excluded
    if excluded:
        assert rules_of(r) == [("366-3", "exclusion")] and r["base_level"] == "NOT_RATED"


def test_months_worked_and_maternity_do_not_matter_on_the_party_track() -> None:
    assert one(doc(Y, member(months_worked=2)))["level"] == "HTTNV"


def test_absence_does_not_cap_under_qd366() -> None:
    r = one(doc(Y, member(score=95, tasks=tasks(10, e=5), absent_months=5)))
    assert r["level"] == "HTXSNV"


def _unit(**kw: object) -> dict:  # type: ignore[type-arg]
    kw.setdefault("score", 80)
    return collective("U", **kw)


def test_leader_conditions_read_the_unit_tasks() -> None:
    unit = _unit(tasks=tasks(10, e=3))
    boss = leader("L", track="party", score=95, leads="U", tasks=tasks(10, t=5))
    r = one(doc(Y, unit, boss), "L")
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("366-16", "base")])


def test_leader_without_leads_is_judged_on_own_tasks() -> None:
    r = one(doc(Y, leader("L", track="party", score=95, tasks=tasks(10, e=3))))
    assert rules_of(r) == [("366-16", "base")]


@pytest.mark.parametrize(("done", "ko"), [(6, True), (7, False)])
def test_leader_knocked_out_when_the_unit_completes_under_70_percent(done: int, ko: bool) -> None:
    unit = _unit(tasks=tasks(10, c=done))
    r = one(doc(Y, unit, leader("L", track="party", score=80, leads="U")), "L")
    assert (("366-25", "knockout") in rules_of(r)) is ko


@pytest.mark.parametrize("flag", ["socioeconomic_targets_failed", "corruption_in_managed_unit"])
def test_leader_flags_knock_out(flag: str) -> None:
    r = one(doc(Y, leader("L", track="party", score=95, **{flag: True})))
    assert rules_of(r) == [("366-25", "knockout")]


@pytest.mark.parametrize(("share", "ko"), [("0.5", False), ("0.5001", True)])
def test_low_confidence_over_half_knocks_out_a_leader(share: str, ko: bool) -> None:
    from decimal import Decimal

    r = one(doc(Y, leader("L", track="party", score=80, low_confidence_share=Decimal(share))))
    assert (r["level"] == "KHTNV") is ko


def test_more_than_half_of_managed_units_at_khtnv_knocks_out_a_leader() -> None:
    units = [collective("A", score=40), collective("B", score=80), collective("C", score=30)]
    r = one(doc(Y, *units, leader("L", track="party", score=80, manages=["A", "B", "C"])), "L")
    assert rules_of(r) == [("366-25", "knockout")]
    r = one(doc(Y, *units[:2], leader("L", track="party", score=80, manages=["A", "B"])), "L")
    assert r["level"] == "HTTNV"  # 1 of 2 is not more than half


def test_leadership_knockout_reads_the_organization_but_levels_read_own_tasks() -> None:
    org = _unit(tasks=tasks(10, c=6))
    lead = collective("LD", "leadership", score=95, leadership_of="U", tasks=tasks(10, e=3))
    r = one(doc(Y, org, lead, caps=[]), "LD")
    assert rules_of(r) == [("366-24", "knockout")]
    org = _unit(tasks=tasks(10, t=9))
    r = one(doc(Y, org, lead, caps=[]), "LD")
    assert (r["level"], rules_of(r)) == ("HTXSNV", [("366-15", "base")])


@pytest.mark.parametrize(
    ("kw", "ko"),
    [
        ({"cadre_work_wrongdoing": True}, True),
        ({"socioeconomic_targets_failed": True}, True),
        ({"discipline": [{"year": Y, "duty_related": True}]}, True),
        ({"discipline": [{"year": Y, "duty_related": False}]}, False),
    ],
)
def test_leadership_collective_knockouts(kw: dict, ko: bool) -> None:  # type: ignore[type-arg]
    r = one(doc(Y, collective("LD", "leadership", score=95, tasks=tasks(10, e=5), **kw)))
    assert (r["level"] == "KHTNV") is ko
    if not ko:
        assert r["level"] == "HTTNV"  # any current-year discipline only blocks HTXSNV


@pytest.mark.parametrize("role", ["organization", "party_organization"])
def test_a_units_discipline_only_blocks_htxsnv(role: str) -> None:
    d = [{"year": Y, "duty_related": True}]
    r = one(doc(Y, collective("U", role, score=95, tasks=tasks(10, e=5), discipline=d)))
    assert (r["level"], rules_of(r)) == ("HTTNV", [("366-20", "base")])


def test_a_unit_scoring_under_50_is_knocked_out() -> None:
    r = one(doc(Y, collective("U", score=49)))
    assert (r["level"], [e for _, e in rules_of(r)]) == ("KHTNV", ["knockout"])


def test_collectives_are_never_excluded() -> None:
    r = one(doc(Y, collective("U", score=80, months_worked=1, party_status="suspended")))
    assert r["level"] == "HTTNV"
