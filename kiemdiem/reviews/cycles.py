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

Where the rest lives: the derivation rules (what a cycle contains) in
`kiemdiem.reviews.derivation`, the peer groups and the 9.7 check in
`kiemdiem.reviews.peer_groups`, the raw bulk SQL in `kiemdiem.reviews.bulk_write`. Their public
names are re-exported here, so `kiemdiem.reviews.cycles` keeps its former interface.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiemdiem.core.audit import audit_record
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.bulk_write import (
    _bulk_update,
    _insert_evaluations,
    _update_parents,
    _want_keys,
)
from kiemdiem.reviews.derivation import (
    AGENCY_KINDS,
    EXCLUSION_RULE,
    FACT_FIELDS,
    GRASSROOTS_KINDS,
    LINK_FIELDS,
    STATE_EMPLOYMENTS,
    Derivation,
    Row,
    _period_label,
    derive,
    months_in_period,
    scope_prefixes,
)
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup
from kiemdiem.reviews.peer_groups import (
    DEFAULT_RATIO,
    MAX_RATIO,
    RATIO_RE,
    enforce_peer_groups,
    peer_group_assign,
    peer_group_create,
    peer_group_set_ratio,
    ratio_errors,
)

Actor = AbstractBaseUser | AnonymousUser | None
ProgressFn = Callable[[int, int, str], None]

BATCH = 2000

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

    def derived(row: Row, note: str) -> dict[str, Any]:
        """The columns opening derives (and re-opening refreshes on draft rows)."""
        return {
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
            "peer_group_id": group_ids.get(row.group) if row.group else None,
            "peer_group_note": note,
        }

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
                    "track": row.track,
                    "person_id": row.person_id,
                    **derived(row, summary.dropped.get(row.code, "")),
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
        want = {**derived(row, note), "parent_id": link_id(row.parent)}
        if e is None:
            if want["parent_id"] is not None:
                parents.append(Evaluation(id=ids[code], parent_id=want["parent_id"]))
            continue
        if any(e[k] != v for k, v in want.items()):
            updates.append(Evaluation(id=e["id"], **want))
            summary.updated += 1
    summary.unchanged = sum(1 for c in existing if c in rows) - summary.updated - summary.frozen
    for start in range(0, len(parents), BATCH):
        chunk = parents[start : start + BATCH]
        with transaction.atomic():
            _update_parents(chunk)
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
    "AGENCY_KINDS",
    "BATCH",
    "DEFAULT_RATIO",
    "EXCLUSION_RULE",
    "FACT_FIELDS",
    "FAMILY_FALLBACK",
    "GRASSROOTS_KINDS",
    "LINK_FIELDS",
    "MAX_RATIO",
    "RATIO_RE",
    "SLOTS",
    "STATE_EMPLOYMENTS",
    "Actor",
    "Derivation",
    "OpenSummary",
    "ProgressFn",
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
    "scope_prefixes",
]
