"""Who may see and who keeps the records of which organizations, people and background jobs.

Rights follow the tree: a role held at an organization reaches its subtree
(`kiemdiem.accounts.access.role_paths` + `kiemdiem.orgs.tree`). The named role sets are those
of `kiemdiem.accounts.models`: `SCOPE_ROLES` see the people of their subtree, `RECORD_ROLES`
keep its records (the tree, people, posts, party membership), `JOB_VIEWER_ROLES` see the jobs
started for it.

Views use the `*_for_user` helpers (404 for a missing row, PermissionDenied otherwise); the
services call the `require_*` and `scope_errors` checks for every object they are handed, so a
page, a command or an import that forgets a check still cannot write outside its scope.
`actor=None` in a service is the system itself (a command run on the server) and passes.

The "head of" rule (who drafts a collective's report) is here too, once: `headed_org_ids`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User, is_authenticated, is_superuser, role_paths
from kiemdiem.accounts.models import (
    HEAD_ROLES,
    JOB_VIEWER_ROLES,
    RECORD_ROLES,
    SCOPE_ROLES,
    RoleAssignment,
)
from kiemdiem.core.models import Job
from kiemdiem.orgs.models import Organization, Person, Position
from kiemdiem.orgs.tree import covers, under_any

# --- the tree ---------------------------------------------------------------------------------


def in_scope(user: User, roles: Iterable[str], org: Organization) -> bool:
    """The user holds one of `roles` over `org` (a superuser holds every role everywhere)."""
    return is_superuser(user) or covers(role_paths(user, roles), org)


def scope_q(user: User, roles: Iterable[str], field: str = "path") -> Q:
    """Rows whose tree path (`field`) lies where the user holds one of `roles`."""
    if is_superuser(user):
        return Q()
    return under_any(role_paths(user, roles), field)


def keeps_records_of(user: User, org: Organization) -> bool:
    return in_scope(user, RECORD_ROLES, org)


def keeps_records(user: User) -> bool:
    """The user keeps the records of some subtree (the pages offer them the forms)."""
    return is_superuser(user) or bool(role_paths(user, RECORD_ROLES))


def record_orgs(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_q(user, RECORD_ROLES))


def can_manage_person(user: User, person: Person) -> bool:
    """Record keepers over one of the person's current posts or their party cell."""
    if is_superuser(user):
        return True
    paths = role_paths(user, RECORD_ROLES)
    if not paths:
        return False
    current = Q(positions__end_date__isnull=True) & under_any(
        paths, "positions__organization__path"
    )
    return Person.objects.filter(
        current | under_any(paths, "party__cell__path"), pk=person.pk
    ).exists()


def can_view_org_people(user: User, org: Organization) -> bool:
    if in_scope(user, SCOPE_ROLES, org):
        return True
    # A staff member sees the colleagues of the units they work in.
    person = getattr(user, "person", None) if is_authenticated(user) else None
    return bool(
        person is not None
        and person.positions.filter(organization=org, end_date__isnull=True).exists()
    )


def visible_people_q(user: User) -> Q:
    if is_superuser(user):
        return Q()
    paths = role_paths(user, SCOPE_ROLES)
    q = under_any(paths, "positions__organization__path") | under_any(paths, "party__cell__path")
    person = getattr(user, "person", None) if is_authenticated(user) else None
    if person is not None:
        q |= Q(pk=person.pk)
        own_orgs = list(
            person.positions.filter(end_date__isnull=True).values_list("organization_id", flat=True)
        )
        q |= Q(positions__organization_id__in=own_orgs, positions__end_date__isnull=True)
    return q


# --- objects named by a request (views) -------------------------------------------------------


def org_for_user(user: User, pk: int) -> Organization:
    """The organization page: the tree itself is visible to every signed-in user."""
    if not is_authenticated(user):
        raise PermissionDenied
    return get_object_or_404(Organization, pk=pk)


def person_for_user(user: User, pk: int) -> Person:
    if not is_authenticated(user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk)
    if is_superuser(user) or Person.objects.filter(visible_people_q(user), pk=pk).exists():
        return person
    raise PermissionDenied


def org_for_record_keeper(user: User, pk: int) -> Organization:
    org = org_for_user(user, pk)
    if not keeps_records_of(user, org):
        raise PermissionDenied
    return org


def person_for_record_keeper(user: User, pk: int) -> Person:
    person = person_for_user(user, pk)
    if not can_manage_person(user, person):
        raise PermissionDenied
    return person


# --- checks inside the services --------------------------------------------------------------


def require_records_of(actor: User, org: Organization) -> None:
    """The organization a service acts on (the page's subject) is in the actor's records."""
    if actor is not None and not keeps_records_of(actor, org):
        raise PermissionDenied(_("Bạn không có quyền quản lý “%(name)s”.") % {"name": org.name})


def require_person_records(actor: User, person: Person) -> None:
    if actor is not None and not can_manage_person(actor, person):
        raise PermissionDenied(
            _("Bạn không có quyền quản lý hồ sơ của %(name)s.") % {"name": person.full_name}
        )


def require_some_records(actor: User) -> None:
    if actor is not None and not keeps_records(actor):
        raise PermissionDenied(_("Bạn không có quyền quản lý hồ sơ tổ chức, cán bộ."))


def scope_errors(actor: User, **orgs: Organization | None) -> dict[str, str]:
    """For each organization a form accepted (by field name), the refusal when it lies outside
    the actor's records: shown next to the field, nothing written."""
    if actor is None:
        return {}
    return {
        name: _("Bạn không có quyền quản lý “%(name)s”.") % {"name": org.name}
        for name, org in orgs.items()
        if org is not None and not keeps_records_of(actor, org)
    }


def root_errors(actor: User, parent: Organization | None, field: str = "parent") -> dict[str, str]:
    """A root of the tree is created or reached only by a superuser (or the system)."""
    if parent is None and actor is not None and not is_superuser(actor):
        return {
            field: _("Nhập mã đơn vị cấp trên: chỉ quản trị hệ thống mới tạo được gốc của cây.")
        }
    return {}


# --- background jobs --------------------------------------------------------------------------


def can_view_job(user: User, job: Job) -> bool:
    """The user who started it, a superuser, or an administrator over the organization it was
    started for (a job for no organization — province-wide maintenance — only the first two)."""
    if not is_authenticated(user):
        return False
    if is_superuser(user) or (job.created_by_id is not None and job.created_by_id == user.pk):
        return True
    org = job.organization
    return org is not None and covers(role_paths(user, JOB_VIEWER_ROLES), org)


def job_for_user(user: User, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("organization"), pk=pk)
    if not can_view_job(user, job):
        raise PermissionDenied
    return job


# --- heads of collectives ----------------------------------------------------------------------


def headed_org_ids(user: User) -> frozenset[int]:
    """The organizations the user heads: a current head post there, or a head role
    (`HEAD_ROLES`) assigned at exactly that organization — and the leadership collectives of
    those organizations, whose report their head drafts. Remembered on the request's user."""
    if not is_authenticated(user):
        return frozenset()
    memo = user.__dict__.get("_headed_org_ids")
    if memo is None:
        ids = set(
            RoleAssignment.objects.filter(user=user, role__in=HEAD_ROLES).values_list(
                "organization_id", flat=True
            )
        )
        person_id = getattr(getattr(user, "person", None), "pk", None)
        if person_id is not None:
            ids |= set(
                Position.objects.filter(
                    person_id=person_id, is_head=True, end_date__isnull=True
                ).values_list("organization_id", flat=True)
            )
        ids |= set(Organization.objects.filter(leads_id__in=ids).values_list("id", flat=True))
        memo = user.__dict__["_headed_org_ids"] = frozenset(ids)
    return memo


def is_head_of(user: User, org: Organization) -> bool:
    """Head of `org` (a leadership collective: head of the organization it leads)."""
    ids = headed_org_ids(user)
    return org.pk in ids or (org.leads_id is not None and org.leads_id in ids)
