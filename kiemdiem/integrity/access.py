"""Who sees and checks integrity flags: the inspection committee and the personnel body over
their scope (and superusers). Evidence behind a flag is linked only where the viewer's own
rights reach (`kiemdiem.integrity.selectors.evidence_links`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kiemdiem.accounts.access import User, is_authenticated, is_superuser, role_paths
from kiemdiem.accounts.models import Role
from kiemdiem.core.text import ascii_digits
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle

INTEGRITY_ROLES = frozenset({Role.INSPECTOR, Role.PERSONNEL})


def can_view(user: User, org: Organization) -> bool:
    return is_authenticated(user) and in_scope(user, INTEGRITY_ROLES, org)


def has_any(user: User) -> bool:
    return is_superuser(user) or bool(role_paths(user, INTEGRITY_ROLES))


def visible_cycles(user: User) -> QuerySet[Cycle]:
    """Cycles whose scope covers, or lies under, one of the user's integrity units."""
    if is_superuser(user):
        return Cycle.objects.select_related("scope").order_by("-year", "-pk")
    paths = role_paths(user, INTEGRITY_ROLES)
    if not paths:
        return Cycle.objects.none()
    ids = [
        c.pk
        for c in Cycle.objects.select_related("scope").only("pk", "scope__path")
        if any(c.scope.path.startswith(p) or p.startswith(c.scope.path) for p in paths)
    ]
    return Cycle.objects.filter(pk__in=ids).select_related("scope").order_by("-year", "-pk")


def start_org(user: User, cycle: Cycle) -> Organization | None:
    """The cycle's scope if the user covers it, else the user's highest unit within it."""
    if can_view(user, cycle.scope):
        return cycle.scope
    paths = sorted(p for p in role_paths(user, INTEGRITY_ROLES) if p.startswith(cycle.scope.path))
    return Organization.objects.filter(path=paths[0]).first() if paths else None


def resolve(user: User, cycle_id: str | None, org_id: str | None) -> tuple[Cycle, Organization]:
    cycles = visible_cycles(user)
    cycle = cycles.filter(pk=cycle_id).first() if _int(cycle_id) else cycles.first()
    if cycle is None:
        raise Http404
    org = Organization.objects.filter(pk=org_id).first() if _int(org_id) else start_org(user, cycle)
    if org is None or not can_view(user, org):
        raise Http404
    return cycle, org


def _int(value: str | None) -> bool:
    return bool(value) and ascii_digits(str(value))
