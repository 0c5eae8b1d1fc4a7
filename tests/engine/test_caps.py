"""Cross caps (contract section 5, 9.4, 9.13) and evaluation order (section 7, 9.7, 9.24)."""

from __future__ import annotations

from tests.engine.conftest import (
    by_id,
    collective,
    doc,
    errors,
    leader,
    one,
    rules_of,
    run,
    staff,
    tasks,
)


def test_party_rating_is_capped_by_the_final_state_rating() -> None:
    st = staff("S", general="good", tasks=tasks(10, t=9))  # HTNV
    pt = staff("S.d", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S")
    r = one(doc(2025, st, pt), "S.d")
    assert (r["level"], r["base_level"]) == ("HTNV", "HTXSNV")
    assert rules_of(r) == [("366-17", "base"), ("X-3", "cap")]
    assert r["reasons"][1]["detail"] == "party_le_state: S is HTNV, was HTXSNV"


def test_a_cap_reading_not_rated_does_not_apply() -> None:
    st = staff("S", general="good", months_worked=2)
    pt = staff("S.d", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S")
    assert one(doc(2025, st, pt), "S.d")["level"] == "HTXSNV"


def test_a_cap_that_does_not_lower_leaves_no_reason() -> None:
    st = staff("S", general="good", tasks=tasks(10, e=5))
    pt = staff("S.d", track="party", score=80, state_evaluation="S")
    assert rules_of(one(doc(2025, st, pt), "S.d")) == [("366-22", "base")]


def test_caps_never_raise() -> None:
    st = staff("S", general="good", tasks=tasks(10, e=5))
    pt = staff("S.d", track="party", score=60, state_evaluation="S")
    assert one(doc(2025, st, pt), "S.d")["level"] == "HTNV"


def test_head_le_unit_reads_head_of_not_leads_and_applies_to_any_individual() -> None:
    units = [collective("A", score=60), collective("B", score=80)]
    boss = staff("H", track="party", score=95, tasks=tasks(10, e=5), leads="B", head_of="A")
    r = one(doc(2025, *units, boss), "H")
    assert (r["level"], rules_of(r)[-1]) == ("HTNV", ("X-4", "cap"))


def test_leadership_is_capped_by_its_organization() -> None:
    org = collective("U", score=60)
    lead = collective("LD", "leadership", score=95, tasks=tasks(10, e=5), leadership_of="U")
    r = one(doc(2025, org, lead), "LD")
    assert rules_of(r) == [("366-15", "base"), ("X-5", "cap")]


def test_cross_caps_apply_in_the_contract_order() -> None:
    st = staff("S", general="good")  # HTTNV
    org = collective("U", score=60)  # HTNV
    pt = leader(
        "P", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S", head_of="U"
    )
    r = one(doc(2025, st, org, pt), "P")
    assert rules_of(r) == [("366-16", "base"), ("X-3", "cap"), ("X-4", "cap")]
    assert r["level"] == "HTNV"


def test_caps_can_be_turned_off_or_chosen() -> None:
    st = staff("S", general="good", tasks=tasks(10, t=9))
    pt = staff("S.d", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S")
    assert one(doc(2025, st, pt, caps=[]), "S.d")["level"] == "HTXSNV"
    assert one(doc(2025, st, pt, caps=["head_le_unit"]), "S.d")["level"] == "HTXSNV"


def test_own_cap_comes_before_cross_caps_and_both_leave_reasons() -> None:
    st = staff("S", general="good", tasks=tasks(10, t=7, c=10))  # KHTNV (no level)
    pt = staff("S.d", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S")
    r = one(doc(2025, st, pt), "S.d")
    assert (r["level"], rules_of(r)[-1]) == ("KHTNV", ("X-3", "cap"))


def test_a_state_track_individual_naming_a_state_evaluation_is_not_capped() -> None:
    a = staff("A", general="good", tasks=tasks(10, t=9))
    b = staff("B", general="good", tasks=tasks(10, e=5), state_evaluation="A")
    r = one(doc(2025, a, b), "B")
    assert r["level"] == "HTXSNV"
    assert run(doc(2025, b, a))["order"] == ["A", "B"]


# ---------------------------------------------------------------- order


def test_order_puts_sub_units_before_parents_and_breaks_ties_by_input_order() -> None:
    evs = [
        collective("P", score=80),
        collective("C1", score=80, parent="P"),
        collective("C2", score=80, parent="P"),
        staff("X", general="good"),
    ]
    assert run(doc(2025, *evs))["order"] == ["C1", "C2", "P", "X"]


def test_a_peer_group_comes_after_everything_any_member_depends_on() -> None:
    evs = [
        staff("A.d", track="party", score=80, peer_group="D", state_evaluation="A"),
        staff("B.d", track="party", score=80, peer_group="D", state_evaluation="B"),
        staff("Z", general="good"),
        staff("A", general="good"),
        staff("B", general="good"),
    ]
    assert run(doc(2025, *evs))["order"] == ["Z", "A", "B", "A.d", "B.d"]


def test_peer_group_members_come_out_together_in_input_order() -> None:
    evs = [
        staff("A", general="good", peer_group="G"),
        staff("X", general="good"),
        staff("B", general="good", peer_group="G"),
    ]
    assert run(doc(2025, *evs))["order"] == ["A", "B", "X"]


def test_a_cycle_is_invalid() -> None:
    evs = [collective("A", score=80, parent="B"), collective("B", score=80, parent="A")]
    msgs = errors(doc(2025, *evs))
    assert len(msgs) == 1 and "cycle" in msgs[0] and msgs[0].startswith("evaluations[0]")


def test_a_self_reference_is_invalid() -> None:
    assert "itself" in errors(doc(2025, collective("A", score=80, parent="A")))[0]


def test_a_dependency_inside_a_peer_group_is_invalid() -> None:
    evs = [
        collective("U", score=80, peer_group="G"),
        leader("L", score=80, head_of="U", peer_group="G"),
    ]
    msgs = errors(doc(2026, *evs))
    assert msgs == ['evaluations[1] (id "L"): depends on "U" of the same peer group "G"']


def test_two_fields_naming_the_same_member_of_ones_peer_group_give_one_message() -> None:
    evs = [
        collective("U", score=80, peer_group="G"),
        leader("L", score=80, head_of="U", leads="U", peer_group="G"),
    ]
    msgs = errors(doc(2026, *evs))
    assert msgs == ['evaluations[1] (id "L"): depends on "U" of the same peer group "G"']


def test_a_dependency_inside_a_group_through_an_outside_evaluation_is_invalid() -> None:
    evs = [
        staff("A", general="good", peer_group="G"),
        staff("X", track="party", score=80, state_evaluation="A"),
        collective("U", score=80),
        leader("B", general="good", head_of="U", peer_group="G", manages=["U"]),
    ]
    evs[2]["state_evaluation"] = "A"  # U depends on A; B depends on U
    msgs = errors(doc(2025, *evs))
    assert len(msgs) == 1 and msgs[0].startswith('peer_groups["G"]')


def test_two_groups_depending_on_each_other_is_invalid() -> None:
    evs = [
        staff("A", score=80, peer_group="G1"),
        staff("B", track="party", score=80, peer_group="G2", state_evaluation="A"),
        staff("C", score=80, peer_group="G2"),
        staff("D", track="party", score=80, peer_group="G1", state_evaluation="C"),
    ]
    msgs = errors(doc(2026, *evs))
    assert len(msgs) == 1 and "depend on each other" in msgs[0]


def test_a_group_depending_on_another_group_one_way_is_fine() -> None:
    evs = [
        staff("A", general="good", peer_group="G1"),
        staff("B", track="party", score=80, peer_group="G2", state_evaluation="A"),
    ]
    assert run(doc(2025, *evs))["order"] == ["A", "B"]


def test_managed_levels_are_read_after_the_quota_of_their_group() -> None:
    units = [
        collective(f"U{i}", score=95 - i, tasks=tasks(10, e=5), peer_group="G") for i in range(6)
    ]
    boss = leader("L", general="good", manages=[u["id"] for u in units])
    res = by_id(run(doc(2025, *units, boss)))
    # After the quota, one HTXSNV and five HTTNV: all ≥ HTNV and 100% ≥ HTTNV.
    assert sum(1 for u in units if res[u["id"]]["level"] == "HTXSNV") == 1
    assert res["L"]["level"] == "HTTNV"


def test_the_cross_caps_are_one_table_in_contract_order() -> None:
    """Issue 8: one table (core.CROSS_CAPS) names each cap, its rule, its reference and whom it
    applies to; the input's cap names are the table's, in the order they apply (9.13)."""
    from kiemdiem.engine.core import CROSS_CAPS
    from kiemdiem.engine.model import CAP_NAMES
    from kiemdiem.engine.ruleset import plan

    assert tuple(c[0] for c in CROSS_CAPS) == CAP_NAMES
    assert [c[1] for c in CROSS_CAPS] == ["X-3", "X-4", "X-5"]
    for _, _, field, who in CROSS_CAPS:
        assert isinstance(getattr(plan("qd366", "staff"), who), bool)
        assert field in ("state_evaluation", "head_of", "leadership_of")
