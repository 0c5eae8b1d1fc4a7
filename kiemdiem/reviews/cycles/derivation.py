"""What a cycle should contain: the evaluations of its scope, derived from the tree.

Pure functions of the organization tree, the people and the cycle — no query, no write: `derive`
takes the facts `kiemdiem.reviews.cycles.loading` read (a handful of queries) and returns every
row (`Row`) and derived peer group of a cycle; `kiemdiem.reviews.cycles.opening` writes them.
Kept apart so that the product rules below can be read, and tested without a database, alone.

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
* Exclusions (shown before any scoring, the same ones the engine applies), as each track's rule
  set declares them (`kiemdiem.reviews.rules.opening_exclusions`): party track — exempt or
  suspended, or admitted after 30 June of the review year (`party_excluded`: 366-3 / 124-2);
  state track — fewer than N months worked (`months_below`: ND90-2, HP212-3; annual cycles only:
  a quarter has at most 3 months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kiemdiem.core.numbers import vn_number
from kiemdiem.orgs.models import EmploymentCategory, OrgKind, PartyStatus, PostLevel, Sector
from kiemdiem.orgs.selectors import highest_position
from kiemdiem.orgs.tree import path_ids
from kiemdiem.reviews.cycles.loading import CycleFacts, MemberFact, OrgFact, PostFact, TreeFacts
from kiemdiem.reviews.evaluations.models import Evaluation

STATE_EMPLOYMENTS = (
    EmploymentCategory.CADRE,
    EmploymentCategory.CIVIL_SERVANT,
    EmploymentCategory.PUBLIC_EMPLOYEE,
)

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


def period_label(year: int, quarter: int | None) -> str:
    return f"quý {quarter} năm {year}" if quarter else f"năm {year}"


def period_of(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day of the cycle's period (a year, or a quarter of it)."""
    if not quarter:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    last_month = quarter * 3
    return (
        dt.date(year, last_month - 2, 1),
        dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


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
    return vn_number(months)


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


class _Tree:
    """The scope's organizations with the lookups the derivation needs (codes, ancestors)."""

    def __init__(self, orgs: dict[int, OrgFact]) -> None:
        self.orgs = orgs
        self.code = {oid: f"O{oid}" for oid in orgs}
        self.children: dict[int, list[int]] = defaultdict(list)
        for o in orgs.values():
            if o.parent_id in orgs:
                self.children[o.parent_id].append(o.id)

    def ancestors(self, o: OrgFact) -> list[int]:
        """Nearest first, in scope only."""
        return [i for i in reversed(path_ids(o.path)[:-1]) if i in self.orgs]

    def nearest(self, o: OrgFact, kinds: frozenset[str]) -> OrgFact:
        if o.kind in kinds:
            return o
        for a in self.ancestors(o):
            if self.orgs[a].kind in kinds:
                return self.orgs[a]
        return o


def derive(tree_facts: TreeFacts, cycle: CycleFacts) -> Derivation:
    """Everything the cycle should contain (see the module docstring for the rules)."""
    tree = _Tree(tree_facts.orgs)
    out = Derivation(rows={}, groups={})
    _collectives(tree, out)
    _break_parent_cycles(out.rows)
    start, end = period_of(cycle.year, cycle.quarter)
    for pid in sorted(set(tree_facts.posts) | set(tree_facts.members)):
        posts = tree_facts.posts.get(pid, [])
        current = [p for p in posts if p.end_date is None]
        top: PostFact | None = highest_position(current)  # type: ignore[arg-type,assignment]
        months = months_in_period(((p.start_date, p.end_date) for p in posts), start, end)
        state_code = None
        emp = tree_facts.employment.get(pid, "")
        if top is not None and top.organization_id in tree.orgs and emp in STATE_EMPLOYMENTS:
            row = _state_row(tree, out, pid, top, emp, months, cycle)
            state_code = row.code
        member = tree_facts.members.get(pid)
        if member is not None and member.cell_id in tree.orgs:
            _party_row(tree, out, pid, top, member, months, state_code, cycle)
    return out


def _collectives(tree: _Tree, out: Derivation) -> None:
    kind_labels = dict(OrgKind.choices)
    for o in sorted(tree.orgs.values(), key=lambda x: x.path):
        sector = OrgKind.sector_of(o.kind)
        role = {
            Sector.PARTY: Evaluation.Role.PARTY_ORGANIZATION,
            Sector.LEADERSHIP: Evaluation.Role.LEADERSHIP,
        }.get(sector, Evaluation.Role.ORGANIZATION)
        row = Row(
            code=tree.code[o.id],
            subject=Evaluation.Subject.COLLECTIVE,
            role=role,
            track="",
            organization_id=o.id,
            slot="collective",
            phase=1 if role == Evaluation.Role.LEADERSHIP else 0,
        )
        if role == Evaluation.Role.LEADERSHIP:
            row.leadership_of = tree.code.get(o.leads_id) if o.leads_id else None
        else:
            anc = tree.ancestors(o)
            tree_parent = tree.code[anc[0]] if anc else None
            party = o.party_organization_id
            row.parent = (
                tree.code[party] if sector != Sector.PARTY and party in tree.orgs else tree_parent
            )
            row.tree_parent = tree_parent
        gcode = f"TT-{o.kind}-{o.depth}"
        out.groups.setdefault(gcode, f"{kind_labels.get(o.kind, o.kind)} (cấp {o.depth})")
        row.group = gcode
        out.rows[row.code] = row


def _leader_links(tree: _Tree, post: PostFact | None, row: Row) -> None:
    if post is None or post.level <= 0 or post.organization_id not in tree.orgs:
        return
    unit: OrgFact | None = tree.orgs[post.organization_id]
    if unit is not None and unit.kind == OrgKind.LEADERSHIP:
        unit = tree.orgs.get(unit.leads_id) if unit.leads_id else None
    if unit is None:
        return
    row.leads = tree.code[unit.id]
    if post.is_head:
        row.head_of = tree.code[unit.id]
        row.manages = [
            tree.code[c]
            for c in sorted(tree.children.get(unit.id, []))
            if tree.orgs[c].kind != OrgKind.LEADERSHIP
        ]


def _state_row(
    tree: _Tree,
    out: Derivation,
    pid: int,
    top: PostFact,
    employment: str,
    months: Decimal,
    cycle: CycleFacts,
) -> Row:
    role = Evaluation.Role.LEADER if top.level > 0 else Evaluation.Role.STAFF
    row = Row(
        code=f"S{pid}",
        subject=Evaluation.Subject.INDIVIDUAL,
        role=role,
        track=Evaluation.Track.STATE,
        organization_id=top.organization_id,
        person_id=pid,
        slot=f"state.{role}.{employment}",
        months_worked=months,
        phase=2,
    )
    rule, minimum = cycle.state.months_rule, cycle.state.months_minimum
    if rule and not cycle.quarter and months < minimum:
        row.excluded = True
        row.exclusion_reason = (
            f"Công tác {_months_text(months)} tháng trong {period_label(cycle.year, None)}, "
            f"dưới {_months_text(minimum)} tháng: không xếp loại, vẫn kiểm điểm thời gian công "
            f"tác ({rule})."
        )
    if role == Evaluation.Role.LEADER:
        _leader_links(tree, top, row)
        row.group = f"NN-LD-{top.level}"
        out.groups.setdefault(
            row.group,
            f"Lãnh đạo, quản lý bên chính quyền: {_level_label(top.level)}",
        )
    else:
        agency = tree.nearest(tree.orgs[top.organization_id], AGENCY_KINDS)
        row.group = f"NN-CB-{agency.code}"
        out.groups.setdefault(row.group, f"Công chức, viên chức không giữ chức vụ — {agency.name}")
    out.rows[row.code] = row
    return row


_LEVEL_LABELS = dict(PostLevel.choices)  # lazy labels, resolved when a name is formatted


def _level_label(level: int) -> str:
    return str(_LEVEL_LABELS.get(level, level))


def _party_exclusion(member: MemberFact, cycle: CycleFacts) -> str:
    """Why a party member is not reviewed this year (empty: they are)."""
    rule = cycle.party.party_rule
    if not rule:
        return ""
    if member.status == PartyStatus.EXEMPT:
        return f"Được miễn công tác và sinh hoạt đảng: không kiểm điểm, xếp loại ({rule})."
    if member.status == PartyStatus.SUSPENDED:
        return f"Đang bị đình chỉ sinh hoạt đảng: không kiểm điểm, xếp loại ({rule})."
    if member.admitted_on > dt.date(cycle.year, 6, 30):
        return (
            f"Vào Đảng ngày {_fmt(member.admitted_on)}, chưa đủ 6 tháng trong năm {cycle.year}: "
            f"không kiểm điểm, xếp loại ({rule})."
        )
    return ""


def _party_row(
    tree: _Tree,
    out: Derivation,
    pid: int,
    top: PostFact | None,
    member: MemberFact,
    months: Decimal,
    state_code: str | None,
    cycle: CycleFacts,
) -> None:
    if member.outside_system:
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
        organization_id=member.cell_id,
        person_id=pid,
        slot=f"party.{role}",
        months_worked=months,
        party_admission=member.admitted_on,
        party_status=member.status,
        state_evaluation=state_code,
        phase=3,
    )
    row.exclusion_reason = _party_exclusion(member, cycle)
    row.excluded = bool(row.exclusion_reason)
    if role == Evaluation.Role.LEADER and top is not None:
        _leader_links(tree, top, row)
        row.group = f"DANG-LD-{top.level}"
        out.groups.setdefault(row.group, f"Lãnh đạo, quản lý bên Đảng: {_level_label(top.level)}")
    else:
        base = tree.nearest(tree.orgs[member.cell_id], GRASSROOTS_KINDS)
        row.group = f"DANG-DV-{base.code}"
        out.groups.setdefault(row.group, f"Đảng viên — {base.name}")
    out.rows[row.code] = row


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
