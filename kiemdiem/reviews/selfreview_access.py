"""Who may edit, view and return a self-review (and which ones a reviewer lists).

Permission checks only, read from posts and role assignments; the services in
`kiemdiem.reviews.selfreview` and the views call them. Kept apart so that the access rules
are in one short module.

* **Access** (`can_edit`, `can_view`, `can_return`): the person edits their own individual
  self-review; the head of an organization drafts its collective report (Mẫu 01); a scope role
  over the evaluation's organization reads it, and all of those but the inspection committee may
  return it. Nobody returns their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from kiemdiem.accounts.access import covers, role_paths, under_any
from kiemdiem.accounts.models import SCOPE_ROLES, Role, RoleAssignment
from kiemdiem.orgs.models import Organization, Position
from kiemdiem.reviews.models import Evaluation

User = AbstractBaseUser | AnonymousUser | None


def _authenticated(user: User) -> bool:
    return user is not None and user.is_authenticated


RETURN_ROLES = SCOPE_ROLES - {Role.INSPECTOR}
HEAD_ROLES = {Role.UNIT_HEAD, Role.CELL_SECRETARY}


def is_head_of(user: User, org: Organization) -> bool:
    """Head of `org`: a current head post there, or a head role assigned at exactly `org`.
    A leadership collective's report is drafted by the head of the organization it leads."""
    if not _authenticated(user):
        return False
    org_ids = [org.pk] + ([org.leads_id] if org.leads_id else [])
    person_id = getattr(getattr(user, "person", None), "pk", None)
    if (
        person_id is not None
        and Position.objects.filter(
            person_id=person_id, organization_id__in=org_ids, is_head=True, end_date__isnull=True
        ).exists()
    ):
        return True
    return RoleAssignment.objects.filter(
        user=user, role__in=HEAD_ROLES, organization_id__in=org_ids
    ).exists()


def can_edit(user: User, evaluation: Evaluation) -> bool:
    """The person themself; for a collective, the head of its organization (Mẫu 01)."""
    if not _authenticated(user):
        return False
    if evaluation.subject == Evaluation.Subject.INDIVIDUAL:
        return evaluation.person is not None and evaluation.person.user_id == user.pk
    return is_head_of(user, evaluation.organization)


def _in_scope(user: User, evaluation: Evaluation, roles: Iterable[str]) -> bool:
    return covers(role_paths(user, roles), evaluation.organization)


def can_return(user: User, evaluation: Evaluation) -> bool:
    """A role over the evaluation's organization (not the inspection committee), and not the
    author: nobody returns their own self-review."""
    if not _authenticated(user) or can_edit(user, evaluation):
        return False
    return bool(getattr(user, "is_superuser", False)) or _in_scope(user, evaluation, RETURN_ROLES)


def can_view(user: User, evaluation: Evaluation) -> bool:
    if not _authenticated(user):
        return False
    if getattr(user, "is_superuser", False) or can_edit(user, evaluation):
        return True
    return _in_scope(user, evaluation, SCOPE_ROLES)


def scope_q(user: User, prefix: str = "organization__") -> Q:
    """Evaluations whose organization is in the user's scope (for the reviewer list)."""
    return under_any(role_paths(user, SCOPE_ROLES), f"{prefix}path")
