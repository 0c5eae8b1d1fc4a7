"""Demo data of the decision workflow (`kiemdiem demo-cycle`, DEBUG only).

After the demo cycle opens, every evaluation gets plausible facts and the suggestions are
computed; then, through the evaluation's transition table (audited, actor = the system):
- the collectives the demo competent account (`thamquyen`) decides are submitted, met and
  verified at the suggested level, and what they depend on is decided, so the decision page has
  work at once;
- three colleagues of the demo staff member are submitted, and the unit head (`truongphong`)
  holds the division's review meeting for the first two (attendance, one absent with a reason,
  comments, tallies, levels: `kiemdiem.reviews.meetings.demo`), so its minutes print real
  content; the third waits for the meeting (the unit head has work);
- two evaluations `thamquyen` decides are published and petitioned: one waits for the
  personnel body (`tochuc`) to re-verify it, the other is re-verified and waits for `thamquyen`
  to re-decide it (a petition on an evaluation no demo account decides would wait forever).
- one member of the demo secretary's cell submits the party-track review (`bithu` has work).
The demo accounts' own evaluations stay drafts (their self-review is the demo's first step).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.core.transitions import transition
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions.access import competent_org_ids
from kiemdiem.reviews.decisions.checks import depends_on
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.evaluations.engine import load_rows
from kiemdiem.reviews.evaluations.models import Evaluation, Grade
from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.meetings.demo import hold_demo_meeting

GRADES = [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.AVERAGE]
PATH = {
    "submitted": ["submit"],
    "reviewed": ["submit", "review"],
    "verified": ["submit", "review", "verify"],
    "decided": ["submit", "review", "verify", "decide"],
    "published": ["submit", "review", "verify", "decide", "publish"],
}


def _facts(cycle: Cycle) -> None:
    """Deterministic, varied facts for every evaluation (scores 80–97, grades, tasks)."""
    evs = list(Evaluation.objects.filter(cycle=cycle, excluded=False).only("id"))
    for ev in evs:
        k = ev.pk * 7919
        ev.score = Decimal(80 + k % 18)
        ev.general = GRADES[k % 4]
        ev.results_grade = GRADES[(k // 4) % 4]
        ev.tasks_assigned = 20
        ev.tasks_completed = 20 - (k % 3 == 0)
        ev.tasks_on_time = ev.tasks_completed - (k % 5 == 0)
        ev.tasks_exceeded = k % 9
    Evaluation.objects.bulk_update(
        evs,
        [
            "score",
            "general",
            "results_grade",
            "tasks_assigned",
            "tasks_completed",
            "tasks_on_time",
            "tasks_exceeded",
        ],
        batch_size=1000,
    )


def advance(ev: Evaluation, to: str, *, reason: str = "") -> None:
    """Move `ev` along the table to status `to`, levels at the engine's suggestion."""
    level = ev.suggested_level or "HTNV"
    fields = {
        "submit": {"self_level": level},
        "review": {"meeting_level": level},
        "verify": {"proposed_level": level},
        "decide": {"decided_level": level, "decided_at": timezone.now()},
        "publish": {"published_at": timezone.now()},
    }
    for action in PATH[to]:
        if EVALUATION.can(ev.status, action):
            changes: dict[str, Any] = {**fields[action], "version": ev.version + 1}
            transition(
                machine=EVALUATION,
                obj=ev,
                action=action,
                actor=None,
                reason=reason,
                changes=changes,
            )


@transaction.atomic
def seed_decisions(cycle: Cycle, users: dict[str, Any]) -> dict[str, int]:
    _facts(cycle)
    cycle_recompute_suggestions(actor=None, cycle=cycle)
    counts = {"verified": 0, "decided": 0, "submitted": 0, "petitions": 0}
    competent = users.get("thamquyen")
    if competent is not None:
        mine = set(
            RoleAssignment.objects.filter(user=competent, role=Role.COMPETENT).values_list(
                "organization_id", flat=True
            )
        )
        evs = list(Evaluation.objects.filter(cycle=cycle, excluded=False))
        managers = competent_org_ids(evs)
        chosen = {e.pk for e in evs if managers[e.pk] in mine}
        rows = load_rows(cycle)
        children: dict[int, list[int]] = {}
        for pk, row in rows.items():
            if row["parent_id"]:
                children.setdefault(row["parent_id"], []).append(pk)
        before: set[int] = set()
        frontier = {d for pk in chosen for d in depends_on(rows[pk], children)} - chosen
        while frontier:  # what the chosen depend on, transitively, is decided first
            before |= frontier
            frontier = {d for pk in frontier for d in depends_on(rows[pk], children)} - before
        by_pk = {e.pk: e for e in evs}
        for pk in sorted(before - chosen):
            if not by_pk[pk].excluded:
                advance(by_pk[pk], "decided", reason="Dữ liệu mẫu")
                counts["decided"] += 1
        # Preferably ones nothing chosen waits on (they drop back before `decided`), and
        # individuals (a person's petition is the common case) before collectives.
        needed = {d for pk in chosen for d in depends_on(rows[pk], children)}
        petitioned = sorted(
            chosen,
            key=lambda pk: (
                pk in needed,
                by_pk[pk].subject != Evaluation.Subject.INDIVIDUAL,
                pk,
            ),
        )[:2]
        for pk in sorted(chosen - set(petitioned)):
            advance(by_pk[pk], "verified")
            counts["verified"] += 1
        for i, pk in enumerate(petitioned):
            _petition(by_pk[pk], reverified=i == 1)
            counts["petitions"] += 1
    staff = users.get("nhanvien")
    person = getattr(staff, "person", None)
    if person is not None:
        mine_ids = set(Evaluation.objects.filter(person=person).values_list("id", flat=True))
        own = Evaluation.objects.filter(cycle=cycle, person=person).first()
        colleagues = list(
            Evaluation.objects.filter(
                cycle=cycle,
                organization_id=own.organization_id if own else None,
                subject=Evaluation.Subject.INDIVIDUAL,
                status=Evaluation.Status.DRAFT,
            )
            .exclude(pk__in=mine_ids)
            .exclude(person__user__isnull=False)
            .order_by("id")[:3]
        )
        for ev in colleagues:
            advance(ev, "submitted")
            counts["submitted"] += 1
        if len(colleagues) > 1:
            hold_demo_meeting(cycle, users.get("truongphong"), staff, colleagues[:-1])
            counts["submitted"] -= len(colleagues) - 1
    counts["submitted"] += _cell_member_submitted(cycle)
    return counts


def _petition(ev: Evaluation, *, reverified: bool) -> None:
    """Publish `ev`, file its subject's petition (back to `reviewed`), and, if `reverified`,
    re-verify it so the competent level can re-decide it at once."""
    advance(ev, "published")
    Petition.objects.create(
        evaluation=ev, text="Đề nghị xem xét lại mức xếp loại do đã bổ sung sản phẩm."
    )
    transition(
        machine=EVALUATION,
        obj=ev,
        action="petition",
        actor=None,
        reason="Kiến nghị (dữ liệu mẫu)",
        changes={"version": ev.version + 1},
    )
    if reverified:
        transition(
            machine=EVALUATION,
            obj=ev,
            action="verify",
            actor=None,
            reason="Thẩm định lại sau kiến nghị (dữ liệu mẫu)",
            changes={"proposed_level": ev.proposed_level, "version": ev.version + 1},
        )


def _cell_member_submitted(cycle: Cycle) -> int:
    """One member of the demo secretary's (`bithu`) cell submits the party-track review, so
    the secretary has a member's review to consider, return or assess on the home page."""
    cells = RoleAssignment.objects.filter(
        user__username="bithu", role=Role.CELL_SECRETARY
    ).values_list("organization_id", flat=True)
    ev = (
        Evaluation.objects.filter(
            cycle=cycle,
            organization_id__in=list(cells),
            subject=Evaluation.Subject.INDIVIDUAL,
            track=Evaluation.Track.PARTY,
            status=Evaluation.Status.DRAFT,
            excluded=False,
        )
        .exclude(person__user__isnull=False)  # not a demo account's own review
        .order_by("id")
        .first()
    )
    if ev is None:
        return 0
    advance(ev, "submitted")
    return 1
