"""Review cycles: creation defaults and refusals, opening (evaluations, links, exclusions, peer
groups), re-opening, selectors, and the background task in a real worker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.core.models import AuditEvent
from kiemdiem.engine import classify, parse_input
from kiemdiem.orgs import people
from kiemdiem.orgs.models import OrgKind, PartyStatus, PostLevel
from kiemdiem.reviews.criteria.loader import criteria_load
from kiemdiem.reviews.criteria.slots import SLOTS
from kiemdiem.reviews.cycles.derivation import Row, months_in_period
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.peer_groups import (
    enforce_peer_groups,
    peer_group_assign,
    peer_group_create,
    peer_group_set_ratio,
)
from kiemdiem.reviews.cycles.selectors import (
    cycle_counts,
    evaluations_in_subtree,
    excluded_page,
    outside_page,
    peer_group_page,
)
from kiemdiem.reviews.cycles.services import cycle_create
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup
from tests.conftest import make_org, make_person
from tests.core.test_worker import run, scratch_env, shell  # noqa: F401  (fixture)

OLD = dt.date(2015, 1, 1)


class Tree:
    """A small province with two roots linked through party organizations, and one unit of
    another province (out of scope)."""

    def __init__(self) -> None:
        o = self.orgs = {}
        o["TU"] = make_org("TU", "Đảng bộ tỉnh", OrgKind.PARTY_PROVINCE)
        o["DB-UB"] = make_org("DB-UB", "Đảng bộ Ủy ban nhân dân tỉnh", OrgKind.PARTY_BASE, o["TU"])
        o["CB-SNV"] = make_org("CB-SNV", "Chi bộ Sở Nội vụ", OrgKind.CELL_SUB, o["DB-UB"])
        o["DX"] = make_org("DX", "Đảng bộ xã An Bình", OrgKind.PARTY_COMMUNE, o["TU"])
        o["CB-T1"] = make_org("CB-T1", "Chi bộ thôn Một", OrgKind.CELL_SUB, o["DX"])
        o["UB"] = make_org(
            "UB",
            "Ủy ban nhân dân tỉnh",
            OrgKind.PEOPLES_COMMITTEE_PROVINCE,
            party_organization=o["DB-UB"],
        )
        o["LD-UB"] = make_org(
            "LD-UB",
            "Tập thể lãnh đạo Ủy ban nhân dân tỉnh",
            OrgKind.LEADERSHIP,
            o["UB"],
            leads=o["UB"],
        )
        o["SNV"] = make_org(
            "SNV", "Sở Nội vụ", OrgKind.DEPARTMENT, o["UB"], party_organization=o["CB-SNV"]
        )
        o["BGD"] = make_org(
            "BGD", "Ban Giám đốc Sở Nội vụ", OrgKind.LEADERSHIP, o["SNV"], leads=o["SNV"]
        )
        o["PCC"] = make_org("PCC", "Phòng Công chức", OrgKind.DIVISION, o["SNV"])
        o["PTC"] = make_org("PTC", "Phòng Tổ chức biên chế", OrgKind.DIVISION, o["SNV"])
        o["UBX"] = make_org(
            "UBX",
            "Ủy ban nhân dân xã An Bình",
            OrgKind.PEOPLES_COMMITTEE_COMMUNE,
            o["UB"],
            party_organization=o["DX"],
        )
        o["OTHER"] = make_org(
            "OTHER", "Ủy ban nhân dân tỉnh khác", OrgKind.PEOPLES_COMMITTEE_PROVINCE
        )
        p = self.people = {}
        p["director"] = self.person(
            "Trần Văn Giám",
            o["SNV"],
            "Giám đốc",
            PostLevel.HEAD_DEPARTMENT,
            head=True,
            cell=o["CB-SNV"],
        )
        p["deputy"] = self.person(
            "Lê Thị Phó", o["BGD"], "Phó Giám đốc", PostLevel.DEPUTY_DEPARTMENT, cell=o["CB-SNV"]
        )
        p["chief"] = self.person(
            "Phạm Văn Trưởng",
            o["PCC"],
            "Trưởng phòng",
            PostLevel.HEAD_DIVISION,
            head=True,
            cell=o["CB-SNV"],
        )
        p["staff"] = self.person("Nguyễn Thị Ánh", o["PCC"], cell=o["CB-SNV"])
        p["newcomer"] = self.person("Đỗ Văn Mới", o["PTC"], start=dt.date(2025, 8, 1))
        p["young_member"] = self.person(
            "Vũ Thị Trẻ", o["PTC"], cell=o["CB-SNV"], admitted=dt.date(2025, 9, 1)
        )
        p["worker"] = self.person(
            "Hoàng Văn Lái", o["PCC"], "Lái xe", employment="nguoi_lao_dong", cell=o["CB-SNV"]
        )
        p["retired"] = self.person("Bùi Văn Hưu", None, cell=o["CB-T1"], outside=True)
        p["exempt"] = self.person(
            "Đặng Thị Miễn", None, cell=o["CB-T1"], outside=True, status=PartyStatus.EXEMPT
        )
        p["chairman"] = self.person(
            "Ngô Văn Chủ",
            o["UBX"],
            "Chủ tịch",
            PostLevel.HEAD_COMMUNE,
            head=True,
            cell=o["CB-T1"],
            employment="can_bo",
        )
        p["elsewhere"] = self.person("Lý Văn Xa", o["OTHER"])

    def person(
        self,
        name,
        org,
        title="Chuyên viên",
        level=PostLevel.STAFF,
        *,
        head=False,
        cell=None,
        start=OLD,
        employment="cong_chuc",
        admitted=dt.date(2010, 5, 19),
        outside=False,
        status=PartyStatus.ACTIVE,
    ):
        person = make_person(name, employment=employment if org else "none")
        if org is not None:
            people.position_add(
                actor=None,
                person=person,
                organization=org,
                title=title,
                level=level,
                is_head=head,
                start_date=start,
            )
        if cell is not None:
            people.party_membership_set(
                actor=None,
                person=person,
                cell=cell,
                admitted_on=admitted,
                outside_system=outside,
                status=status,
            )
        return person


@pytest.fixture
def tree(db):
    criteria_load()
    return Tree()


@pytest.fixture
def cycle(tree):
    return cycle_create(actor=None, name="Kiểm điểm năm 2025", year=2025, scope=tree.orgs["TU"])


def evals(cycle_):
    return {
        e.code: e
        for e in Evaluation.objects.filter(cycle=cycle_)
        .select_related(
            "leads",
            "head_of",
            "leadership_of",
            "state_evaluation",
            "parent",
            "peer_group",
            "template",
            "organization",
        )
        .prefetch_related("manages")
    }


def o_(tree, code):
    return f"O{tree.orgs[code].pk}"


def code(tree, who, track):
    return f"{'S' if track == 'state' else 'P'}{tree.people[who].pk}"


def engine_document(cycle_):
    """The classification.md 2 input for the cycle's evaluations, with neutral facts."""
    out = []
    for e in evals(cycle_).values():
        d = {
            "id": e.code,
            "subject": e.subject,
            "role": e.role,
            "score": 80,
            "general": "good",
            "results_grade": "good",
            "tasks": {"assigned": 2, "completed": 2, "on_time": 2, "exceeded": 0},
        }
        if e.track:
            d["track"] = e.track
            d["months_worked"] = e.months_worked
        for f in ("leads", "head_of", "leadership_of", "state_evaluation", "parent"):
            if getattr(e, f) is not None:
                d[f] = getattr(e, f).code
        if e.manages.all():
            d["manages"] = sorted(m.code for m in e.manages.all())
        if e.peer_group is not None:
            d["peer_group"] = e.peer_group.code
        if e.party_admission:
            d["party_admission"] = e.party_admission.isoformat()
            d["party_status"] = e.party_status
        out.append(d)
    groups = {g.code: {"ratio": g.ratio} for g in PeerGroup.objects.filter(cycle=cycle_)}
    return {
        "year": cycle_.year,
        "rules": {"party": cycle_.party_rules, "state": cycle_.state_rules},
        "peer_groups": groups,
        "evaluations": out,
    }


# --------------------------------------------------------------------------- cycle_create


@pytest.mark.parametrize(
    ("year", "party", "state"),
    [(2024, "qd124", "nd90"), (2025, "qd366", "nd90"), (2026, "qd366", "nd335")],
)
def test_rule_sets_and_templates_default_from_the_review_year(tree, year, party, state):
    c = cycle_create(actor=None, name=f"Năm {year}", year=year, scope=tree.orgs["TU"])
    assert (c.party_rules, c.state_rules) == (party, state)
    families = {
        slot: CriteriaTemplate.objects.get(pk=pk).family for slot, pk in c.templates.items()
    }
    assert set(families) == set(SLOTS)
    assert all(families[s] == party for s in families if not s.startswith("state"))
    assert all(families[s] == state for s in families if s.startswith("state"))


def test_templates_follow_the_subject_and_the_state_category(cycle):
    form = {s: CriteriaTemplate.objects.get(pk=pk).form_code for s, pk in cycle.templates.items()}
    assert form["party.leader"] == "Mẫu 2A-HD KĐ.ĐG 2025"
    assert form["party.staff"] == "Mẫu 2B-HD KĐ.ĐG 2025"
    assert form["party.party_outside"] == "Mẫu 2C-HD KĐ.ĐG 2025"
    assert form["collective"] == "Mẫu 01-HD KĐ.ĐG 2025"
    assert form["state.leader.can_bo"] == "Mẫu số 01 (NĐ 90/2020)"
    assert form["state.staff.cong_chuc"] == "Mẫu số 02 (NĐ 90/2020)"
    assert form["state.staff.vien_chuc"] == "Mẫu số 03 (NĐ 90/2020)"


def test_default_deadlines_put_state_before_party_and_special_units_in_january(cycle):
    assert (cycle.state_deadline, cycle.party_deadline, cycle.special_deadline) == (
        dt.date(2025, 12, 15),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 15),
    )
    assert AuditEvent.objects.filter(action="cycle.create", object_id=str(cycle.pk)).count() == 1


def test_a_province_rule_set_is_accepted_by_name(tree):
    c = cycle_create(
        actor=None, name="Hải Phòng", year=2025, scope=tree.orgs["TU"], state_rules="haiphong212"
    )
    assert c.state_rules == "haiphong212"
    # No template of its own yet: the national state point template stands in.
    assert CriteriaTemplate.objects.get(pk=c.templates["state.staff.cong_chuc"]).family == "nd335"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"party_rules": "qd999"},
            "party_rules",
            "Bộ quy tắc “qd999” không tồn tại (có: haiphong212, nd335, nd90, qd124, qd366).",
        ),
        (
            {"party_rules": "nd90"},
            "party_rules",
            "“nd90” là bộ quy tắc bên chính quyền, không dùng cho bên Đảng.",
        ),
        (
            {"party_deadline": dt.date(2025, 12, 10)},
            "party_deadline",
            "Hạn xếp loại đảng viên, tổ chức đảng (10/12/2025) không được trước hạn xếp loại cán bộ, "
            "công chức, viên chức (15/12/2025).",
        ),
        (
            {"year": 2022},
            "party_rules",
            "Năm 2022 chưa có bộ quy tắc mặc định bên Đảng; hãy chọn bộ quy tắc.",
        ),
    ],
)
def test_bad_cycle_input_is_refused_in_vietnamese_and_writes_nothing(tree, kwargs, field, message):
    args = {"actor": None, "name": "Đợt thử", "year": 2025, "scope": tree.orgs["TU"], **kwargs}
    with pytest.raises(ValidationError) as exc:
        cycle_create(**args)
    assert exc.value.message_dict[field] == [message]
    assert not Cycle.objects.exists()
    assert not AuditEvent.objects.filter(action="cycle.create").exists()


def test_a_second_cycle_for_the_same_scope_and_year_is_refused(cycle, tree):
    with pytest.raises(ValidationError) as exc:
        cycle_create(actor=None, name="Lần hai", year=2025, scope=tree.orgs["TU"])
    assert exc.value.message_dict["scope"] == [
        "Đã có đợt kiểm điểm năm 2025 cho phạm vi “Đảng bộ tỉnh”."
    ]
    assert Cycle.objects.count() == 1
    quarterly = cycle_create(actor=None, name="Quý 3", year=2025, quarter=3, scope=tree.orgs["TU"])
    assert (quarterly.state_deadline, quarterly.party_deadline) == (
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 30),
    )


def test_a_ratio_above_a_quarter_is_refused_and_a_valid_one_is_audited(cycle):
    cycle_open(actor=None, cycle=cycle)
    group = PeerGroup.objects.filter(cycle=cycle).first()
    with pytest.raises(ValidationError) as exc:
        peer_group_set_ratio(actor=None, group=group, ratio="0.30")
    assert exc.value.message_dict["ratio"] == [
        "Tỷ lệ 0.30 vượt mức tối đa 0.25: số HTXSNV không quá 25% số HTTNV "
        "(QĐ 366, Điều 11 khoản 1)."
    ]
    group.refresh_from_db()
    assert group.ratio == "0.20"
    peer_group_set_ratio(actor=None, group=group, ratio="0.25", reason="Đơn vị nổi trội")
    group.refresh_from_db()
    assert group.ratio == "0.25"
    assert AuditEvent.objects.filter(action="peer_group.set_ratio").count() == 1


# --------------------------------------------------------------------------- cycle_open


def test_opening_creates_every_collective_of_the_linked_trees_and_nothing_outside(cycle, tree):
    summary = cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)
    collectives = {c for c, v in e.items() if v.subject == "collective"}
    assert collectives == {o_(tree, k) for k in tree.orgs if k != "OTHER"}
    roles = {k: e[o_(tree, k)].role for k in ("TU", "CB-SNV", "UB", "LD-UB", "BGD", "PCC")}
    assert roles == {
        "TU": "party_organization",
        "CB-SNV": "party_organization",
        "UB": "organization",
        "LD-UB": "leadership",
        "BGD": "leadership",
        "PCC": "organization",
    }
    assert code(tree, "elsewhere", "state") not in e
    assert summary.created == len(e) == summary.total
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN and cycle.opened_at is not None
    assert AuditEvent.objects.filter(action="cycle.open").count() == 1
    assert list(
        AuditEvent.objects.filter(action="cycle.status")
        .order_by("id")
        .values_list("after", flat=True)
    ) == [{"status": "opening"}, {"status": "open"}]


def test_collective_parents_put_the_agency_before_its_party_organization(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)

    def parent(k):
        p = e[o_(tree, k)].parent
        return next(n for n in tree.orgs if o_(tree, n) == p.code) if p else None

    assert {k: parent(k) for k in tree.orgs if k != "OTHER"} == {
        "TU": None,
        "DB-UB": "TU",
        "CB-SNV": "DB-UB",
        "DX": "TU",
        "CB-T1": "DX",
        "UB": "DB-UB",
        "SNV": "CB-SNV",
        "PCC": "SNV",
        "PTC": "SNV",
        "UBX": "DX",
        "LD-UB": None,
        "BGD": None,
    }
    assert e[o_(tree, "BGD")].leadership_of.code == o_(tree, "SNV")
    assert e[o_(tree, "LD-UB")].leadership_of.code == o_(tree, "UB")


def test_individuals_get_their_tracks_roles_and_leadership_links(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)
    snv, pcc, ptc = o_(tree, "SNV"), o_(tree, "PCC"), o_(tree, "PTC")
    for track in ("state", "party"):
        director = e[code(tree, "director", track)]
        assert (director.role, director.leads.code, director.head_of.code) == ("leader", snv, snv)
        assert sorted(m.code for m in director.manages.all()) == sorted([pcc, ptc])
        deputy = e[code(tree, "deputy", track)]  # post held in the board: leads the department
        assert (deputy.role, deputy.leads.code, deputy.head_of) == ("leader", snv, None)
        assert list(deputy.manages.all()) == []
        chief = e[code(tree, "chief", track)]
        assert (chief.leads.code, chief.head_of.code, list(chief.manages.all())) == (pcc, pcc, [])
    assert e[code(tree, "director", "state")].organization == tree.orgs["SNV"]
    assert e[code(tree, "director", "party")].organization == tree.orgs["CB-SNV"]
    assert e[code(tree, "director", "party")].state_evaluation.code == code(
        tree, "director", "state"
    )
    staff = e[code(tree, "staff", "party")]
    assert (staff.role, staff.state_evaluation.code) == ("staff", code(tree, "staff", "state"))
    # A người lao động is a party member here, but not rated on the state track.
    assert code(tree, "worker", "state") not in e
    assert e[code(tree, "worker", "party")].state_evaluation is None
    assert e[code(tree, "retired", "party")].role == "party_outside"
    assert code(tree, "retired", "state") not in e
    chairman = e[code(tree, "chairman", "state")]
    assert (chairman.head_of.code, chairman.template.form_code) == (
        o_(tree, "UBX"),
        "Mẫu số 01 (NĐ 90/2020)",
    )
    assert e[code(tree, "staff", "party")].template.form_code == "Mẫu 2B-HD KĐ.ĐG 2025"


def test_exclusions_are_stored_with_their_reasons_before_any_scoring(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)
    excluded = {c: v.exclusion_reason for c, v in e.items() if v.excluded}
    assert excluded == {
        code(
            tree, "newcomer", "state"
        ): "Công tác 5 tháng trong năm 2025, dưới 6 tháng: không xếp loại, vẫn kiểm điểm thời "
        "gian công tác (ND90-2).",
        code(
            tree, "young_member", "party"
        ): "Vào Đảng ngày 01/09/2025, chưa đủ 6 tháng trong năm 2025: không kiểm điểm, "
        "xếp loại (366-3).",
        code(
            tree, "exempt", "party"
        ): "Được miễn công tác và sinh hoạt đảng: không kiểm điểm, xếp loại (366-3).",
    }
    assert e[code(tree, "newcomer", "state")].months_worked == Decimal("5.00")
    assert e[code(tree, "young_member", "party")].party_admission == dt.date(2025, 9, 1)
    assert e[code(tree, "exempt", "party")].party_status == "exempt"


def test_the_engine_accepts_the_opened_cycle_and_excludes_exactly_what_was_shown(cycle):
    cycle_open(actor=None, cycle=cycle)
    output = classify(parse_input(engine_document(cycle)))  # raises on any 9.7 violation
    not_rated = {r.id for r in output.results if r.level == "NOT_RATED"}
    assert not_rated == set(
        Evaluation.objects.filter(cycle=cycle, excluded=True).values_list("code", flat=True)
    )


def test_peer_groups_are_derived_by_role_and_tier(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)

    def group(who, track):
        return e[code(tree, who, track)].peer_group.code

    assert group("staff", "state") == group("newcomer", "state") == "NN-CB-SNV"
    assert group("director", "state") == "NN-LD-60"
    assert group("director", "party") == "DANG-LD-60"
    assert group("staff", "party") == group("worker", "party") == "DANG-DV-DB-UB"
    assert group("retired", "party") == "DANG-DV-DX"
    assert e[o_(tree, "PCC")].peer_group.code == e[o_(tree, "PTC")].peer_group.code
    groups = PeerGroup.objects.filter(cycle=cycle)
    assert all(g.derived and g.ratio == "0.20" for g in groups)


def row(code_, group=None, **links):
    return Row(
        code=code_,
        subject="collective",
        role="organization",
        track="",
        organization_id=1,
        group=group,
        **links,
    )


def test_a_member_depending_on_its_own_group_through_an_outsider_is_left_out():
    rows = {
        "A": row("A", "G"),
        "X": row("X", None, leadership_of="A"),
        "B": row("B", "G", leads="X"),
        "C": row("C", "G"),
    }
    dropped = enforce_peer_groups(rows, set())
    assert list(dropped) == ["B"]
    assert "phụ thuộc vào một thành viên khác của chính nhóm đó" in dropped["B"]
    assert [r.group for r in rows.values()] == ["G", None, None, "G"]


def test_two_groups_may_not_depend_on_each_other():
    rows = {
        "A1": row("A1", "GA"),
        "B1": row("B1", "GB", leads="A1"),  # GB depends on GA
        "A2": row("A2", "GA", leads="B1"),  # would make GA depend on GB
    }
    dropped = enforce_peer_groups(rows, set(), {"GA": "Nhóm A", "GB": "Nhóm B"})
    assert list(dropped) == ["A2"]
    assert dropped["A2"] == (
        "Không đưa vào nhóm tương đồng “Nhóm A”: nhóm “Nhóm B” mà phiếu này phụ thuộc đã phụ "
        "thuộc vào nhóm “Nhóm A”; hai nhóm sẽ phụ thuộc lẫn nhau (classification.md 9.7)."
    )


def test_a_dropped_member_is_listed_with_its_note_and_the_engine_accepts_the_rest(cycle, tree):
    # Put a division under a division: the inner one makes the outer depend on its own group.
    inner = make_org("PCC-1", "Tổ công chức", OrgKind.DIVISION, tree.orgs["PCC"])
    summary = cycle_open(actor=None, cycle=cycle)
    outer = Evaluation.objects.get(cycle=cycle, code=o_(tree, "PCC"))
    # Depth differs, so (kind, depth) groups keep them apart: nothing to drop.
    assert summary.dropped == {} and outer.peer_group is not None
    group = outer.peer_group
    Evaluation.objects.filter(cycle=cycle, organization=inner).update(peer_group=group)
    make_person_later = make_person("Mai Văn Sau")
    people.position_add(
        actor=None,
        person=make_person_later,
        organization=inner,
        title="Chuyên viên",
        start_date=OLD,
    )
    # Re-opening enforces 9.7 over existing assignments too.
    summary = cycle_open(actor=None, cycle=cycle)
    outer.refresh_from_db()
    assert list(summary.dropped) == [o_(tree, "PCC")]
    assert outer.peer_group is None and "9.7" in outer.peer_group_note
    assert [x.code for x in outside_page(cycle)] == [o_(tree, "PCC")]
    assert cycle_counts(cycle).outside_count == 1
    classify(parse_input(engine_document(cycle)))


def test_opening_twice_creates_nothing_the_second_time(cycle):
    first = cycle_open(actor=None, cycle=cycle)
    second = cycle_open(actor=None, cycle=cycle)
    assert first.created > 0
    assert (second.created, second.updated, second.unchanged, second.groups_created) == (
        0,
        0,
        first.total,
        0,
    )
    assert Evaluation.objects.filter(cycle=cycle).count() == first.total
    assert AuditEvent.objects.filter(action="cycle.open").count() == 2


def test_reopening_adds_a_new_person_links_them_and_leaves_submitted_evaluations_alone(cycle, tree):
    first = cycle_open(actor=None, cycle=cycle)
    staff_state = Evaluation.objects.get(cycle=cycle, code=code(tree, "staff", "state"))
    Evaluation.objects.filter(pk=staff_state.pk).update(status=Evaluation.Status.SUBMITTED)
    # Roster changes: a new civil servant and party member; the submitted one gets promoted.
    newbie = make_person("Cao Thị Mới")
    people.position_add(
        actor=None,
        person=newbie,
        organization=tree.orgs["PTC"],
        title="Chuyên viên",
        start_date=OLD,
    )
    people.party_membership_set(
        actor=None, person=newbie, cell=tree.orgs["CB-SNV"], admitted_on=dt.date(2012, 1, 1)
    )
    people.position_add(
        actor=None,
        person=tree.people["staff"],
        organization=tree.orgs["PTC"],
        title="Phó trưởng phòng",
        level=PostLevel.DEPUTY_DIVISION,
        start_date=dt.date(2025, 10, 1),
    )
    second = cycle_open(actor=None, cycle=cycle)
    assert second.created == 2
    assert second.frozen == 1
    e = evals(cycle)
    assert e[f"P{newbie.pk}"].state_evaluation == e[f"S{newbie.pk}"]
    assert e[f"S{newbie.pk}"].peer_group.code == "NN-CB-SNV"
    assert e[code(tree, "staff", "state")].role == "staff"  # submitted: untouched
    assert e[code(tree, "staff", "party")].role == "leader"  # still a draft: follows the roster
    assert second.updated == 1
    assert Evaluation.objects.filter(cycle=cycle).count() == first.total + 2


def test_opening_refuses_a_cycle_without_a_template_for_every_kind_of_subject(tree):
    c = cycle_create(actor=None, name="Năm 2025", year=2025, scope=tree.orgs["TU"])
    Cycle.objects.filter(pk=c.pk).update(templates={})
    with pytest.raises(ValidationError) as exc:
        cycle_open(actor=None, cycle=c)
    assert exc.value.messages[0].startswith("Chưa chọn mẫu tiêu chí cho: Tập thể; ")
    assert not Evaluation.objects.exists()


def test_months_worked_are_counted_day_exactly_within_the_year():
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert months_in_period([(dt.date(2025, 8, 1), None)], *year) == Decimal("5.00")
    assert months_in_period([(OLD, None)], *year) == Decimal("12")
    assert months_in_period(
        [(OLD, dt.date(2025, 3, 31)), (dt.date(2025, 3, 15), dt.date(2025, 6, 30))], *year
    ) == Decimal("6.00")
    assert months_in_period([(dt.date(2025, 8, 16), None)], *year) == Decimal("4.52")
    assert months_in_period([(dt.date(2026, 1, 1), None)], *year) == Decimal("0")


# --------------------------------------------------------------------------- selectors


def test_the_cycle_overview_counts_and_lists_in_a_fixed_number_of_queries(
    cycle, tree, django_assert_num_queries
):
    cycle_open(actor=None, cycle=cycle)

    def read() -> tuple:
        with django_assert_num_queries(4):
            counts = cycle_counts(cycle)
        with django_assert_num_queries(3):  # count, page, the shown groups' members
            groups = list(peer_group_page(cycle))
        with django_assert_num_queries(2):  # count, page
            excluded = list(excluded_page(cycle))
        return counts, groups, excluded

    overview, groups, excluded = read()
    assert overview.total == Evaluation.objects.filter(cycle=cycle).count()
    assert overview.excluded_count == 3 and len(excluded) == 3
    assert overview.by_role["state.leader"] == 4
    assert overview.by_status == {"draft": overview.total}
    assert overview.peer_group_count == len(groups)
    sizes = {g.code: g.member_count for g in groups}
    assert sizes["NN-CB-SNV"] == 3
    # More people do not add queries.
    for i in range(5):
        people.position_add(
            actor=None,
            person=make_person(f"Thêm Văn Số{'abcde'[i]}"),
            organization=tree.orgs["PCC"],
            title="Chuyên viên",
            start_date=OLD,
        )
    cycle_open(actor=None, cycle=cycle)
    assert read()[0].total == overview.total + 5


def test_the_subtree_list_reads_in_one_query_with_collectives_first(
    cycle, tree, django_assert_num_queries
):
    cycle_open(actor=None, cycle=cycle)
    with django_assert_num_queries(1):
        rows = list(evaluations_in_subtree(cycle, tree.orgs["SNV"]))
        labels = [
            (r.subject, r.organization.code, r.person.full_name if r.person else "") for r in rows
        ]
    assert labels[0] == ("collective", "SNV", "")
    assert {r.organization.code for r in rows} <= {"SNV", "BGD", "PCC", "PTC"}
    assert sum(1 for r in rows if r.subject == "individual") == 6  # state track only
    with django_assert_num_queries(1):
        assert len(list(evaluations_in_subtree(cycle, tree.orgs["SNV"], track="party"))) == 0


# --------------------------------------------------------------------------- background task


def test_the_open_cycle_task_runs_in_a_real_worker_with_progress_reaching_total(scratch_env):  # noqa: F811
    run(scratch_env, "load-criteria")
    shell(
        scratch_env,
        (
            "import datetime as dt; from kiemdiem.orgs import people, services; "
            "root = services.organization_create(actor=None, code='TU', name='Đảng bộ tỉnh', "
            "kind='party_province'); "
            "cell = services.organization_create(actor=None, code='CB', name='Chi bộ Một', "
            "kind='cell_base', parent=root); "
            "p = people.person_create(actor=None, full_name='Nguyễn Văn An', gender='male', "
            "date_of_birth=dt.date(1980,1,1), identity_number='001080000001'); "
            "people.party_membership_set(actor=None, person=p, cell=cell, "
            "admitted_on=dt.date(2005,1,1)); "
            "from kiemdiem.reviews.cycles.services import cycle_create; "
            "cycle_create(actor=None, name='Năm 2025', year=2025, scope=root)"
        ),
    )
    cycle_id = shell(
        scratch_env, "from kiemdiem.reviews.models import Cycle; print(Cycle.objects.get().pk)"
    ).splitlines()[-1]
    job_id = int(run(scratch_env, "open-cycle", cycle_id).stdout.split()[-1])
    run(scratch_env, "worker", "--batch")
    out = shell(
        scratch_env,
        (
            f"from kiemdiem.core.models import Job; j = Job.objects.get(pk={job_id}); "
            "from kiemdiem.reviews.models import Evaluation, Cycle; "
            "print(j.status, j.done, j.total, Evaluation.objects.count(), Cycle.objects.get().status, "
            "sep='|'); print(j.message); print(j.result['created'])"
        ),
    ).splitlines()
    assert out[-3].split("|") == ["succeeded", "3", "3", "3", "open"]
    assert out[-2] == "Hoàn thành"
    assert out[-1] == "3"


def test_a_party_cell_placed_under_its_own_agency_does_not_make_a_parent_cycle(cycle, tree):
    school = make_org("TH", "Trường Tiểu học An Bình", OrgKind.PUBLIC_UNIT, tree.orgs["UBX"])
    cell = make_org("CB-TH", "Chi bộ Trường Tiểu học An Bình", OrgKind.CELL_BASE, school)
    type(school).objects.filter(pk=school.pk).update(party_organization=cell)
    cycle_open(actor=None, cycle=cycle)
    e = evals(cycle)
    assert e[f"O{cell.pk}"].parent.code == f"O{school.pk}"
    assert e[f"O{school.pk}"].parent.code == o_(tree, "UBX")  # the tree ancestor, not the cell
    classify(parse_input(engine_document(cycle)))


def test_opening_issues_no_query_per_row(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_open(year):
        c = cycle_create(actor=None, name=f"Năm {year}", year=year, scope=tree.orgs["TU"])
        with CaptureQueriesContext(connection) as ctx:
            cycle_open(actor=None, cycle=c)
        return len(ctx.captured_queries)

    before = queries_to_open(2025)
    for i in range(6):
        p = make_person(f"Thêm Thị Người{'abcdef'[i]}")
        people.position_add(
            actor=None, person=p, organization=tree.orgs["PTC"], title="Chuyên viên", start_date=OLD
        )
        people.party_membership_set(
            actor=None, person=p, cell=tree.orgs["CB-SNV"], admitted_on=dt.date(2012, 1, 1)
        )
    assert queries_to_open(2024) == before


def test_moving_a_unit_head_into_the_group_of_their_own_unit_is_refused(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    director = Evaluation.objects.get(cycle=cycle, code=code(tree, "director", "state"))
    unit_group = Evaluation.objects.get(cycle=cycle, code=o_(tree, "SNV")).peer_group
    with pytest.raises(ValidationError) as exc:
        peer_group_assign(actor=None, evaluation=director, group=unit_group)
    message = exc.value.message_dict["peer_group"][0]
    assert message.startswith(
        f"Không thể đưa phiếu {director.code} vào nhóm “{unit_group.name}”: phiếu "
        f"{director.code} sẽ vi phạm quy tắc nhóm tương đồng."
    )
    director.refresh_from_db()
    assert director.peer_group.code == "NN-LD-60"
    assert not AuditEvent.objects.filter(action="evaluation.set_peer_group").exists()


def test_a_group_set_up_by_the_competent_level_takes_independent_members(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    group = peer_group_create(
        actor=None, cycle=cycle, code="GD-SO", name="Giám đốc các sở", ratio="0.25"
    )
    assert not group.derived
    director = Evaluation.objects.get(cycle=cycle, code=code(tree, "director", "state"))
    chief = Evaluation.objects.get(cycle=cycle, code=code(tree, "chief", "state"))
    for ev in (director, chief):
        peer_group_assign(actor=None, evaluation=ev, group=group, reason="Theo quyết định")
    assert set(group.members.values_list("code", flat=True)) == {director.code, chief.code}
    assert AuditEvent.objects.filter(action="evaluation.set_peer_group").count() == 2
    with pytest.raises(ValidationError) as exc:
        peer_group_create(actor=None, cycle=cycle, code="GD-SO", name="Trùng", ratio="0.3")
    assert exc.value.message_dict == {
        "code": ["Mã nhóm “GD-SO” đã có trong đợt này."],
        "ratio": [
            "Tỷ lệ 0.3 vượt mức tối đa 0.25: số HTXSNV không quá 25% số HTTNV "
            "(QĐ 366, Điều 11 khoản 1)."
        ],
    }
    classify(parse_input(engine_document(cycle)))


def test_the_peer_groups_are_paged_and_filtered(cycle, tree):
    cycle_open(actor=None, cycle=cycle)
    all_groups = PeerGroup.objects.filter(cycle=cycle).count()
    assert all_groups > 2
    first = peer_group_page(cycle, per_page=2)
    assert len(first.object_list) == 2 and first.paginator.count == all_groups
    assert first.paginator.num_pages == -(-all_groups // 2)
    last = peer_group_page(cycle, per_page=2, page=first.paginator.num_pages)
    assert {g.pk for g in first}.isdisjoint(g.pk for g in last)
    some = PeerGroup.objects.filter(cycle=cycle).order_by("code").last()
    found = peer_group_page(cycle, query=some.code.lower())
    assert some.pk in [g.pk for g in found]
    assert found.paginator.count < all_groups
