"""Who may do what in the ledger — the one place the services and the views ask.

* The person themself registers tasks, records results and adds products.
* A work manager — a role of `WORK_MANAGER_ROLES` (every scope role but the inspection
  committee) at an organization whose subtree holds the task's organization — assigns,
  approves, rejects, edits and cancels tasks and confirms objective causes ("the level that
  directly manages and assigns the work evaluates", 366-8). Nobody manages their own tasks: the
  unit head's own tasks are approved from the level above.
* Viewers: the person, work managers, and the read-only scope roles (inspection committee) —
  `SCOPE_ROLES`. The same rule decides a unit's ledger page and every task list shown inside
  another page (a leader's self-review).

Services raise PermissionDenied through the `require_*` helpers; views use the `can_*` ones
to decide what to show, never instead of the service's check.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User, is_authenticated
from kiemdiem.accounts.models import SCOPE_ROLES, WORK_MANAGER_ROLES
from kiemdiem.ledger.models import Task
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization, Person


def person_of(user: User) -> Person | None:
    if not is_authenticated(user):
        return None
    try:
        return user.person  # type: ignore[union-attr]
    except Person.DoesNotExist:
        return None


def is_owner(user: User, person: Person) -> bool:
    return is_authenticated(user) and person.user_id is not None and person.user_id == user.pk


def manages_org(user: User, org: Organization) -> bool:
    return is_authenticated(user) and in_scope(user, WORK_MANAGER_ROLES, org)


def views_org(user: User, org: Organization) -> bool:
    """May see the unit's ledger: its page, and its task table wherever another page shows it."""
    return is_authenticated(user) and in_scope(user, SCOPE_ROLES, org)


def can_manage_task(user: User, task: Task) -> bool:
    return manages_org(user, task.organization) and not is_owner(user, task.person)


def can_manage_person(user: User, person: Person, org: Organization) -> bool:
    return manages_org(user, org) and not is_owner(user, person)


def can_view_task(user: User, task: Task) -> bool:
    return is_owner(user, task.person) or views_org(user, task.organization)


def require_owner(user: User, person: Person) -> None:
    if not is_owner(user, person):
        raise PermissionDenied(_("Chỉ chính cá nhân mới được ghi sổ nhiệm vụ của mình."))


def require_manager(user: User, task: Task) -> None:
    if not can_manage_task(user, task):
        raise PermissionDenied(_("Chỉ người quản lý trực tiếp mới được thực hiện thao tác này."))


def require_manager_of(user: User, person: Person, org: Organization) -> None:
    if not can_manage_person(user, person, org):
        raise PermissionDenied(_("Chỉ người quản lý trực tiếp mới được giao nhiệm vụ."))


def require_viewer(user: User, task: Task) -> None:
    if not can_view_task(user, task):
        raise PermissionDenied
