"""What a cycle should contain: the evaluations of its scope, derived from the tree.

Pure functions of the organization tree, the people and the cycle (a handful of queries, no
writes): `derive` returns every row (`Row`) and derived peer group of a cycle; `cycle_open` in
`kiemdiem.reviews.cycles` writes them. Kept apart from the services so that the product rules
below can be read, and tested, on their own.

Derivation rules (the product decisions; see also the module-level constants):

* Scope: the scope organization's subtree (path prefix) and, transitively, the subtrees of the
  agencies that a party organization in scope leads (`scope_prefixes`), so that a cycle on the
  provincial party organization also covers the People's Committee and Front trees.
* Collectives: every active organization in scope. Party kinds →
  `party_organization`, state and front kinds → `organization`, leadership collectives →
  `leadership` with `leadership_of` = the organization they lead.
* `parent` (order only, 366-33): an agency linked to a party organization of the scope → that
  party organization ("the organization before its party organization"); otherwise the nearest
  ancestor in scope. Leadership collectives get none (they follow their organization through
  `leadership_of`; a parent would make a cycle). A parent link that would close a cycle (a party
  organization placed under its own agency in the tree) falls back to the tree ancestor.
* Individuals: state track for cán bộ, công chức, viên chức whose highest current post
  (`orgs.selectors.highest_position`) is in scope — người lao động are rated under labour rules,
  not here; party track for every party member whose cell is in scope. Role `party_outside` for a
  member outside the political system, `leader` when the highest post has a level above 0, else
  `staff`. `organization` = the unit of the highest post (party track: the cell).
* Leaders, on both tracks: `leads` = the collective of the highest post's unit (for a post held in
  a leadership collective, the organization that collective leads, since `leads` must name an
  organization, 9.1); `head_of` = the same when the post is the head's; `manages` (heads only) =
  the direct sub-units of that organization, leadership collectives excluded. The party-track
  evaluation points at the same collective as the state-track one: the leader's results are tied
  to the unit they lead (366-7), whether that unit is an agency or a party organization, and the
  person is one leader with one post.
* Facts copied at opening: party admission and status; months worked in the period, from every
  position's dates (a person who started on 1 August has 5 months).
* Exclusions (shown before any scoring, the same ones the engine applies): party track — exempt
  or suspended, or admitted after 30 June of the review year (366-3 / 124-2); state track — fewer
  than 6 months worked (ND90-2; annual cycles only: a quarter has at most 3 months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from kiemdiem.accounts.access import under_any
from kiemdiem.orgs.models import (
    EmploymentCategory,
    Organization,
    OrgKind,
    PartyMembership,
    PartyStatus,
    Person,
    Position,
    PostLevel,
    Sector,
)
from kiemdiem.orgs.selectors import highest_position
from kiemdiem.reviews.models import Cycle, Evaluation

STATE_EMPLOYMENTS = (
    EmploymentCategory.CADRE,
    EmploymentCategory.CIVIL_SERVANT,
    EmploymentCategory.PUBLIC_EMPLOYEE,
)

#: The exclusion rule id each rule set cites (shown with the exclusion reason).
EXCLUSION_RULE = {
    "qd366": "366-3",
    "qd124": "124-2",
    "nd90": "ND90-2",
    "nd335": "ND90-2",
    "haiphong212": "HP212-3",
}

#: Kinds that are an "agency" for the state-track staff peer groups.
AGENCY_KINDS = frozenset(
    {
        OrgKind.PEOPLES_COMMITTEE_PROVINCE,
        OrgKind.DEPARTMENT,
        OrgKind.PEOPLES_COMMITTEE_COMMUNE,
        OrgKind.PUBLIC_UNIT,
        OrgKind.FRONT,
        OrgKind.MASS_ORG,
        OrgKind.PARTY_PROVINCE,
        OrgKind.PARTY_ADVISORY,
        OrgKind.PARTY_COMMUNE,
        OrgKind.PARTY_BASE,
    }
)
#: Grassroots party committees for the party-track member peer groups.
GRASSROOTS_KINDS = frozenset({OrgKind.PARTY_BASE, OrgKind.PARTY_COMMUNE, OrgKind.CELL_BASE})

#: The stored evaluation fields a derived row decides (`cycle_open` compares them on re-opening;
#: links by their `_id` column).
FACT_FIELDS = (
    "role",
    "organization_id",
    "template_id",
    "excluded",
    "exclusion_reason",
    "months_worked",
    "party_admission",
    "party_status",
)
LINK_FIELDS = ("leads_id", "head_of_id", "leadership_of_id", "state_evaluation_id", "parent_id")


def _period_label(year: int, quarter: int | None) -> str:
    return f"quý {quarter} năm {year}" if quarter else f"năm {year}"


def months_in_period(
    intervals: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date
) -> Decimal:
    """Months covered by the union of the intervals within [start, end], day-exact per month
    (1 August → 31 December = 5.00)."""
    clipped = sorted(
        (max(s, start), min(e or end, end))
        for s, e in intervals
        if s <= end and (e or end) >= start
    )
    if not clipped:
        return Decimal(0)
    if any(s == start and e == end for s, e in clipped):
        return _whole_period(start, end)
    merged: list[list[dt.date]] = []
    for s, e in clipped:
        if merged and s <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    total = Decimal(0)
    for s, e in merged:
        y, m = s.year, s.month
        while (y, m) <= (e.year, e.month):
            days = calendar.monthrange(y, m)[1]
            first = max(s, dt.date(y, m, 1))
            last = min(e, dt.date(y, m, days))
            total += Decimal((last - first).days + 1) / Decimal(days)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return total.quantize(Decimal("0.01"))


def _whole_period(start: dt.date, end: dt.date) -> Decimal:
    return Decimal((end.year - start.year) * 12 + end.month - start.month + 1)


@dataclass
class Row:
    """One evaluation as derived (before it is written)."""

    code: str
    subject: str
    role: str
    track: str
    organization_id: int
    person_id: int | None = None
    slot: str = ""
    excluded: bool = False
    exclusion_reason: str = ""
    months_worked: Decimal = Decimal(12)
    party_admission: dt.date | None = None
    party_status: str = ""
    leads: str | None = None
    head_of: str | None = None
    leadership_of: str | None = None
    state_evaluation: str | None = None
    parent: str | None = None
    tree_parent: str | None = None  # the nearest ancestor in scope (fallback for `parent`)
    manages: list[str] = field(default_factory=list)
    group: str | None = None  # derived peer-group code
    phase: int = 0  # creation order: 0 units, 1 leadership, 2 state, 3 party

    def deps(self) -> list[str]:
        """Codes this evaluation depends on through its own references (classification.md 7);
        `parent` is the other way round and is added by the caller."""
        out = [
            c for c in (self.state_evaluation, self.head_of, self.leads, self.leadership_of) if c
        ]
        out.extend(self.manages)
        return out


@dataclass
class Derivation:
    rows: dict[str, Row]
    groups: dict[str, str]  # code → name


def _months_text(months: Decimal) -> str:
    """5.00 → "5", 4.52 → "4,52" (Vietnamese decimal comma)."""
    return f"{months.normalize():f}".replace(".", ",")


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _under(prefixes: list[str], rel: str = "") -> Q:
    return under_any(prefixes, f"{rel}path")


def scope_prefixes(scope: Organization) -> list[str]:
    """The tree paths a cycle covers: the scope's subtree and, transitively, the subtrees of the
    agencies led by a party organization in scope (`Organization.party_organization`).

    A province has three roots since 2025 (party, People's Committee, Front); a cycle opened on
    the provincial party organization covers the agencies its party organizations lead.
    """
    prefixes = [scope.path]
    while True:
        extra = sorted(
            set(
                Organization.objects.filter(
                    _under(prefixes, "party_organization__"), is_active=True
                )
                .exclude(_under(prefixes))
                .values_list("path", flat=True)
            )
        )
        # Keep only the top of each newly reached subtree.
        tops = [p for p in extra if not any(p != q and p.startswith(q) for q in extra)]
        if not tops:
            return prefixes
        prefixes.extend(tops)


def derive(cycle: Cycle) -> Derivation:
    """Everything the cycle should contain, from a fixed number of queries (no per-row query)."""
    prefixes = scope_prefixes(cycle.scope)
    orgs = {
        o["id"]: SimpleNamespace(**o)
        for o in Organization.objects.filter(_under(prefixes), is_active=True).values(
            "id",
            "code",
            "name",
            "kind",
            "parent_id",
            "party_organization_id",
            "leads_id",
            "path",
            "depth",
        )
    }
    in_scope_positions = Position.objects.filter(
        _under(prefixes, "organization__"), end_date__isnull=True
    ).values("person_id")
    in_scope_members = PartyMembership.objects.filter(_under(prefixes, "cell__")).values(
        "person_id"
    )
    people_q = Q(person_id__in=in_scope_positions) | Q(person_id__in=in_scope_members)
    if cycle.quarter:
        p_start = dt.date(cycle.year, cycle.quarter * 3 - 2, 1)
        p_end = dt.date(
            cycle.year, cycle.quarter * 3, calendar.monthrange(cycle.year, cycle.quarter * 3)[1]
        )
    else:
        p_start, p_end = dt.date(cycle.year, 1, 1), dt.date(cycle.year, 12, 31)
    positions: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for p in (
        Position.objects.filter(people_q)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=p_start))
        .values("id", "person_id", "organization_id", "level", "is_head", "start_date", "end_date")
        .order_by()
    ):
        p["pk"] = p.pop("id")
        positions[p["person_id"]].append(SimpleNamespace(**p))
    employment = dict(
        Person.objects.filter(Q(id__in=in_scope_positions) | Q(id__in=in_scope_members))
        .values_list("id", "employment")
        .order_by()
    )
    members = {
        m["person_id"]: m
        for m in PartyMembership.objects.filter(_under(prefixes, "cell__"))
        .values("person_id", "cell_id", "admitted_on", "status", "outside_system")
        .order_by()
    }

    rows: dict[str, Row] = {}
    groups: dict[str, str] = {}
    org_code = {oid: f"O{oid}" for oid in orgs}

    def ancestors(o: SimpleNamespace) -> list[int]:
        ids = [int(seg) for seg in o.path.split(".") if seg][:-1]
        return [i for i in reversed(ids) if i in orgs]  # nearest first, in scope only

    def nearest(o: SimpleNamespace, kinds: frozenset[str]) -> SimpleNamespace:
        if o.kind in kinds:
            return o
        for a in ancestors(o):
            if orgs[a].kind in kinds:
                return orgs[a]
        return o

    kind_labels = dict(OrgKind.choices)
    level_labels = dict(PostLevel.choices)

    # Collectives.
    children: dict[int, list[int]] = defaultdict(list)
    for o in orgs.values():
        if o.parent_id in orgs:
            children[o.parent_id].append(o.id)
    for o in sorted(orgs.values(), key=lambda x: x.path):
        sector = OrgKind.sector_of(o.kind)
        role = {
            Sector.PARTY: Evaluation.Role.PARTY_ORGANIZATION,
            Sector.LEADERSHIP: Evaluation.Role.LEADERSHIP,
        }.get(sector, Evaluation.Role.ORGANIZATION)
        row = Row(
            code=org_code[o.id],
            subject=Evaluation.Subject.COLLECTIVE,
            role=role,
            track="",
            organization_id=o.id,
            slot="collective",
            phase=1 if role == Evaluation.Role.LEADERSHIP else 0,
        )
        if role == Evaluation.Role.LEADERSHIP:
            row.leadership_of = org_code.get(o.leads_id)
        else:
            anc = ancestors(o)
            tree_parent = org_code[anc[0]] if anc else None
            party = o.party_organization_id
            row.parent = (
                org_code[party] if sector != Sector.PARTY and party in orgs else tree_parent
            )
            row.tree_parent = tree_parent
        gcode = f"TT-{o.kind}-{o.depth}"
        groups.setdefault(gcode, f"{kind_labels.get(o.kind, o.kind)} (cấp {o.depth})")
        row.group = gcode
        rows[row.code] = row
    _break_parent_cycles(rows)

    def leader_links(post: SimpleNamespace | None, row: Row) -> None:
        if post is None or post.level <= 0 or post.organization_id not in orgs:
            return
        unit = orgs[post.organization_id]
        if unit.kind == OrgKind.LEADERSHIP:
            unit = orgs.get(unit.leads_id)
            if unit is None:
                return
        row.leads = org_code[unit.id]
        if post.is_head:
            row.head_of = org_code[unit.id]
            row.manages = [
                org_code[c]
                for c in sorted(children.get(unit.id, []))
                if orgs[c].kind != OrgKind.LEADERSHIP
            ]

    party_rule = EXCLUSION_RULE.get(cycle.party_rules, cycle.party_rules)
    state_rule = EXCLUSION_RULE.get(cycle.state_rules, cycle.state_rules)
    june30 = dt.date(cycle.year, 6, 30)
    period = _period_label(cycle.year, cycle.quarter)

    person_ids = sorted(set(positions) | set(members))
    for pid in person_ids:
        current = [p for p in positions.get(pid, []) if p.end_date is None]
        top = highest_position(current)  # type: ignore[arg-type]
        months = months_in_period(
            ((p.start_date, p.end_date) for p in positions.get(pid, [])), p_start, p_end
        )
        emp = employment.get(pid, "")
        state_code = None
        if top is not None and top.organization_id in orgs and emp in STATE_EMPLOYMENTS:
            role = Evaluation.Role.LEADER if top.level > 0 else Evaluation.Role.STAFF
            row = Row(
                code=f"S{pid}",
                subject=Evaluation.Subject.INDIVIDUAL,
                role=role,
                track=Evaluation.Track.STATE,
                organization_id=top.organization_id,
                person_id=pid,
                slot=f"state.{role}.{emp}",
                months_worked=months,
                phase=2,
            )
            if not cycle.quarter and months < 6:
                row.excluded = True
                row.exclusion_reason = (
                    f"Công tác {_months_text(months)} tháng trong {period}, dưới 6 tháng: "
                    f"không xếp loại, vẫn kiểm điểm thời gian công tác ({state_rule})."
                )
            if role == Evaluation.Role.LEADER:
                leader_links(top, row)
                row.group = f"NN-LD-{top.level}"
                groups.setdefault(
                    row.group,
                    f"Lãnh đạo, quản lý bên chính quyền: {level_labels.get(top.level, top.level)}",
                )
            else:
                agency = nearest(orgs[top.organization_id], AGENCY_KINDS)
                row.group = f"NN-CB-{agency.code}"
                groups.setdefault(
                    row.group, f"Công chức, viên chức không giữ chức vụ — {agency.name}"
                )
            rows[row.code] = row
            state_code = row.code
        m = members.get(pid)
        if m is None or m["cell_id"] not in orgs:
            continue
        if m["outside_system"]:
            role = Evaluation.Role.PARTY_OUTSIDE
        elif top is not None and top.level > 0:
            role = Evaluation.Role.LEADER
        else:
            role = Evaluation.Role.STAFF
        row = Row(
            code=f"P{pid}",
            subject=Evaluation.Subject.INDIVIDUAL,
            role=role,
            track=Evaluation.Track.PARTY,
            organization_id=m["cell_id"],
            person_id=pid,
            slot=f"party.{role}",
            months_worked=months,
            party_admission=m["admitted_on"],
            party_status=m["status"],
            state_evaluation=state_code,
            phase=3,
        )
        if m["status"] == PartyStatus.EXEMPT:
            row.excluded = True
            row.exclusion_reason = (
                f"Được miễn công tác và sinh hoạt đảng: không kiểm điểm, xếp loại ({party_rule})."
            )
        elif m["status"] == PartyStatus.SUSPENDED:
            row.excluded = True
            row.exclusion_reason = (
                f"Đang bị đình chỉ sinh hoạt đảng: không kiểm điểm, xếp loại ({party_rule})."
            )
        elif m["admitted_on"] > june30:
            row.excluded = True
            row.exclusion_reason = (
                f"Vào Đảng ngày {_fmt(m['admitted_on'])}, chưa đủ 6 tháng trong năm {cycle.year}: "
                f"không kiểm điểm, xếp loại ({party_rule})."
            )
        if role == Evaluation.Role.LEADER:
            leader_links(top, row)
            row.group = f"DANG-LD-{top.level}"  # type: ignore[union-attr]
            groups.setdefault(
                row.group,
                f"Lãnh đạo, quản lý bên Đảng: {level_labels.get(top.level, top.level)}",  # type: ignore[union-attr]
            )
        else:
            base = nearest(orgs[m["cell_id"]], GRASSROOTS_KINDS)
            row.group = f"DANG-DV-{base.code}"
            groups.setdefault(row.group, f"Đảng viên — {base.name}")
        rows[row.code] = row
    return Derivation(rows=rows, groups=groups)


def _break_parent_cycles(rows: dict[str, Row]) -> None:
    """A party organization placed under its own agency would make agency → party org → agency;
    such an agency falls back to its tree ancestor (the tree itself has no cycles)."""
    for start in list(rows):
        seen: list[str] = []
        code: str | None = start
        while code is not None and code not in seen:
            seen.append(code)
            code = rows[code].parent
        if code is None:
            continue
        loop = seen[seen.index(code) :]
        for c in loop:
            r = rows[c]
            tree = r.tree_parent
            if r.parent != tree:
                r.parent = tree
                break
