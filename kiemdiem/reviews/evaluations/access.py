"""Who may see an evaluation (and so its self-review, and later its meeting and decision).

* Its author: the person themself; for a collective, the head of its organization
  (`kiemdiem.orgs.access.is_head_of`).
* A scope role (`SCOPE_ROLES`) over the evaluation's organization, and superusers.

Each area adds its own rights on top (`selfreview.access`: who edits and returns).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from kiemdiem.accounts.access import User, is_authenticated, is_superuser, role_paths
from kiemdiem.accounts.models import SCOPE_ROLES
from kiemdiem.orgs.access import headed_org_ids, in_scope, is_head_of, scope_q
from kiemdiem.reviews.cycles import access as cycle_access
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation


def is_author(user: User, evaluation: Evaluation) -> bool:
    """The person themself; for a collective, the head of its organization (Mẫu 01)."""
    if not is_authenticated(user):
        return False
    if evaluation.subject == Evaluation.Subject.INDIVIDUAL:
        return evaluation.person is not None and evaluation.person.user_id == user.pk
    return is_head_of(user, evaluation.organization)


def authored_q(user: User) -> Q:
    """The evaluations the user authors (the lists of "my" self-reviews)."""
    if not is_authenticated(user):
        return Q(pk__in=[])
    # By ids, not `person__user = user`: an OR across a join makes PostgreSQL scan the cycle's
    # whole evaluation table, while two id lists become two index lookups (a bitmap OR). The
    # person is already loaded (and cached on the user) by `headed_org_ids`.
    org_ids = sorted(headed_org_ids(user))
    person_id = getattr(getattr(user, "person", None), "pk", None)
    collective = Q(subject=Evaluation.Subject.COLLECTIVE, organization_id__in=org_ids)
    return collective if person_id is None else Q(person_id=person_id) | collective


def can_view(user: User, evaluation: Evaluation) -> bool:
    if not is_authenticated(user):
        return False
    if is_superuser(user) or is_author(user, evaluation):
        return True
    return in_scope(user, SCOPE_ROLES, evaluation.organization)


def visible_q(user: User, prefix: str = "organization__") -> Q:
    """Evaluations whose organization is in the user's scope (reviewer lists)."""
    return scope_q(user, SCOPE_ROLES, f"{prefix}path")


def evaluation_for_user(user: User, pk: int) -> Evaluation:
    """The evaluation if the user may see it, with what its pages show."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related(
            "cycle", "template", "person", "organization", "organization__leads", "leads"
        ),
        pk=pk,
    )
    if not can_view(user, evaluation):
        raise PermissionDenied
    return evaluation


def page_evaluation(user: User, pk: int) -> Evaluation:
    """`evaluation_for_user` for the decision workflow's pages: an evaluation the user may not see
    is "not found" (404), like in the API, so a page never confirms it exists."""
    try:
        return evaluation_for_user(user, pk)
    except PermissionDenied:
        raise Http404 from None


def cycle_seen(user: User, cycle: Cycle) -> bool:
    """The cycle's viewers (`cycles.access`) and whoever sees one of its evaluations (a staff
    member sees the cycle of their own self-review) — the API's rule for cycles."""
    if cycle_access.can_view(user, cycle):
        return True
    return Evaluation.objects.filter(visible_q(user) | authored_q(user), cycle=cycle).exists()


def workflow_cycle(user: User, pk: int, may: Callable[[User, Cycle], bool]) -> Cycle:
    """The cycle of a decision-workflow page: 404 if the user cannot see it at all, 403 if they
    see it but `may` (the page's own right) refuses them."""
    cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=pk)
    if not is_authenticated(user) or not cycle_seen(user, cycle):
        raise Http404
    if not may(user, cycle):
        raise PermissionDenied
    return cycle


def holds(*roles: str) -> Callable[[User, Cycle], bool]:
    """A page right for `workflow_cycle`: the user holds one of `roles` somewhere (or is a
    superuser). Which evaluations of the cycle they then act on is the service's check per
    object (a competent level decides what cadre management routes to it, wherever the
    cycle's scope lies: a cycle over the party province also holds state-track units)."""

    def may(user: User, cycle: Cycle) -> bool:
        return is_superuser(user) or bool(role_paths(user, roles))

    return may
