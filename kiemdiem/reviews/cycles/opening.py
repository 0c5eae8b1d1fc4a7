"""Opening a cycle: turn the organization tree of its scope into the evaluations the rules
engine reads (classification.md 2.1), in phases.

1. `begin` — check the cycle may open (its transition, a template for every kind of subject)
   and mark it "opening".
2. derive — load the tree (`loading`) and derive every row (`derivation`), in memory.
3. peer groups — existing evaluations keep the group they have (it may have been edited), new
   ones get the derived one; classification.md 9.7 is enforced over the whole cycle.
4. create — new evaluations, phase by phase so that every link but `parent` points at a row
   that exists (collectives, leadership collectives, state track, party track).
5. refresh — `parent` of the new rows; every derived field of the existing draft rows.
6. manages — the `manages` links through the M2M table.
7. finish — one summary audit event, and the cycle "open".

Codes are stable (`O<org id>` for a collective, `S<person id>` / `P<person id>` for a person's
state / party track), so re-opening after roster changes creates only what is new; evaluations
that have left the draft status are never touched. Writes are committed batch by batch: if the
process stops halfway the cycle stays "opening", and running it again finishes the work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.transitions import transition
from kiemdiem.reviews.criteria.slots import SLOTS
from kiemdiem.reviews.cycles import access
from kiemdiem.reviews.cycles.bulk_write import (
    derived_keys,
    insert_evaluations,
    update_evaluations,
    update_parents,
)
from kiemdiem.reviews.cycles.derivation import (
    FACT_FIELDS,
    LINK_FIELDS,
    Derivation,
    Row,
    derive,
    period_of,
)
from kiemdiem.reviews.cycles.loading import cycle_facts, load_tree
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.cycles.peer_groups import enforce_peer_groups
from kiemdiem.reviews.cycles.transitions import CYCLE, OPEN, OPENED
from kiemdiem.reviews.evaluations.models import Evaluation

Actor = AbstractBaseUser | AnonymousUser | None
ProgressFn = Callable[[int, int, str], None]

BATCH = 2000

#: Which rows each creation phase adds (to read their ids back).
PHASE_FILTER = {
    0: Q(subject=Evaluation.Subject.COLLECTIVE),
    1: Q(subject=Evaluation.Subject.COLLECTIVE),
    2: Q(track=Evaluation.Track.STATE),
    3: Q(track=Evaluation.Track.PARTY),
}


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


def move_cycle(cycle: Cycle, *, actor: Actor, action: str, reason: str = "") -> Cycle:
    """One move of the cycle's transition table, on the locked row (its own transaction)."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        changes: dict[str, Any] = {}
        if CYCLE.target(locked.status, action) == Cycle.Status.OPEN and locked.opened_at is None:
            changes["opened_at"] = timezone.now()
        transition(
            machine=CYCLE, obj=locked, action=action, actor=actor, reason=reason, changes=changes
        )
    cycle.status, cycle.opened_at = locked.status, locked.opened_at
    return cycle


def cycle_open(*, actor: Actor, cycle: Cycle, progress: ProgressFn | None = None) -> OpenSummary:
    """Create (or complete) every evaluation of the cycle's scope; idempotent."""
    cycle = Cycle.objects.select_related("scope").get(pk=cycle.pk)
    access.require_manager(actor, cycle)
    _check_can_open(cycle)
    move_cycle(cycle, actor=actor, action=OPEN)
    start, _end = period_of(cycle.year, cycle.quarter)
    derivation = derive(load_tree(cycle.scope, period_start=start), cycle_facts(cycle))
    opening = _Opening(cycle, derivation, report=progress or (lambda done, total, message: None))
    opening.assign_peer_groups()
    opening.create_new()
    opening.refresh_existing()
    opening.sync_manages()
    opening.finish(actor)
    _refresh_statistics()
    move_cycle(cycle, actor=actor, action=OPENED)
    opening.report(opening.summary.total, opening.summary.total, "Hoàn thành")
    return opening.summary


def _refresh_statistics() -> None:
    """Opening writes the cycle's evaluations in bulk (a province: 140,000 rows). Without fresh
    statistics SQLite's planner cannot tell the cycle page's partial indexes (migration 0006)
    from the plain (cycle, organization) one and walks the whole cycle; PostgreSQL's
    autovacuum would catch up only later, and the page is opened right after."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Evaluation._meta.db_table}")


def _check_can_open(cycle: Cycle) -> None:
    CYCLE.target(cycle.status, OPEN)
    missing = [str(SLOTS[s]) for s in SLOTS if not cycle.templates.get(s)]
    if missing:
        raise ValidationError(
            {
                "templates": _(
                    "Chưa chọn mẫu tiêu chí cho: %(kinds)s. Hãy nạp mẫu (kiemdiem load-criteria) "
                    "và chọn mẫu trước khi mở đợt."
                )
                % {"kinds": "; ".join(missing)}
            }
        )


class _Opening:
    """The state one opening carries from phase to phase."""

    def __init__(self, cycle: Cycle, derivation: Derivation, *, report: ProgressFn) -> None:
        self.cycle = cycle
        self.rows = derivation.rows
        self.group_names = derivation.groups
        self.report = report
        self.summary = OpenSummary(total=len(self.rows))
        self.existing = {
            e["code"]: e
            for e in Evaluation.objects.filter(cycle=cycle)
            .values(
                "id",
                "code",
                "status",
                "peer_group_id",
                "peer_group_note",
                *FACT_FIELDS,
                *LINK_FIELDS,
            )
            .order_by()
        }
        self.frozen = {
            c for c, e in self.existing.items() if e["status"] != Evaluation.Status.DRAFT
        }
        self.summary.frozen = len(self.frozen)
        self.ids = {c: e["id"] for c, e in self.existing.items()}
        self.templates = {slot: int(tid) for slot, tid in cycle.templates.items() if tid}
        self.group_ids: dict[str, int] = {}

    # --- phase 3 ---------------------------------------------------------------------------

    def assign_peer_groups(self) -> None:
        groups = PeerGroup.objects.filter(cycle=self.cycle)
        code_by_id = {v: k for k, v in groups.values_list("code", "id")}
        for code, row in self.rows.items():
            e = self.existing.get(code)
            if e is not None:
                row.group = code_by_id.get(e["peer_group_id"])
        # Evaluations whose subject left the scope are kept as they are (their data may matter).
        self.summary.dropped = enforce_peer_groups(self.rows, self.frozen, self.group_names)
        new_groups = [
            PeerGroup(cycle=self.cycle, code=g, name=self.group_names.get(g, g)[:255], derived=True)
            for g in sorted(
                {r.group for r in self.rows.values() if r.group} - set(code_by_id.values())
            )
        ]
        with transaction.atomic():
            PeerGroup.objects.bulk_create(new_groups, batch_size=BATCH, ignore_conflicts=True)
        self.summary.groups_created = len(new_groups)
        self.group_ids = dict(PeerGroup.objects.filter(cycle=self.cycle).values_list("code", "id"))

    # --- the derived columns ---------------------------------------------------------------

    def template_for(self, row: Row) -> int | None:
        if row.slot in self.templates:
            return self.templates[row.slot]
        # A state-track subject of another category (should not happen): the công chức form.
        parts = row.slot.split(".")
        return self.templates.get(".".join([*parts[:2], "cong_chuc"]))

    def link_id(self, code: str | None) -> int | None:
        return self.ids.get(code) if code else None

    def derived(self, row: Row, note: str) -> dict[str, Any]:
        """The columns opening derives (and re-opening refreshes on draft rows)."""
        return {
            "role": row.role,
            "organization_id": row.organization_id,
            "template_id": self.template_for(row),
            "excluded": row.excluded,
            "exclusion_reason": row.exclusion_reason,
            "months_worked": row.months_worked,
            "party_admission": row.party_admission,
            "party_status": row.party_status,
            "leads_id": self.link_id(row.leads),
            "head_of_id": self.link_id(row.head_of),
            "leadership_of_id": self.link_id(row.leadership_of),
            "state_evaluation_id": self.link_id(row.state_evaluation),
            "peer_group_id": self.group_ids.get(row.group) if row.group else None,
            "peer_group_note": note,
        }

    # --- phase 4 ---------------------------------------------------------------------------

    def create_new(self) -> None:
        done, total = 0, len(self.rows)
        self.report(0, total, "Đang tạo phiếu đánh giá…")
        for phase in (0, 1, 2, 3):
            batch = [
                {
                    "cycle_id": self.cycle.pk,
                    "code": row.code,
                    "subject": row.subject,
                    "track": row.track,
                    "person_id": row.person_id,
                    **self.derived(row, self.summary.dropped.get(row.code, "")),
                }
                for row in self.rows.values()
                if row.phase == phase and row.code not in self.existing
            ]
            for start in range(0, len(batch), BATCH):
                chunk = batch[start : start + BATCH]
                with transaction.atomic():
                    insert_evaluations(chunk)
                done += len(chunk)
                self.summary.created += len(chunk)
                self.report(done, total, f"Đã tạo {done}/{total} phiếu đánh giá")
            if batch:
                self.ids.update(
                    Evaluation.objects.filter(PHASE_FILTER[phase], cycle=self.cycle)
                    .values_list("code", "id")
                    .order_by()
                )

    # --- phase 5 ---------------------------------------------------------------------------

    def refresh_existing(self) -> None:
        updates: list[Evaluation] = []
        parents: list[Evaluation] = []
        for code, row in self.rows.items():
            if code in self.frozen:
                continue
            e = self.existing.get(code)
            note = self.summary.dropped.get(code) or (
                e["peer_group_note"] if e is not None and row.group is None else ""
            )
            want = {**self.derived(row, note), "parent_id": self.link_id(row.parent)}
            if e is None:
                if want["parent_id"] is not None:
                    parents.append(Evaluation(id=self.ids[code], parent_id=want["parent_id"]))
            elif any(e[k] != v for k, v in want.items()):
                updates.append(Evaluation(id=e["id"], **want))
        self.summary.updated = len(updates)
        kept = sum(1 for c in self.existing if c in self.rows)
        self.summary.unchanged = kept - self.summary.updated - self.summary.frozen
        for start in range(0, len(parents), BATCH):
            with transaction.atomic():
                update_parents(parents[start : start + BATCH])
        for start in range(0, len(updates), BATCH // 2):
            with transaction.atomic():
                update_evaluations(updates[start : start + BATCH // 2], list(derived_keys()))

    # --- phase 6 ---------------------------------------------------------------------------

    def sync_manages(self) -> None:
        """Add what is missing, drop what a draft row no longer has."""
        through = Evaluation.manages.through
        have = set(
            through.objects.filter(from_evaluation__cycle=self.cycle)
            .values_list("from_evaluation_id", "to_evaluation_id")
            .order_by()
        )
        want = {
            (self.ids[code], self.ids[m])
            for code, row in self.rows.items()
            if code not in self.frozen
            for m in row.manages
            if m in self.ids
        }
        draft_ids = {self.ids[c] for c in self.rows if c not in self.frozen and c in self.ids}
        stale = [pair for pair in have - want if pair[0] in draft_ids]
        add = sorted(want - have)
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

    # --- phase 7 ---------------------------------------------------------------------------

    def finish(self, actor: Actor) -> None:
        summary = self.summary
        summary.excluded = sum(1 for r in self.rows.values() if r.excluded)
        by_role: dict[str, int] = defaultdict(int)
        for r in self.rows.values():
            by_role[f"{r.track or 'collective'}.{r.role}"] += 1
        summary.by_role = dict(sorted(by_role.items()))
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="cycle.open",
                obj=self.cycle,
                after={
                    **summary.as_dict(),
                    "dropped": dict(list(sorted(summary.dropped.items()))[:200]),
                },
            )
