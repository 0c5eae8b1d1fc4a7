"""Who decides an evaluation (decisions.md §2): the `competent` role held at the organization
that the cadre-management data (diện quản lý) name as the subject's manager.

The manager is read through `kiemdiem.orgs.selectors.competent_level_for_*` (an explicit
`CadreManagement` row first, else derived from the tree); `competent_org_ids` does the same for
many evaluations in a bounded number of queries (the decision page and `decidable_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable

from kiemdiem.accounts.access import User, is_authenticated, is_superuser
from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.orgs.models import CadreManagement, Organization, Position
from kiemdiem.orgs.selectors import (
    competent_level_for_organization,
    competent_level_for_person,
    highest_position,
)
from kiemdiem.reviews.evaluations.models import Evaluation


def competent_org_id(evaluation: Evaluation) -> int | None:
    """The organization whose competent level decides `evaluation`."""
    if evaluation.subject == Evaluation.Subject.INDIVIDUAL and evaluation.person is not None:
        org = competent_level_for_person(evaluation.person)
    else:
        org = competent_level_for_organization(evaluation.organization)
    return org.pk if org is not None else None


def competent_org_ids(evaluations: Iterable[Evaluation]) -> dict[int, int | None]:
    """`competent_org_id` for many evaluations (about 5 queries whatever their number)."""
    evs = list(evaluations)
    person_ids = {e.person_id for e in evs if e.person_id}
    org_ids = {e.organization_id for e in evs if e.subject == Evaluation.Subject.COLLECTIVE}
    by_person = dict(
        CadreManagement.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "manager_id"
        )
    )
    by_org = dict(
        CadreManagement.objects.filter(organization_id__in=org_ids).values_list(
            "organization_id", "manager_id"
        )
    )
    posts: dict[int, list[Position]] = {}
    for post in Position.objects.filter(
        person_id__in=person_ids - by_person.keys(), end_date__isnull=True
    ).select_related("organization"):
        posts.setdefault(post.person_id, []).append(post)
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids - by_org.keys())}
    result: dict[int, int | None] = {}
    for e in evs:
        if e.subject == Evaluation.Subject.INDIVIDUAL:
            if e.person_id in by_person:
                result[e.pk] = by_person[e.person_id]
                continue
            top = highest_position(posts.get(e.person_id or 0, []))
            if top is None:
                result[e.pk] = None
            elif top.is_head or top.level > 0:
                result[e.pk] = top.organization.parent_id or top.organization_id
            else:
                result[e.pk] = top.organization_id
        elif e.organization_id in by_org:
            result[e.pk] = by_org[e.organization_id]
        else:
            org = orgs[e.organization_id]
            if org.is_leadership and org.leads_id is not None:
                manager = competent_level_for_organization(org)  # rare: one more lookup
                result[e.pk] = manager.pk if manager else None
            else:
                result[e.pk] = org.parent_id
    return result


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
