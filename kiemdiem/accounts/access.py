"""Who holds which role where: the one place a right is read from the role assignments.

The tree side of a right (does this subtree hold that organization?) is `kiemdiem.orgs.tree`;
the rights of each area are in that area's `access` module, built from `role_paths` and the
named role sets of `kiemdiem.accounts.models`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kiemdiem.accounts.models import HEAD_ROLES, SCOPE_ROLES, RoleAssignment

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
        rows = set(
            RoleAssignment.objects.filter(user=user, role__in=key).values_list(
                "organization__path", flat=True
            )
        )
        if key & HEAD_ROLES:
            rows |= head_post_paths(user)
        memo[key] = sorted(rows)
    return memo[key]


def head_post_paths(user: User) -> frozenset[str]:
    """Where the user's person holds a current head post: the unit head (thủ trưởng) or the
    party-cell secretary (bí thư) acts in that role by position, without a separate grant
    (both roles sit in exactly the same role sets). `orgs` is above `accounts`, so the model is
    looked up by name. Remembered on the request's user."""
    memo = user.__dict__.get("_head_post_paths")
    if memo is None:
        position = apps.get_model("orgs", "Position")
        memo = user.__dict__["_head_post_paths"] = frozenset(
            position.objects.filter(
                person__user=user, is_head=True, end_date__isnull=True
            ).values_list("organization__path", flat=True)
        )
    return memo


def roles_of(user: User) -> set[str]:
    if not is_authenticated(user):
        return set()
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
