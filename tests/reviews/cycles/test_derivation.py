"""The derivation of a cycle's evaluations is pure: facts in, rows out, no database (these tests
have none — any query would fail them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kiemdiem.reviews.cycles.derivation import derive, period_of
from kiemdiem.reviews.cycles.loading import CycleFacts, MemberFact, OrgFact, PostFact, TreeFacts
from kiemdiem.reviews.rules import OpeningExclusions, opening_exclusions


def org(id_, kind, path, parent=None, party=None, leads=None, code=None, name=None):
    return OrgFact(
        id=id_,
        code=code or f"C{id_}",
        name=name or f"Đơn vị {id_}",
        kind=kind,
        parent_id=parent,
        party_organization_id=party,
        leads_id=leads,
        path=path,
        depth=path.count(".") - 1,
    )


def post(pk, person, unit, *, level=0, head=False, start=dt.date(2020, 1, 1), end=None):
    return PostFact(pk, person, unit, level, head, start, end)


def tree() -> TreeFacts:
    """Tỉnh ủy (1) ⊃ Đảng bộ Sở (2) ⊃ Chi bộ (3); UBND (4) ⊃ Sở (5, led by 2) ⊃ Ban Giám đốc (6)
    and Phòng (7)."""
    facts = TreeFacts()
    for o in (
        org(1, "party_province", "1."),
        org(2, "party_base", "1.2.", parent=1),
        org(3, "cell_sub", "1.2.3.", parent=2),
        org(4, "pc_province", "4."),
        org(5, "department", "4.5.", parent=4, party=2, code="SNV", name="Sở Nội vụ"),
        org(6, "leadership", "4.5.6.", parent=5, leads=5),
        org(7, "division", "4.5.7.", parent=5),
    ):
        facts.orgs[o.id] = o
    facts.posts = {
        10: [post(1, 10, 5, level=60, head=True)],  # the director
        11: [post(2, 11, 7)],  # a civil servant
        12: [post(3, 12, 7, start=dt.date(2025, 8, 1))],  # started 1 August
        13: [post(4, 13, 7, end=dt.date(2025, 3, 31))],  # left in March: no current post
    }
    facts.employment = {10: "cong_chuc", 11: "cong_chuc", 12: "vien_chuc", 13: "cong_chuc"}
    facts.members = {
        10: MemberFact(10, 3, dt.date(2000, 1, 1), "active", False),
        11: MemberFact(11, 3, dt.date(2025, 9, 2), "active", False),  # admitted after 30 June
        14: MemberFact(14, 3, dt.date(1990, 1, 1), "exempt", True),  # retired, exempt
    }
    return facts


def cycle(party="qd366", state="nd335", quarter=None) -> CycleFacts:
    return CycleFacts(
        year=2025,
        quarter=quarter,
        party=opening_exclusions(party),
        state=opening_exclusions(state),
    )


def test_collectives_individuals_and_links_come_from_the_facts_alone():
    rows = derive(tree(), cycle()).rows
    assert sorted(rows) == ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "P10", "P11", "P14"] + [
        "S10",
        "S11",
        "S12",
    ]
    assert (rows["O5"].parent, rows["O7"].parent, rows["O2"].parent) == ("O2", "O5", "O1")
    assert (rows["O6"].role, rows["O6"].leadership_of, rows["O6"].parent) == (
        "leadership",
        "O5",
        None,
    )
    director = rows["S10"]
    assert (director.role, director.leads, director.head_of, director.manages) == (
        "leader",
        "O5",
        "O5",
        ["O7"],
    )
    assert rows["P10"].state_evaluation == "S10" and rows["P10"].leads == "O5"
    assert rows["P14"].role == "party_outside"


def test_exclusions_follow_each_tracks_rule_set():
    rows = derive(tree(), cycle()).rows
    assert rows["S12"].months_worked == Decimal(5) and rows["S12"].excluded
    assert rows["S12"].exclusion_reason == (
        "Công tác 5 tháng trong năm 2025, dưới 6 tháng: không xếp loại, vẫn kiểm điểm thời gian "
        "công tác (ND90-2)."
    )
    assert rows["P11"].exclusion_reason == (
        "Vào Đảng ngày 02/09/2025, chưa đủ 6 tháng trong năm 2025: không kiểm điểm, xếp loại "
        "(366-3)."
    )
    assert rows["P14"].excluded and rows["P14"].exclusion_reason.endswith("(366-3).")
    assert not rows["S11"].excluded and not rows["P10"].excluded


def test_a_rule_set_without_an_exclusion_excludes_nobody_at_opening():
    none = CycleFacts(year=2025, quarter=None, party=OpeningExclusions(), state=OpeningExclusions())
    rows = derive(tree(), none).rows
    assert not any(r.excluded for r in rows.values())


def test_a_quarter_has_no_months_exclusion_and_its_own_period():
    assert period_of(2025, 3) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    rows = derive(tree(), cycle(quarter=3)).rows
    assert rows["S12"].months_worked == Decimal(2) and not rows["S12"].excluded


def test_peer_groups_are_derived_by_role_and_tier():
    derivation = derive(tree(), cycle())
    rows = derivation.rows
    assert rows["S11"].group == "NN-CB-SNV"
    assert derivation.groups["NN-CB-SNV"] == "Công chức, viên chức không giữ chức vụ — Sở Nội vụ"
    assert rows["S10"].group == "NN-LD-60" and rows["P10"].group == "DANG-LD-60"
    assert rows["P11"].group == "DANG-DV-C2"
