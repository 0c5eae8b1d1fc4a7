"""Verification by the advisory body (decisions.md §1 reviewed → verified): the personnel role
over the organization of the competent level proposes a level, with notes and the opinions of
related bodies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User, is_superuser
from kiemdiem.accounts.models import Role
from kiemdiem.core.transitions import transition
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.decisions.access import competent_org_id
from kiemdiem.reviews.decisions.notices import competent_users, subject_users, tell
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.verification.models import Verification


def can_verify(actor: User, evaluation: Evaluation) -> bool:
    if is_superuser(actor):
        return True
    manager = competent_org_id(evaluation)
    if manager is None:
        return False
    return in_scope(actor, {Role.PERSONNEL}, Organization.objects.get(pk=manager))


@transaction.atomic
def verify(
    *, actor: User, evaluation: Evaluation, proposed_level: str, notes: str = "", opinions: str = ""
) -> Verification:
    ev = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("person", "organization")
        .get(pk=evaluation.pk)
    )
    if not can_verify(actor, ev):
        raise PermissionDenied(
            _("Chỉ cơ quan tham mưu của cấp có thẩm quyền mới được thẩm định phiếu này.")
        )
    if proposed_level not in Level.values:
        raise ValidationError({"proposed_level": [_("Chọn mức xếp loại đề xuất.")]})
    EVALUATION.target(ev.status, "verify")
    record = Verification.objects.create(
        evaluation=ev,
        proposed_level=proposed_level,
        notes=notes.strip(),
        opinions=opinions.strip(),
        verified_by=actor if actor is not None and actor.is_authenticated else None,
    )
    transition(
        machine=EVALUATION,
        obj=ev,
        action="verify",
        actor=actor,
        changes={"proposed_level": proposed_level, "version": ev.version + 1},
        audit_after={"level": proposed_level},
    )
    tell(subject_users(ev), ev, _("Cơ quan tham mưu đã thẩm định phiếu của bạn"))
    tell(competent_users(competent_org_id(ev)), ev, _("Một phiếu đánh giá chờ bạn quyết định"))
    return record
