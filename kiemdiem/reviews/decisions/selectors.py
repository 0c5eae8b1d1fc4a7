"""Reads for the decision page and the API (bounded query counts)."""

from __future__ import annotations

from kiemdiem.accounts.access import User, is_authenticated, is_superuser
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions import access
from kiemdiem.reviews.decisions.services import DECIDABLE
from kiemdiem.reviews.evaluations.models import Evaluation


def decidable_ids(actor: User, cycle: Cycle) -> set[int]:
    """The evaluations of `cycle` the actor may decide now: in a decidable state and managed
    by an organization where the actor holds the competent role (about 6 queries)."""
    if not is_authenticated(actor):
        return set()
    evs = list(
        Evaluation.objects.filter(cycle=cycle, status__in=sorted(DECIDABLE)).only(
            "id", "subject", "person_id", "organization_id"
        )
    )
    if is_superuser(actor):
        return {e.pk for e in evs}
    mine = access.competent_role_org_ids(actor)
    if not mine:
        return set()
    managers = access.competent_org_ids(evs)
    return {e.pk for e in evs if managers[e.pk] in mine}
