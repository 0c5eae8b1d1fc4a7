"""Who sees which statistics: the cycle viewers (`CYCLE_VIEWER_ROLES`: record keepers, the
competent level, the inspection committee) over the organization asked for, for a cycle they
may look at. Anything else is a 404, so the page does not tell what exists outside the scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kiemdiem.accounts.access import User, is_superuser, role_paths
from kiemdiem.accounts.models import CYCLE_VIEWER_ROLES
from kiemdiem.core.text import ascii_digits
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.access import visible_q
from kiemdiem.reviews.cycles.models import Cycle


def may_see_statistics(user: User) -> bool:
    """The page's own test, without reading cycles: a superuser or a cycle viewer somewhere
    (one query, remembered on the request's user by `role_paths`)."""
    return is_superuser(user) or bool(role_paths(user, CYCLE_VIEWER_ROLES))


def visible_cycles(user: User) -> QuerySet[Cycle]:
    if not is_superuser(user) and not role_paths(user, CYCLE_VIEWER_ROLES):
        return Cycle.objects.none()
    return Cycle.objects.filter(visible_q(user)).select_related("scope")


def home_organizations(user: User, cycle: Cycle) -> list[Organization]:
    """Where the picker starts: the cycle's scope if covered, and the user's own role units."""
    paths = role_paths(user, CYCLE_VIEWER_ROLES)
    orgs = list(Organization.objects.filter(path__in=paths).order_by("path"))
    if in_scope(user, CYCLE_VIEWER_ROLES, cycle.scope) and cycle.scope not in orgs:
        orgs.insert(0, cycle.scope)
    return orgs


def resolve(user: User, cycle_id: str | None, org_id: str | None) -> tuple[Cycle, Organization]:
    cycles = visible_cycles(user)
    cycle = cycles.filter(pk=cycle_id).first() if _int(cycle_id) else cycles.first()
    if cycle is None:
        raise Http404
    if _int(org_id):
        org = Organization.objects.filter(pk=org_id).first()
    else:
        starts = home_organizations(user, cycle)
        org = starts[0] if starts else None
    if org is None or not in_scope(user, CYCLE_VIEWER_ROLES, org):
        raise Http404
    return cycle, org


def _int(value: str | None) -> bool:
    return bool(value) and ascii_digits(str(value))
