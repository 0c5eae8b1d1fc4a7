"""Who decides an evaluation (decisions.md §2): the `competent` role held at the organization
that the cadre-management data (diện quản lý) name as the subject's manager.

The manager is read through `kiemdiem.orgs.selectors.competent_level_for_*` (an explicit
`CadreManagement` row first, else derived from the tree); `competent_org_ids` does the same for
many evaluations in a bounded number of queries (the decision page and `decidable_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import QuerySet

from kiemdiem.accounts.access import User, is_authenticated, is_superuser
from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.orgs.models import CadreManagement, Organization, Position
from kiemdiem.orgs.selectors import competent_level_for_organization, competent_level_for_person
from kiemdiem.reviews.evaluations.models import Evaluation


def competent_org_id(evaluation: Evaluation) -> int | None:
    """The organization whose competent level decides `evaluation`."""
    if evaluation.subject == Evaluation.Subject.INDIVIDUAL and evaluation.person is not None:
        org = competent_level_for_person(evaluation.person)
    else:
        org = competent_level_for_organization(evaluation.organization)
    return org.pk if org is not None else None


class Subject(NamedTuple):
    """What `competent_org_ids` reads of an evaluation (pages pass these, not model rows)."""

    pk: int
    subject: str
    person_id: int | None
    organization_id: int


def competent_org_ids(
    evaluations: Iterable[Evaluation | Subject], within: QuerySet[Evaluation] | None = None
) -> dict[int, int | None]:
    """`competent_org_id` for many evaluations (about 5 queries whatever their number).

    `within`, a queryset holding them all, lets the queries join instead of listing thousands
    of ids (the decision page)."""
    evs = list(evaluations)
    person_ids: Any = {e.person_id for e in evs if e.person_id}
    org_ids = {e.organization_id for e in evs if e.subject == Evaluation.Subject.COLLECTIVE}
    if within is not None:
        person_ids = within.filter(person__isnull=False).values("person_id")
    by_person = dict(
        CadreManagement.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "manager_id"
        )
    )
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids)}
    # A leadership collective is decided by the level that decides the organization it leads.
    leads = {o.leads_id for o in orgs.values() if o.is_leadership and o.leads_id} - orgs.keys()
    orgs.update({o.pk: o for o in Organization.objects.filter(pk__in=leads)})
    by_org = dict(
        CadreManagement.objects.filter(organization_id__in=orgs.keys()).values_list(
            "organization_id", "manager_id"
        )
    )
    # The highest current post per person (as `highest_position`), read as plain values.
    top: dict[int, tuple[Any, ...]] = {}
    for row in Position.objects.filter(person_id__in=person_ids, end_date__isnull=True).values_list(
        "person_id",
        "level",
        "is_head",
        "start_date",
        "id",
        "organization_id",
        "organization__parent_id",
    ):
        key = (-row[1], not row[2], row[3], row[4])
        if row[0] not in top or key < top[row[0]][0]:
            top[row[0]] = (key, row)
    result: dict[int, int | None] = {}
    for e in evs:
        if e.subject == Evaluation.Subject.INDIVIDUAL:
            if e.person_id in by_person:  # an explicit cadre-management row wins
                result[e.pk] = by_person[e.person_id]
                continue
            best = top.get(e.person_id or 0)
            if best is None:
                result[e.pk] = None
            else:
                _p, level, is_head, _s, _id, org_id, parent_id = best[1]
                result[e.pk] = (parent_id or org_id) if is_head or level > 0 else org_id
        else:
            result[e.pk] = _org_manager(e.organization_id, orgs, by_org)
    return result


def _org_manager(
    pk: int, orgs: dict[int, Organization], by_org: dict[int, int], depth: int = 0
) -> int | None:
    """As `competent_level_for_organization`, from rows already loaded."""
    if pk in by_org:
        return by_org[pk]
    org = orgs.get(pk)
    if org is None:
        return None
    if org.is_leadership and org.leads_id is not None and depth < 5:
        if org.leads_id in orgs or org.leads_id in by_org:
            return _org_manager(org.leads_id, orgs, by_org, depth + 1)
        manager = competent_level_for_organization(org)  # not loaded: ask the selector
        return manager.pk if manager else None
    return org.parent_id


def competent_role_org_ids(user: User) -> set[int]:
    """The organizations where the user holds the `competent` role."""
    if not is_authenticated(user):
        return set()
    return set(
        RoleAssignment.objects.filter(user=user, role=Role.COMPETENT).values_list(
            "organization_id", flat=True
        )
    )


def can_decide(actor: User, evaluation: Evaluation) -> bool:
    """The actor holds the competent role at the organization that manages the subject."""
    if is_superuser(actor):
        return True
    if not is_authenticated(actor):
        return False
    return competent_org_id(evaluation) in competent_role_org_ids(actor)
