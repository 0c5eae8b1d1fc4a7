"""Who is told what along the decision workflow (`kiemdiem.notices.services.notify`).

The evaluated person (or, for a collective, the heads of its organization) hears that the
meeting met, the advisory body verified, the competent level decided, the result was published
or the evaluation reopened; a petitioner hears that the petition was answered; the competent
level hears that an evaluation waits for its decision. Called inside the services' transaction:
a refused or rolled-back step tells nobody.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kiemdiem.accounts.models import HEAD_ROLES, Role, RoleAssignment
from kiemdiem.notices.models import Notice
from kiemdiem.notices.services import notify
from kiemdiem.reviews.evaluations.models import Evaluation


def subject_users(ev: Evaluation) -> list[Any]:
    if ev.subject == Evaluation.Subject.INDIVIDUAL:
        user = ev.person.user if ev.person_id and ev.person else None
        return [user] if user is not None else []
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            organization_id=ev.organization_id, role__in=HEAD_ROLES
        ).select_related("user")
    ]


def competent_users(org_id: int | None) -> list[Any]:
    if org_id is None:
        return []
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            organization_id=org_id, role=Role.COMPETENT
        ).select_related("user")
    ]


def tell(recipients: list[Any], ev: Evaluation, title: str, body: str = "") -> None:
    if recipients:
        notify(
            recipients=recipients,
            kind=Notice.Kind.DECISION,
            title=f"{title}: {ev.cycle.name}",
            url=reverse("evaluation_history", args=[ev.pk]),
            body=body,
        )
