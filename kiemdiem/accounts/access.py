"""Access helpers: who may see which organization and person (rights follow the tree).

Views call these and raise PermissionDenied; templates never decide access on their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from kiemdiem.accounts.models import SCOPE_ROLES, Role, RoleAssignment
from kiemdiem.orgs.models import Organization, Person

User = AbstractBaseUser | AnonymousUser


def role_paths(user: User, roles: Iterable[str] = SCOPE_ROLES) -> list[str]:
    """Materialized paths of the subtrees where the user holds one of `roles`.

    The one place a right is read from the tree: pages ask it several times per request, so the
    answer is remembered on the request's user object (one query per role set and request).
    """
    if user is None or not user.is_authenticated:
        return []
    key = frozenset(roles)
    memo: dict[frozenset[str], list[str]] = user.__dict__.setdefault("_role_paths", {})
    if key not in memo:
        rows = RoleAssignment.objects.filter(user=user, role__in=key).values_list(
            "organization__path", flat=True
        )
        memo[key] = sorted(set(rows))
    return memo[key]


def scope_paths(user: User) -> list[str]:
    """Materialized paths of the subtrees where the user may see people."""
    return role_paths(user, SCOPE_ROLES)


def under_any(paths: Iterable[str], field: str = "path") -> Q:
    """Rows whose `field` (a tree path, e.g. "organization__path") lies in one of the subtrees;
    matches nothing when there are none."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__under": path})
    return q


def covers(paths: Iterable[str], org: Organization) -> bool:
    return any(org.path.startswith(p) for p in paths)


def is_admin(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (
            getattr(user, "is_superuser", False)
            or RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()
        )
    )


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def can_view_org_people(user: User, org: Organization) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    if covers(scope_paths(user), org):
        return True
    # A staff member sees the colleagues of the units they work in.
    person = getattr(user, "person", None) if user.is_authenticated else None
    return bool(
        person is not None
        and person.positions.filter(organization=org, end_date__isnull=True).exists()
    )


def org_for_user(user: User, pk: int) -> Organization:
    """The organization page: the tree itself is visible to every signed-in user."""
    if not user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(Organization, pk=pk)


def visible_people_q(user: User) -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    paths = scope_paths(user)
    q = under_any(paths, "positions__organization__path") | under_any(paths, "party__cell__path")
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None:
        q |= Q(pk=person.pk)
        own_orgs = list(
            person.positions.filter(end_date__isnull=True).values_list("organization_id", flat=True)
        )
        q |= Q(positions__organization_id__in=own_orgs, positions__end_date__isnull=True)
    return q


def person_for_user(user: User, pk: int) -> Person:
    if not user.is_authenticated:
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk)
    if getattr(user, "is_superuser", False):
        return person
    if not Person.objects.filter(visible_people_q(user), pk=pk).exists():
        raise PermissionDenied
    return person
