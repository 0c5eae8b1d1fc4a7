"""The moves around a decision (decisions.md §1): publish, petition, reopen, annul, and the
grant of the 0.25 ratio to a peer group. One atomic, audited service each; `decide` is in
`services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User, is_superuser, role_paths
from kiemdiem.accounts.models import Role
from kiemdiem.core.audit import audit_record
from kiemdiem.core.transitions import transition
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.decisions import access
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.decisions.notices import subject_users, tell
from kiemdiem.reviews.decisions.signals import announce
from kiemdiem.reviews.evaluations.access import is_author
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.selfreview.transitions import SELF_REVIEW

RATIOS = ("0.20", "0.25")


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle", "person", "organization")
        .get(pk=evaluation.pk)
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Phải nêu lý do.")]})
    return reason


@transaction.atomic
def publish(*, actor: User, cycle: Cycle, evaluations: list[Evaluation]) -> int:
    """Publish decided evaluations (the competent level); open petitions on them are answered."""
    now = timezone.now()
    announce(cycle.pk)
    for evaluation in sorted(evaluations, key=lambda e: e.pk):
        ev = _locked(evaluation)
        if ev.cycle_id != cycle.pk or not access.can_decide(actor, ev):
            raise PermissionDenied(_("Bạn không có quyền công bố kết quả của phiếu này."))
        transition(
            machine=EVALUATION,
            obj=ev,
            action="publish",
            actor=actor,
            changes={"published_at": now, "version": ev.version + 1},
            audit_after={"level": ev.decided_level},
        )
        tell(
            subject_users(ev),
            ev,
            _("Kết quả xếp loại đã công bố"),
            _("Mức xếp loại: %(level)s.") % {"level": ev.get_decided_level_display()},
        )
        for petition in Petition.objects.filter(evaluation=ev, status=Petition.Status.OPEN):
            petition.status = Petition.Status.ANSWERED
            petition.answer = _("Đã xem xét lại; kết quả công bố: %(level)s.") % {
                "level": ev.get_decided_level_display()
            }
            petition.answered_at = now
            petition.save(update_fields=["status", "answer", "answered_at"])
            audit_record(
                actor=actor,
                action="petition.answer",
                obj=petition,
                after={"answer": petition.answer},
            )
            if petition.filed_by is not None:
                tell(
                    [petition.filed_by], ev, _("Kiến nghị của bạn đã được trả lời"), petition.answer
                )
    return len(evaluations)


def petition_deadline(ev: Evaluation) -> dt.datetime | None:
    if ev.published_at is None:
        return None
    return ev.published_at + dt.timedelta(days=ev.cycle.petition_days)


@transaction.atomic
def petition_file(*, actor: User, evaluation: Evaluation, text: str) -> Petition:
    """The subject petitions a published result within the period: back to verification."""
    ev = _locked(evaluation)
    if not is_author(actor, ev):
        raise PermissionDenied(_("Chỉ người được đánh giá mới được kiến nghị về kết quả này."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Cần ghi nội dung kiến nghị.")]})
    EVALUATION.target(ev.status, "petition")
    deadline = petition_deadline(ev)
    if deadline is not None and timezone.now() > deadline:
        raise ValidationError(
            _("Đã hết thời hạn kiến nghị (%(date)s).")
            % {"date": timezone.localtime(deadline).strftime("%d/%m/%Y")},
            code="deadline",
        )
    petition = Petition.objects.create(
        evaluation=ev, text=text, filed_by=actor if actor and actor.is_authenticated else None
    )
    transition(
        machine=EVALUATION,
        obj=ev,
        action="petition",
        actor=actor,
        reason=text,
        changes={"version": ev.version + 1},
        audit_after={"petition": petition.pk},
    )
    return petition


@transaction.atomic
def reopen(*, actor: User, evaluation: Evaluation, reason: str) -> Evaluation:
    """The competent level sends an evaluation back to its author (levels cleared, kept in the
    history); the self-review unlocks."""
    ev = _locked(evaluation)
    if not access.can_decide(actor, ev):
        raise PermissionDenied(_("Chỉ cấp có thẩm quyền mới được mở lại phiếu này."))
    reason = _reason(reason)
    EVALUATION.target(ev.status, "reopen")
    before = {
        "meeting": ev.meeting_level,
        "proposed": ev.proposed_level,
        "decided": ev.decided_level,
    }
    transition(
        machine=EVALUATION,
        obj=ev,
        action="reopen",
        actor=actor,
        reason=reason,
        changes={
            "meeting_level": "",
            "proposed_level": "",
            "decided_level": "",
            "decided_at": None,
            "decided_by": None,
            "decision_reason": "",
            "version": ev.version + 1,
        },
        audit_after={"cleared": before},
    )
    tell(subject_users(ev), ev, _("Phiếu đánh giá được mở lại"), reason)
    announce(ev.cycle_id)
    review = SelfReview.objects.select_for_update().filter(evaluation=ev).first()
    if review is not None and SELF_REVIEW.can(review.status, "return"):
        transition(
            machine=SELF_REVIEW,
            obj=review,
            action="return",
            actor=actor,
            reason=reason,
            changes={"returned_reason": reason, "version": review.version + 1},
        )
    return ev


def is_higher_competent(actor: User, ev: Evaluation) -> bool:
    """A competent role strictly above the organization that decided (366-44)."""
    if is_superuser(actor):
        return True
    manager = access.competent_org_id(ev)
    if manager is None:
        return False
    path = Organization.objects.get(pk=manager).path
    return any(path.startswith(p) and path != p for p in role_paths(actor, {Role.COMPETENT}))


@transaction.atomic
def annul(*, actor: User, evaluation: Evaluation, reason: str) -> Evaluation:
    """A higher level annuls a published decision; a new decision follows on the same row."""
    ev = _locked(evaluation)
    if not is_higher_competent(actor, ev):
        raise PermissionDenied(_("Chỉ cấp trên của cấp đã quyết định mới được hủy bỏ quyết định."))
    reason = _reason(reason)
    announce(ev.cycle_id)
    transition(
        machine=EVALUATION,
        obj=ev,
        action="annul",
        actor=actor,
        reason=reason,
        changes={"version": ev.version + 1},
        audit_after={"annulled_level": ev.decided_level},
    )
    return ev


@transaction.atomic
def grant_ratio(*, actor: User, peer_group: PeerGroup, ratio: str, reason: str = "") -> PeerGroup:
    """Set a peer group's ratio (0.20, or 0.25 with a reason) — the competent level of all its
    members only."""
    group = PeerGroup.objects.select_for_update().get(pk=peer_group.pk)
    if ratio not in RATIOS:
        raise ValidationError({"ratio": [_("Tỷ lệ chỉ có thể là 0,20 hoặc 0,25.")]})
    if Decimal(ratio) > Decimal("0.20"):
        reason = _reason(reason)
    if not is_superuser(actor):
        members = list(Evaluation.objects.filter(peer_group=group).select_related("person"))
        mine = access.competent_role_org_ids(actor)
        managers = access.competent_org_ids(members)
        if not members or any(managers[m.pk] not in mine for m in members):
            raise PermissionDenied(
                _("Chỉ cấp có thẩm quyền với mọi thành viên của nhóm mới được đổi tỷ lệ.")
            )
    before = {"ratio": group.ratio}
    group.ratio = ratio
    group.ratio_reason = reason.strip()
    group.save(update_fields=["ratio", "ratio_reason"])
    audit_record(
        actor=actor,
        action="peer_group.ratio",
        obj=group,
        before=before,
        after={"ratio": ratio},
        reason=reason,
    )
    return group
