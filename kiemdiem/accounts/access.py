"""Who holds which role where: the one place a right is read from the role assignments.

The tree side of a right (does this subtree hold that organization?) is `kiemdiem.orgs.tree`;
the rights of each area are in that area's `access` module, built from `role_paths` and the
named role sets of `kiemdiem.accounts.models`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kiemdiem.accounts.models import SCOPE_ROLES, RoleAssignment

User = AbstractBaseUser | AnonymousUser | None


def is_authenticated(user: User) -> bool:
    return user is not None and bool(user.is_authenticated)


def is_superuser(user: User) -> bool:
    return is_authenticated(user) and bool(getattr(user, "is_superuser", False))


def role_paths(user: User, roles: Iterable[str] = SCOPE_ROLES) -> list[str]:
    """Materialized paths of the subtrees where the user holds one of `roles`.

    Pages ask it several times per request, so the answer is remembered on the request's user
    object (one query per role set and request).
    """
    if not is_authenticated(user):
        return []
    key = frozenset(roles)
    memo: dict[frozenset[str], list[str]] = user.__dict__.setdefault("_role_paths", {})
    if key not in memo:
        rows = RoleAssignment.objects.filter(user=user, role__in=key).values_list(
            "organization__path", flat=True
        )
        memo[key] = sorted(set(rows))
    return memo[key]


def roles_of(user: User) -> set[str]:
    if not is_authenticated(user):
        return set()
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
