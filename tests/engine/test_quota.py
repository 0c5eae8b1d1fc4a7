"""The quota (contract section 6, 9.19–9.23): k = floor(P·r/(1+r)), ties, k = 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.engine.conftest import by_id, doc, rules_of, run, staff, tasks


def group(scores: list[object], ratio: str | None = None, year: int = 2026) -> dict:  # type: ignore[type-arg]
    people = [
        staff(f"S{i:02d}", score=Decimal(str(s)), peer_group="G") for i, s in enumerate(scores)
    ]
    top = {"peer_groups": {"G": {"ratio": ratio}}} if ratio else {}
    return doc(year, *people, **top)


@pytest.mark.parametrize(
    ("p", "ratio", "k"),
    [
        (5, "0.20", 0),
        (6, "0.20", 1),
        (11, "0.20", 1),
        (12, "0.20", 2),
        (26, "0.20", 4),
        (5, "0.25", 1),
        (6, "0.25", 1),
        (11, "0.25", 2),
        (12, "0.25", 2),
        (26, "0.25", 5),
    ],
)
def test_max_excellent_is_floor_p_r_over_1_plus_r(p: int, ratio: str, k: int) -> None:
    scores = [Decimal(99) - Decimal(i) / 4 for i in range(p)]  # all HTXSNV, distinct
    out = run(group(scores, ratio))
    row = out["quota"][0]
    assert (row["eligible"], row["max_excellent"], row["excellent"]) == (p, k, k)
    assert row["ratio"] == ratio
    assert len(row["demoted"]) == p - k


def test_default_ratio_is_echoed_as_0_20() -> None:
    assert run(group([95, 80]))["quota"][0]["ratio"] == "0.20"


def test_ratio_is_echoed_as_given() -> None:
    assert run(group([95, 80], "0.250"))["quota"][0]["ratio"] == "0.250"


def test_the_highest_scores_keep_htxsnv_and_the_rest_get_a_quota_reason() -> None:
    out = run(group([91, 99, 95, 80, 80, 80, 80, 80, 80, 80, 80, 80]))  # P = 12, k = 2
    res = by_id(out)
    assert res["S01"]["level"] == res["S02"]["level"] == "HTXSNV"
    assert res["S00"]["level"] == "HTTNV"
    assert rules_of(res["S00"]) == [("ND335-4", "base"), ("ND335-5", "quota")]
    assert res["S00"]["reasons"][1]["detail"] == "peer group G allows 2 HTXSNV of 12; ranked 3"
    assert out["quota"][0]["demoted"] == ["S00"]


def test_a_tie_across_the_boundary_demotes_and_flags_every_tied_candidate() -> None:
    out = run(group([95, 92, 92, 90] + [80] * 8))  # P = 12, k = 2: positions 2 and 3 tie
    res = by_id(out)
    assert res["S00"]["level"] == "HTXSNV" and res["S00"]["flags"] == []
    assert [res[x]["flags"] for x in ("S01", "S02", "S03")] == [["QUOTA_TIE"], ["QUOTA_TIE"], []]
    assert res["S03"]["level"] == "HTTNV"
    row = out["quota"][0]
    assert (row["max_excellent"], row["excellent"], row["demoted"]) == (2, 1, ["S01", "S02", "S03"])


def test_a_tie_that_reaches_above_the_boundary_demotes_those_ranked_above_k_too() -> None:
    out = run(group([92, 92, 92] + [80] * 9))  # k = 2, three tied
    row = out["quota"][0]
    assert (row["excellent"], row["demoted"]) == (0, ["S00", "S01", "S02"])
    assert all(r["flags"] == ["QUOTA_TIE"] for r in out["results"][:3])


def test_equal_keys_below_the_boundary_are_not_a_tie() -> None:
    out = run(group([99, 92, 92] + [80] * 3))  # P = 6, k = 1
    res = by_id(out)
    assert res["S00"]["level"] == "HTXSNV"
    assert res["S01"]["flags"] == res["S02"]["flags"] == []


def test_k_zero_demotes_every_htxsnv_without_quota_tie() -> None:
    out = run(group([95, 95, 80]))  # P = 3, k = 0
    assert [r["level"] for r in out["results"]] == ["HTTNV", "HTTNV", "HTTNV"]
    assert all(r["flags"] == [] for r in out["results"])
    assert out["quota"][0]["demoted"] == ["S00", "S01"]


def test_htnv_khtnv_and_not_rated_members_are_not_eligible() -> None:
    scores: list[object] = [95, 80, 60, 40]
    d = group(scores)
    d["evaluations"].append(staff("X", score=95, months_worked=2, peer_group="G"))
    row = run(d)["quota"][0]
    assert row["eligible"] == 2 and row["max_excellent"] == 0


def test_levels_after_caps_decide_eligibility() -> None:
    d = group([95] * 6)  # P = 6, k = 1; S05 capped to HTNV by absence → P = 5, k = 0
    d["evaluations"][5]["absent_months"] = 4
    d = {**d, "year": 2025, "rules": {"state": "haiphong212"}}
    for e in d["evaluations"]:
        e["tasks"] = tasks(10, e=5)
    row = run(d)["quota"][0]
    assert (row["eligible"], row["max_excellent"]) == (5, 0)


def test_grade_rule_sets_rank_by_exceeded_share_then_on_time_share() -> None:
    people = [
        staff("A", general="good", tasks=tasks(10, e=5), peer_group="G"),
        staff("B", general="good", tasks=tasks(10, e=6), peer_group="G"),
    ] + [staff(f"C{i}", general="good", peer_group="G") for i in range(4)]
    out = run(doc(2025, *people))  # P = 6, k = 1
    res = by_id(out)
    assert (res["B"]["level"], res["A"]["level"]) == ("HTXSNV", "HTTNV")
    assert rules_of(res["A"])[-1] == ("ND90-9", "quota")


def test_grade_rule_sets_tie_on_equal_shares_with_different_counts() -> None:
    people = [
        staff("A", general="good", tasks=tasks(10, e=5), peer_group="G"),
        staff("B", general="good", tasks=tasks(20, e=10), peer_group="G"),
    ] + [staff(f"C{i}", general="good", peer_group="G") for i in range(4)]
    res = by_id(run(doc(2025, *people)))
    assert res["A"]["flags"] == res["B"]["flags"] == ["QUOTA_TIE"]


def test_quota_tie_has_a_quota_reason_only() -> None:
    out = run(group([92, 92] + [80] * 4))
    assert [e for _, e in rules_of(out["results"][0])] == ["base", "quota"]


def test_quota_rows_are_sorted_by_peer_group_and_only_for_groups_with_members() -> None:
    people = [staff("A", score=80, peer_group="b"), staff("B", score=80, peer_group="a")]
    out = run(doc(2026, *people, peer_groups={"z": {"ratio": "0.1"}}))
    assert [q["peer_group"] for q in out["quota"]] == ["a", "b"]


def test_quota_is_never_exceeded_for_the_ratio_of_the_result() -> None:
    out = run(group([99 - i for i in range(26)]))
    row = out["quota"][0]
    httnv = sum(1 for r in out["results"] if r["level"] == "HTTNV")
    assert row["excellent"] <= Decimal("0.20") * httnv
