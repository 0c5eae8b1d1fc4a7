"""Who may do what in the ledger — the one place the services and the views ask.

* The person themself registers tasks, records results and adds products.
* A manager — a unit head, or another role that manages people (`MANAGER_ROLES`) at an
  organization whose subtree holds the task's organization — assigns, approves, rejects,
  edits and cancels tasks and confirms objective causes ("the level that directly manages and
  assigns the work evaluates", 366-8). Nobody manages their own tasks: the unit head's own
  tasks are approved from the level above.
* Viewers: the person, managers, and the read-only scope roles (inspection committee).

Services raise PermissionDenied through the `require_*` helpers; views use the `can_*` ones
to decide what to show, never instead of the service's check.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from kiemdiem.accounts.access import covers, role_paths, under_any
from kiemdiem.accounts.models import SCOPE_ROLES, Role
from kiemdiem.ledger.models import Task
from kiemdiem.orgs.models import Organization, Person

User = AbstractBaseUser | AnonymousUser | None

# The inspection committee reads but does not manage work.
MANAGER_ROLES = SCOPE_ROLES - {Role.INSPECTOR}
VIEWER_ROLES = SCOPE_ROLES


def _authenticated(user: User) -> bool:
    return user is not None and user.is_authenticated


def person_of(user: User) -> Person | None:
    if not _authenticated(user):
        return None
    try:
        return user.person  # type: ignore[union-attr]
    except Person.DoesNotExist:
        return None


def is_owner(user: User, person: Person) -> bool:
    return _authenticated(user) and person.user_id is not None and person.user_id == user.pk


def manages_org(user: User, org: Organization) -> bool:
    if not _authenticated(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return covers(role_paths(user, MANAGER_ROLES), org)


def views_org(user: User, org: Organization) -> bool:
    if getattr(user, "is_superuser", False):
        return _authenticated(user)
    return covers(role_paths(user, VIEWER_ROLES), org)


def can_manage_task(user: User, task: Task) -> bool:
    return manages_org(user, task.organization) and not is_owner(user, task.person)


def can_manage_person(user: User, person: Person, org: Organization) -> bool:
    return manages_org(user, org) and not is_owner(user, person)


def can_view_task(user: User, task: Task) -> bool:
    return is_owner(user, task.person) or views_org(user, task.organization)


def managed_orgs_q(user: User, prefix: str = "") -> Q:
    """Rows whose organization (reached through `prefix`, e.g. "organization__") the user
    manages."""
    if getattr(user, "is_superuser", False):
        return Q()
    return under_any(role_paths(user, MANAGER_ROLES), f"{prefix}path")


def require_owner(user: User, person: Person) -> None:
    if not is_owner(user, person):
        raise PermissionDenied("Chỉ chính cá nhân mới được ghi sổ nhiệm vụ của mình.")


def require_manager(user: User, task: Task) -> None:
    if not can_manage_task(user, task):
        raise PermissionDenied("Chỉ người quản lý trực tiếp mới được thực hiện thao tác này.")


def require_manager_of(user: User, person: Person, org: Organization) -> None:
    if not can_manage_person(user, person, org):
        raise PermissionDenied("Chỉ người quản lý trực tiếp mới được giao nhiệm vụ.")


def require_viewer(user: User, task: Task) -> None:
    if not can_view_task(user, task):
        raise PermissionDenied
