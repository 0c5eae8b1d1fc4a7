"""Review cycles: create, choose templates, open (derive every evaluation), peer-group ratios.

`cycle_open` turns the organization tree of a scope into the evaluations the rules engine reads
(classification.md 2.1). Everything it derives is a pure function of the tree, the people and the
cycle, computed in memory from a handful of queries and written in batches:

* Codes are stable (`O<org id>` for a collective, `S<person id>` / `P<person id>` for a person's
  state / party track), so re-opening after roster changes creates only what is new and never
  duplicates; evaluations that have left the draft status are never touched.
* Links are written at creation wherever their target already exists (collectives first, then
  leadership collectives, then state-track, then party-track individuals); only `parent` (which
  points upwards, at collectives created in the same phase) is set afterwards with `bulk_update`,
  and `manages` goes through the M2M through model with `bulk_create`.
* Peer groups are derived by role and tier and then checked against classification.md 9.7 (no
  member depends on another member, directly or through evaluations outside the group; groups do
  not depend on each other). Offending evaluations are left out of their group, with the reason in
  `Evaluation.peer_group_note`.

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
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kiemdiem.core.audit import audit_record
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
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup

Actor = AbstractBaseUser | AnonymousUser | None
ProgressFn = Callable[[int, int, str], None]

BATCH = 2000
DEFAULT_RATIO = "0.20"
MAX_RATIO = Decimal("0.25")
RATIO_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")

STATE_EMPLOYMENTS = (
    EmploymentCategory.CADRE,
    EmploymentCategory.CIVIL_SERVANT,
    EmploymentCategory.PUBLIC_EMPLOYEE,
)

#: Template slots: one criteria template per kind of subject (and, on the state track, per
#: category: NĐ 90 has separate forms for cán bộ, công chức, viên chức).
SLOTS: dict[str, str] = {
    "collective": "Tập thể",
    "party.leader": "Đảng viên giữ chức vụ lãnh đạo, quản lý",
    "party.staff": "Đảng viên không giữ chức vụ",
    "party.party_outside": "Đảng viên ngoài hệ thống chính trị",
    "state.leader.can_bo": "Cán bộ giữ chức vụ lãnh đạo, quản lý",
    "state.leader.cong_chuc": "Công chức lãnh đạo, quản lý",
    "state.leader.vien_chuc": "Viên chức quản lý",
    "state.staff.can_bo": "Cán bộ không giữ chức vụ",
    "state.staff.cong_chuc": "Công chức không giữ chức vụ",
    "state.staff.vien_chuc": "Viên chức không giữ chức vụ",
}

#: Template families by (track, kind of rule set) for rule sets without templates of their own.
FAMILY_FALLBACK = {
    ("party", "points"): "qd366",
    ("party", "grades"): "qd124",
    ("state", "points"): "nd335",
    ("state", "grades"): "nd90",
}

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


# --------------------------------------------------------------------------- rule sets


def _ruleset_track_kind(name: str) -> tuple[str, str] | None:
    from kiemdiem.engine import ruleset as registry

    if not registry.exists(name):
        return None
    rs = registry.load(name)
    return rs.track, rs.kind


def default_rules(year: int) -> dict[str, str]:
    """The contract's defaults by review year (classification.md 2, `rules`), from the engine."""
    from kiemdiem.engine.core import DEFAULT_RULES

    out = {}
    for track, spans in DEFAULT_RULES.items():
        for first, last, name in spans:
            if first <= year <= last:
                out[track] = name
    return out


def _rules_errors(
    year: int, party: str | None, state: str | None
) -> tuple[dict[str, str], dict[str, str]]:
    from kiemdiem.engine import available_rulesets

    errors: dict[str, str] = {}
    defaults = default_rules(year)
    chosen = {
        "party": party or defaults.get("party", ""),
        "state": state or defaults.get("state", ""),
    }
    labels = {"party": "bên Đảng", "state": "bên chính quyền"}
    for track, name in chosen.items():
        field_name = f"{track}_rules"
        if not name:
            errors[field_name] = (
                f"Năm {year} chưa có bộ quy tắc mặc định {labels[track]}; hãy chọn bộ quy tắc."
            )
            continue
        info = _ruleset_track_kind(name)
        if info is None:
            errors[field_name] = (
                f"Bộ quy tắc “{name}” không tồn tại (có: {', '.join(available_rulesets())})."
            )
        elif info[0] != track:
            errors[field_name] = (
                f"“{name}” là bộ quy tắc {labels[info[0]]}, không dùng cho {labels[track]}."
            )
    return chosen, errors


def _template_family(rules_name: str, track: str) -> str:
    if CriteriaTemplate.objects.filter(family=rules_name, is_active=True).exists():
        return rules_name
    info = _ruleset_track_kind(rules_name)
    return FAMILY_FALLBACK.get((track, info[1] if info else ""), rules_name)


def choose_templates(*, party_rules: str, state_rules: str) -> dict[str, int | None]:
    """The template for each slot: the rule set's own family (else the national family of the
    same track and scoring); the most specific subject kind and category; the newest version."""
    party_family = _template_family(party_rules, "party")
    state_family = _template_family(state_rules, "state")
    candidates = list(
        CriteriaTemplate.objects.filter(
            is_active=True, family__in=[party_family, state_family]
        ).order_by("code", "-version")
    )
    out: dict[str, int | None] = {}
    for slot in SLOTS:
        parts = slot.split(".")
        track = "party" if parts[0] in ("collective", "party") else "state"
        family = party_family if track == "party" else state_family
        kind = "collective" if parts[0] == "collective" else parts[1]
        employment = parts[2] if len(parts) > 2 else ""
        pool = [t for t in candidates if t.family == family and t.track == track]
        kinds = [kind, "staff"] if kind == "party_outside" else [kind]
        chosen = None
        for k in kinds:
            for emp in ([employment, ""] if employment else [""]) + [None]:
                for t in pool:
                    if t.subject_kind == k and (emp is None or t.employment == emp):
                        chosen = t
                        break
                if chosen:
                    break
            if chosen:
                break
        out[slot] = chosen.pk if chosen else None
    return out


# --------------------------------------------------------------------------- cycle_create


def default_deadlines(year: int, quarter: int | None) -> tuple[dt.date, dt.date, dt.date]:
    """State ratings by the 15th, party ratings by the last day of the period's last month;
    special units by the 15th of the following month (annual: 15/12, 31/12, 15/01)."""
    month = 12 if quarter is None else quarter * 3
    last = calendar.monthrange(year, month)[1]
    special = dt.date(year + 1, 1, 15) if month == 12 else dt.date(year, month + 1, 15)
    return dt.date(year, month, 15), dt.date(year, month, last), special


def _period_label(year: int, quarter: int | None) -> str:
    return f"quý {quarter} năm {year}" if quarter else f"năm {year}"


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    name: str,
    year: int,
    scope: Organization,
    quarter: int | None = None,
    party_rules: str | None = None,
    state_rules: str | None = None,
    state_deadline: dt.date | None = None,
    party_deadline: dt.date | None = None,
    special_deadline: dt.date | None = None,
    min_quantification: int = 0,
) -> Cycle:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Tên đợt không được để trống."
    if not isinstance(year, int) or not 2018 <= year <= 2100:
        errors["year"] = "Năm đánh giá phải từ 2018 đến 2100."
        raise ValidationError(errors)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Quý phải là 1, 2, 3 hoặc 4."
        raise ValidationError(errors)
    chosen, rule_errors = _rules_errors(year, party_rules, state_rules)
    errors.update(rule_errors)
    d_state, d_party, d_special = default_deadlines(year, quarter)
    state_deadline = state_deadline or d_state
    party_deadline = party_deadline or d_party
    special_deadline = special_deadline or d_special
    if party_deadline < state_deadline:
        errors["party_deadline"] = (
            f"Hạn xếp loại đảng viên, tổ chức đảng ({party_deadline:%d/%m/%Y}) không được trước "
            f"hạn xếp loại cán bộ, công chức, viên chức ({state_deadline:%d/%m/%Y})."
        )
    if not 0 <= min_quantification <= 100:
        errors["min_quantification"] = "Mức lượng hóa tối thiểu phải từ 0 đến 100."
    if Cycle.objects.filter(scope=scope, year=year, quarter=quarter).exists():
        errors["scope"] = (
            f"Đã có đợt kiểm điểm {_period_label(year, quarter)} cho phạm vi “{scope.name}”."
        )
    if errors:
        raise ValidationError(errors)
    cycle = Cycle.objects.create(
        name=name,
        year=year,
        quarter=quarter,
        scope=scope,
        party_rules=chosen["party"],
        state_rules=chosen["state"],
        state_deadline=state_deadline,
        party_deadline=party_deadline,
        special_deadline=special_deadline,
        min_quantification=min_quantification,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        templates=choose_templates(party_rules=chosen["party"], state_rules=chosen["state"]),
    )
    audit_record(actor=actor, action="cycle.create", obj=cycle, after=_cycle_snapshot(cycle))
    return cycle


def _cycle_snapshot(cycle: Cycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "year": cycle.year,
        "quarter": cycle.quarter,
        "scope_id": cycle.scope_id,
        "party_rules": cycle.party_rules,
        "state_rules": cycle.state_rules,
        "state_deadline": cycle.state_deadline.isoformat(),
        "party_deadline": cycle.party_deadline.isoformat(),
        "special_deadline": cycle.special_deadline.isoformat() if cycle.special_deadline else None,
        "min_quantification": cycle.min_quantification,
        "templates": cycle.templates,
        "status": cycle.status,
    }


@transaction.atomic
def cycle_set_template(
    *, actor: Actor, cycle: Cycle, slot: str, template: CriteriaTemplate
) -> Cycle:
    """Change the template of one kind of subject; only before the cycle is opened."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != Cycle.Status.DRAFT:
        raise ValidationError({"templates": "Chỉ đổi mẫu tiêu chí trước khi mở đợt."})
    if slot not in SLOTS:
        raise ValidationError({"templates": f"Đối tượng “{slot}” không hợp lệ."})
    track = "party" if slot.split(".")[0] in ("collective", "party") else "state"
    if template.track != track:
        raise ValidationError(
            {"templates": f"Mẫu “{template}” không dùng được cho “{SLOTS[slot]}”."}
        )
    before = dict(locked.templates)
    locked.templates = {**locked.templates, slot: template.pk}
    locked.save(update_fields=["templates"])
    audit_record(
        actor=actor,
        action="cycle.set_template",
        obj=locked,
        before={"templates": before},
        after={"templates": locked.templates},
    )
    return locked


# --------------------------------------------------------------------------- peer groups


def ratio_errors(ratio: str) -> str | None:
    if not isinstance(ratio, str) or not RATIO_RE.match(ratio):
        return f"Tỷ lệ “{ratio}” phải là số thập phân, ví dụ 0.20."
    if Decimal(ratio) > MAX_RATIO:
        return (
            f"Tỷ lệ {ratio} vượt mức tối đa 0.25: số HTXSNV không quá 25% số HTTNV "
            "(QĐ 366, Điều 11 khoản 1)."
        )
    return None


@transaction.atomic
def peer_group_set_ratio(
    *, actor: Actor, group: PeerGroup, ratio: str, reason: str = ""
) -> PeerGroup:
    """Set a peer group's HTXSNV/HTTNV ratio (366-19: 0.20 by default, at most 0.25)."""
    message = ratio_errors(ratio)
    if message:
        raise ValidationError({"ratio": message})
    locked = PeerGroup.objects.select_for_update().get(pk=group.pk)
    before = {"ratio": locked.ratio}
    locked.ratio = ratio
    locked.save(update_fields=["ratio"])
    audit_record(
        actor=actor,
        action="peer_group.set_ratio",
        obj=locked,
        before=before,
        after={"ratio": ratio},
        reason=reason,
    )
    return locked


# --------------------------------------------------------------------------- derivation


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
    q = Q()
    for p in prefixes:
        q |= Q(**{f"{rel}path__under": p})
    return q


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


def enforce_peer_groups(
    rows: dict[str, Row],
    frozen: set[str],
    labels: dict[str, str] | None = None,
    *,
    drop: bool = True,
) -> dict[str, str]:
    """Classification.md 9.7, enforced: drop the evaluations whose membership would make a group
    depend on itself (a member depending on a member, directly or through outsiders) or two groups
    depend on each other. Returns {code: note} for every evaluation dropped.

    Walks the dependency graph in a topological order (dependencies first) and keeps, per group,
    the closed set of groups it depends on (`reach`, an int bitset); a node's `first` set holds the
    groups first met on its dependency paths. Joining group g with dependency closure D is refused
    when g ∈ D. `frozen` evaluations (already submitted) keep their group. With `drop=False`
    nothing is changed and the result lists the conflicts (to validate a manual assignment).
    """
    dependants: dict[str, list[str]] = defaultdict(list)
    indeg: dict[str, int] = {}
    deps_of: dict[str, list[str]] = {}
    for code, row in rows.items():
        deps = [d for d in row.deps() if d in rows]
        deps_of[code] = deps
    for code, row in rows.items():
        if row.parent and row.parent in rows:
            deps_of[row.parent].append(code)
    for code, deps in deps_of.items():
        indeg[code] = len(deps)
        for d in deps:
            dependants[d].append(code)
    order = [c for c in rows if indeg[c] == 0]
    i = 0
    while i < len(order):
        for nxt in dependants.get(order[i], ()):
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                order.append(nxt)
        i += 1
    if len(order) != len(rows):  # cannot happen with tree-derived links; never loop forever
        raise ValidationError("Các liên kết giữa phiếu đánh giá tạo thành vòng phụ thuộc.")

    index: dict[str, int] = {}
    names: list[str] = []
    reach: list[int] = []
    first: dict[str, int] = {}
    dropped: dict[str, str] = {}

    def closure(bits: int) -> int:
        out = bits
        b = bits
        while b:
            low = b & -b
            out |= reach[low.bit_length() - 1]
            b ^= low
        return out

    def label(g: str) -> str:
        return labels.get(g, g) if labels else g

    for code in order:
        row = rows[code]
        f = 0
        for d in deps_of[code]:
            g = rows[d].group
            f |= (1 << index[g]) if g is not None else first[d]
        g = row.group
        if g is None:
            first[code] = f
            continue
        if g not in index:
            index[g] = len(names)
            names.append(g)
            reach.append(0)
        gi = index[g]
        closed = closure(f)
        if closed >> gi & 1 and (code not in frozen or not drop):
            via = [names[k] for k in range(len(names)) if closed >> k & 1 and reach[k] >> gi & 1]
            if f >> gi & 1 or not via:
                dropped[code] = (
                    f"Không đưa vào nhóm tương đồng “{label(g)}”: phiếu này phụ thuộc vào một "
                    "thành viên khác của chính nhóm đó (classification.md 9.7)."
                )[:255]
            else:
                dropped[code] = (
                    f"Không đưa vào nhóm tương đồng “{label(g)}”: nhóm “{label(via[0])}” mà phiếu "
                    f"này phụ thuộc đã phụ thuộc vào nhóm “{label(g)}”; hai nhóm sẽ phụ thuộc lẫn "
                    "nhau (classification.md 9.7)."
                )[:255]
            if drop:
                row.group = None
                first[code] = f
                continue
        if closed & ~reach[gi]:
            reach[gi] |= closed
            bit = 1 << gi
            for k in range(len(reach)):
                if k != gi and reach[k] & bit:
                    reach[k] |= closed
    return dropped


def _stored_rows(cycle: Cycle) -> dict[str, Row]:
    """The cycle's evaluations as stored, as rows for the 9.7 check (three queries)."""
    values = list(
        Evaluation.objects.filter(cycle=cycle)
        .values(
            "id",
            "code",
            "subject",
            "role",
            "track",
            "organization_id",
            "peer_group__code",
            *LINK_FIELDS,
        )
        .order_by("id")
    )
    code_of = {v["id"]: v["code"] for v in values}
    manages: dict[int, list[str]] = defaultdict(list)
    for a, b in (
        Evaluation.manages.through.objects.filter(from_evaluation__cycle=cycle)
        .values_list("from_evaluation_id", "to_evaluation_id")
        .order_by()
    ):
        if b in code_of:
            manages[a].append(code_of[b])
    rows = {}
    for v in values:
        rows[v["code"]] = Row(
            code=v["code"],
            subject=v["subject"],
            role=v["role"],
            track=v["track"],
            organization_id=v["organization_id"],
            group=v["peer_group__code"],
            manages=manages.get(v["id"], []),
            **{f[:-3]: code_of.get(v[f]) for f in LINK_FIELDS},
        )
    return rows


@transaction.atomic
def peer_group_create(
    *, actor: Actor, cycle: Cycle, code: str, name: str, ratio: str = DEFAULT_RATIO
) -> PeerGroup:
    """A peer group defined by the competent level (not derived)."""
    errors: dict[str, str] = {}
    code, name = code.strip(), name.strip()
    if not code:
        errors["code"] = "Mã nhóm không được để trống."
    elif PeerGroup.objects.filter(cycle=cycle, code=code).exists():
        errors["code"] = f"Mã nhóm “{code}” đã có trong đợt này."
    if not name:
        errors["name"] = "Tên nhóm không được để trống."
    message = ratio_errors(ratio)
    if message:
        errors["ratio"] = message
    if errors:
        raise ValidationError(errors)
    group = PeerGroup.objects.create(cycle=cycle, code=code, name=name, ratio=ratio, derived=False)
    audit_record(
        actor=actor,
        action="peer_group.create",
        obj=group,
        after={"code": code, "name": name, "ratio": ratio},
    )
    return group


@transaction.atomic
def peer_group_assign(
    *, actor: Actor, evaluation: Evaluation, group: PeerGroup | None, reason: str = ""
) -> Evaluation:
    """Move one evaluation into `group` (or out of any group), refusing a move that breaks
    classification.md 9.7 for the cycle."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if group is not None and group.cycle_id != locked.cycle_id:
        raise ValidationError({"peer_group": "Nhóm tương đồng thuộc một đợt khác."})
    if group is not None:
        rows = _stored_rows(locked.cycle)
        rows[locked.code].group = group.code
        labels = dict(PeerGroup.objects.filter(cycle=locked.cycle).values_list("code", "name"))
        conflicts = enforce_peer_groups(rows, set(), labels, drop=False)
        if conflicts:
            first_code, note = next(iter(conflicts.items()))
            raise ValidationError(
                {
                    "peer_group": (
                        f"Không thể đưa phiếu {locked.code} vào nhóm “{group.name}”: phiếu "
                        f"{first_code} sẽ vi phạm quy tắc nhóm tương đồng. {note}"
                    )
                }
            )
    before = {"peer_group_id": locked.peer_group_id, "peer_group_note": locked.peer_group_note}
    locked.peer_group = group
    locked.peer_group_note = ""
    locked.save(update_fields=["peer_group", "peer_group_note"])
    audit_record(
        actor=actor,
        action="evaluation.set_peer_group",
        obj=locked,
        before=before,
        after={"peer_group_id": locked.peer_group_id},
        reason=reason,
    )
    return locked


# --------------------------------------------------------------------------- cycle_open


@dataclass
class OpenSummary:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    frozen: int = 0
    excluded: int = 0
    groups_created: int = 0
    dropped: dict[str, str] = field(default_factory=dict)
    by_role: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "frozen": self.frozen,
            "excluded": self.excluded,
            "groups_created": self.groups_created,
            "dropped_from_groups": len(self.dropped),
            "by_role": self.by_role,
        }


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


def _set_status(cycle: Cycle, actor: Actor, status: str) -> None:
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        before = locked.status
        if before == status:
            return
        fields = ["status"]
        locked.status = status
        if status == Cycle.Status.OPEN and locked.opened_at is None:
            locked.opened_at = timezone.now()
            fields.append("opened_at")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="cycle.status",
            obj=locked,
            before={"status": before},
            after={"status": status},
        )
        cycle.status = locked.status
        cycle.opened_at = locked.opened_at


def cycle_open(*, actor: Actor, cycle: Cycle, progress: ProgressFn | None = None) -> OpenSummary:
    """Create (or complete) every evaluation of the cycle's scope; idempotent.

    Written in batches, each atomic: if the process stops halfway the cycle stays "opening" and
    running it again finishes the work. One summary audit event, plus one per status change.
    """
    cycle = Cycle.objects.select_related("scope").get(pk=cycle.pk)
    if cycle.status == Cycle.Status.CLOSED:
        raise ValidationError({"status": "Đợt đã kết thúc, không mở lại được."})
    missing = [SLOTS[s] for s in SLOTS if not cycle.templates.get(s)]
    if missing:
        raise ValidationError(
            {
                "templates": "Chưa chọn mẫu tiêu chí cho: "
                + "; ".join(missing)
                + ". Hãy nạp mẫu (kiemdiem load-criteria) và chọn mẫu trước khi mở đợt."
            }
        )
    report = progress or (lambda done, total, message: None)
    _set_status(cycle, actor, Cycle.Status.OPENING)

    derivation = derive(cycle)
    rows = derivation.rows
    summary = OpenSummary(total=len(rows))
    existing = {
        e["code"]: e
        for e in Evaluation.objects.filter(cycle=cycle)
        .values(
            "id", "code", "status", "peer_group_id", "peer_group_note", *FACT_FIELDS, *LINK_FIELDS
        )
        .order_by()
    }
    frozen = {c for c, e in existing.items() if e["status"] != Evaluation.Status.DRAFT}
    summary.frozen = len(frozen)

    # Peer groups: existing evaluations keep the group they have (it may have been edited);
    # new ones get the derived group. Then 9.7 is enforced over the whole cycle.
    group_ids = dict(PeerGroup.objects.filter(cycle=cycle).values_list("code", "id"))
    group_code_by_id = {v: k for k, v in group_ids.items()}
    for code, row in rows.items():
        e = existing.get(code)
        if e is not None:
            row.group = group_code_by_id.get(e["peer_group_id"])
    # Evaluations whose subject left the scope are kept as they are (their data may matter).
    summary.dropped = enforce_peer_groups(rows, frozen, derivation.groups)
    new_groups = [
        PeerGroup(cycle=cycle, code=g, name=derivation.groups.get(g, g)[:255], derived=True)
        for g in sorted({r.group for r in rows.values() if r.group} - group_ids.keys())
    ]
    with transaction.atomic():
        PeerGroup.objects.bulk_create(new_groups, batch_size=BATCH, ignore_conflicts=True)
    summary.groups_created = len(new_groups)
    group_ids = dict(PeerGroup.objects.filter(cycle=cycle).values_list("code", "id"))

    templates = {slot: int(tid) for slot, tid in cycle.templates.items() if tid}
    done = 0
    total = len(rows)
    report(0, total, "Đang tạo phiếu đánh giá…")
    ids = {c: e["id"] for c, e in existing.items()}

    def template_for(row: Row) -> int | None:
        if row.slot in templates:
            return templates[row.slot]
        # A state-track subject of another category (should not happen): the công chức form.
        parts = row.slot.split(".")
        return templates.get(".".join([*parts[:2], "cong_chuc"]))

    def link_id(code: str | None) -> int | None:
        return ids.get(code) if code else None

    # Phase by phase so that every FK target except `parent` exists when a row is created.
    phase_filter = {
        0: Q(subject=Evaluation.Subject.COLLECTIVE),
        1: Q(subject=Evaluation.Subject.COLLECTIVE),
        2: Q(track=Evaluation.Track.STATE),
        3: Q(track=Evaluation.Track.PARTY),
    }
    for phase in (0, 1, 2, 3):
        batch: list[dict[str, Any]] = []
        for row in rows.values():
            if row.phase != phase or row.code in existing:
                continue
            batch.append(
                {
                    "cycle_id": cycle.pk,
                    "code": row.code,
                    "subject": row.subject,
                    "role": row.role,
                    "track": row.track,
                    "person_id": row.person_id,
                    "organization_id": row.organization_id,
                    "template_id": template_for(row),
                    "peer_group_id": group_ids.get(row.group) if row.group else None,
                    "peer_group_note": summary.dropped.get(row.code, ""),
                    "excluded": row.excluded,
                    "exclusion_reason": row.exclusion_reason,
                    "months_worked": row.months_worked,
                    "party_admission": row.party_admission,
                    "party_status": row.party_status,
                    "leads_id": link_id(row.leads),
                    "head_of_id": link_id(row.head_of),
                    "leadership_of_id": link_id(row.leadership_of),
                    "state_evaluation_id": link_id(row.state_evaluation),
                }
            )
        for start in range(0, len(batch), BATCH):
            chunk = batch[start : start + BATCH]
            with transaction.atomic():
                _insert_evaluations(chunk)
            done += len(chunk)
            summary.created += len(chunk)
            report(done, total, f"Đã tạo {done}/{total} phiếu đánh giá")
        if batch:
            ids.update(
                Evaluation.objects.filter(phase_filter[phase], cycle=cycle)
                .values_list("code", "id")
                .order_by()
            )

    # Second pass: `parent` of new rows, and every derived field of existing draft rows.
    updates: list[Evaluation] = []
    parents: list[Evaluation] = []
    for code, row in rows.items():
        if code in frozen:
            continue
        e = existing.get(code)
        note = summary.dropped.get(code) or (
            e["peer_group_note"] if e is not None and row.group is None else ""
        )
        want = {
            "role": row.role,
            "organization_id": row.organization_id,
            "template_id": template_for(row),
            "excluded": row.excluded,
            "exclusion_reason": row.exclusion_reason,
            "months_worked": row.months_worked,
            "party_admission": row.party_admission,
            "party_status": row.party_status,
            "leads_id": link_id(row.leads),
            "head_of_id": link_id(row.head_of),
            "leadership_of_id": link_id(row.leadership_of),
            "state_evaluation_id": link_id(row.state_evaluation),
            "parent_id": link_id(row.parent),
            "peer_group_id": group_ids.get(row.group) if row.group else None,
            "peer_group_note": note,
        }
        if e is None:
            if want["parent_id"] is not None:
                parents.append(Evaluation(id=ids[code], parent_id=want["parent_id"]))
            continue
        if any(e[k] != v for k, v in want.items()):
            updates.append(Evaluation(id=e["id"], **want))
            summary.updated += 1
    summary.unchanged = sum(1 for c in existing if c in rows) - summary.updated - summary.frozen
    table = connection.ops.quote_name(Evaluation._meta.db_table)
    parent_col = connection.ops.quote_name(Evaluation._meta.get_field("parent").column)
    for start in range(0, len(parents), BATCH):
        chunk = parents[start : start + BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            # Cheaper than bulk_update's CASE over thousands of ids: on PostgreSQL one UPDATE
            # joined to a VALUES list, on SQLite one prepared statement run per row.
            if connection.vendor == "postgresql":
                values = ", ".join(["(%s, %s)"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} AS e SET {parent_col} = v.parent "  # noqa: S608
                    f"FROM (VALUES {values}) AS v(id, parent) WHERE e.id = v.id",
                    [x for e in chunk for x in (e.pk, e.parent_id)],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET {parent_col} = %s WHERE id = %s",  # noqa: S608
                    [(e.parent_id, e.pk) for e in chunk],
                )
    for start in range(0, len(updates), BATCH // 2):
        with transaction.atomic():
            _bulk_update(updates[start : start + BATCH // 2], list(_want_keys()))

    # `manages` through the M2M table: add what is missing, drop what a draft row no longer has.
    through = Evaluation.manages.through
    have = set(
        through.objects.filter(from_evaluation__cycle=cycle)
        .values_list("from_evaluation_id", "to_evaluation_id")
        .order_by()
    )
    want_pairs = {
        (ids[code], ids[m])
        for code, row in rows.items()
        if code not in frozen
        for m in row.manages
        if m in ids
    }
    draft_ids = {ids[c] for c in rows if c not in frozen and c in ids}
    stale = [p for p in have - want_pairs if p[0] in draft_ids]
    add = sorted(want_pairs - have)
    for start in range(0, len(add), BATCH * 5):
        with transaction.atomic():
            through.objects.bulk_create(
                [
                    through(from_evaluation_id=a, to_evaluation_id=b)
                    for a, b in add[start : start + BATCH * 5]
                ],
                ignore_conflicts=True,
            )
    if stale:
        with transaction.atomic():
            for a, b in stale:
                through.objects.filter(from_evaluation_id=a, to_evaluation_id=b).delete()

    summary.excluded = sum(1 for r in rows.values() if r.excluded)
    by_role: dict[str, int] = defaultdict(int)
    for r in rows.values():
        by_role[f"{r.track or 'collective'}.{r.role}"] += 1
    summary.by_role = dict(sorted(by_role.items()))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="cycle.open",
            obj=cycle,
            after={
                **summary.as_dict(),
                "dropped": dict(list(sorted(summary.dropped.items()))[:200]),
            },
        )
    _set_status(cycle, actor, Cycle.Status.OPEN)
    report(total, total, "Hoàn thành")
    return summary


def _insert_evaluations(values: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING of new evaluations (SQLite and PostgreSQL).

    Measured: `bulk_create` spends most of a 100,000-person opening preparing the ~45 columns of
    each row one value at a time; here every column the opening does not set is prepared once
    (its model default), and only dates and decimals go through their field. A conflict (another
    opening of the same cycle running concurrently) skips the row, as `ignore_conflicts` would.
    """
    if not values:
        return
    fields = [f for f in Evaluation._meta.concrete_fields if not f.primary_key]
    given = values[0].keys()
    constants = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in given
    }
    if connection.vendor == "postgresql":
        # Constant JSON columns as text once (COPY's text format), not one adapter per row.
        for f in fields:
            if f.attname in constants and f.get_internal_type() == "JSONField":
                constants[f.attname] = json.dumps(f.get_default())
    prepared = {
        f.attname: f
        for f in fields
        if f.attname in given and f.get_internal_type() in ("DecimalField", "DateField")
    }
    columns = [f.column for f in fields]
    qn = connection.ops.quote_name
    # Identifiers come from the model's metadata (quoted); values are parameters.
    table = qn(Evaluation._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
    params = []
    for v in values:
        row = []
        for f in fields:
            name = f.attname
            if name in constants:
                row.append(constants[name])
            elif name in prepared:
                row.append(prepared[name].get_db_prep_save(v[name], connection))
            else:
                row.append(v[name])
        params.append(row)
    if connection.vendor == "postgresql":
        # COPY into a session-local table, then one INSERT … SELECT … ON CONFLICT: statements
        # with many placeholders spend their time in client-side query parsing.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS kd_evaluation_load AS "  # noqa: S608
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            cursor.execute("TRUNCATE kd_evaluation_load")
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY kd_evaluation_load ({names}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} "  # noqa: S608
                "FROM kd_evaluation_load ON CONFLICT DO NOTHING"
            )
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _want_keys() -> tuple[str, ...]:
    return (*FACT_FIELDS, *LINK_FIELDS, "peer_group_id", "peer_group_note")


def _bulk_update(objs: list[Evaluation], fields: list[str]) -> None:
    if not objs:
        return
    names = [f[:-3] if f.endswith("_id") else f for f in fields]
    Evaluation.objects.bulk_update(objs, names)


def cycle_enqueue_open(*, actor: Actor, cycle: Cycle) -> Any:
    """Start opening the cycle in the background (the page button and `open-cycle` use it)."""
    from kiemdiem.core.jobs import job_enqueue
    from kiemdiem.reviews.tasks import open_cycle

    return job_enqueue(
        task=open_cycle,
        kind="open_cycle",
        title=f"Mở đợt “{cycle.name}”",
        actor=actor,
        kwargs={
            "cycle_id": cycle.pk,
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        },
    )


__all__ = [
    "SLOTS",
    "Derivation",
    "OpenSummary",
    "Row",
    "choose_templates",
    "cycle_create",
    "cycle_enqueue_open",
    "cycle_open",
    "cycle_set_template",
    "default_deadlines",
    "default_rules",
    "derive",
    "enforce_peer_groups",
    "months_in_period",
    "peer_group_assign",
    "peer_group_create",
    "peer_group_set_ratio",
    "ratio_errors",
]
