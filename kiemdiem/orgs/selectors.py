"""Reads of the organization model: querysets with the joins their pages need.

Every page's query count is bounded in tests and does not grow with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kiemdiem.core.text import fold
from kiemdiem.orgs.models import (
    CadreManagement,
    EmploymentCategory,
    Gender,
    Organization,
    PartyMembership,
    Person,
    Position,
)


def org_children(parent: Organization | None) -> QuerySet[Organization]:
    """Direct children with their own child and people counts, for one level of the tree."""
    has_children = Organization.objects.filter(parent=OuterRef("pk"))
    qs = (
        Organization.objects.filter(parent=parent)
        if parent
        else Organization.objects.filter(parent__isnull=True)
    )
    return qs.annotate(has_children=Exists(has_children)).order_by("position", "name_key", "id")


def org_search(query: str, *, limit: int = 50) -> QuerySet[Organization]:
    key = fold(query)
    if not key:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(search_key__contains=key) | Q(code__iexact=query.strip())
    ).order_by("depth", "name_key", "id")[:limit]


def org_ancestors(org: Organization) -> list[Organization]:
    ids = [int(seg) for seg in org.path.split(".") if seg][:-1]
    by_id = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def org_subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__under=org.path)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One line of a unit's people list: plain values, no model instances (2,000-row lists)."""

    person_id: int
    full_name: str
    title: str
    is_head: bool
    gender: str
    birth_year: int
    employment: str


def people_rows(positions: QuerySet[Position]) -> list[PersonRow]:
    # Labels are lazy translations: resolve each once, not once per row.
    genders = {k: str(v) for k, v in Gender.choices}
    employments = {k: str(v) for k, v in EmploymentCategory.choices}
    return [
        PersonRow(pid, name, title, head, genders[gender], born.year, employments[emp])
        for pid, name, title, head, gender, born, emp in positions.values_list(
            "person_id",
            "person__full_name",
            "title",
            "is_head",
            "person__gender",
            "person__date_of_birth",
            "person__employment",
        )
    ]


@dataclass(frozen=True)
class OrgPage:
    org: Organization
    ancestors: list[Organization]
    children: list[Organization]
    leadership: list[Organization]
    agencies: list[Organization]
    positions: list[PersonRow]
    party_members: int
    subtree_people: int


def org_page(org: Organization, *, query: str = "", with_people: bool = True) -> OrgPage:
    """Everything the organization page shows, in a fixed number of queries.

    `with_people=False` skips the people list (for a visitor who may not see it).
    """
    positions = Position.objects.filter(organization=org, end_date__isnull=True).order_by(
        "-is_head", "-level", "person__sort_key", "person_id"
    )
    key = fold(query)
    if key:
        positions = positions.filter(person__search_key__contains=key)
    subtree_people = (
        Position.objects.filter(organization__path__under=org.path, end_date__isnull=True)
        .values("person_id")
        .distinct()
        .count()
    )
    return OrgPage(
        org=org,
        ancestors=org_ancestors(org),
        children=list(
            org_children(org).annotate(
                people=Count("positions", filter=Q(positions__end_date__isnull=True))
            )
        ),
        leadership=list(Organization.objects.filter(leads=org).order_by("name_key")),
        agencies=list(Organization.objects.filter(party_organization=org).order_by("name_key")),
        positions=people_rows(positions) if with_people else [],
        party_members=PartyMembership.objects.filter(cell=org).count(),
        subtree_people=subtree_people,
    )


def people_search(query: str, *, visible: Q, limit: int = 50) -> QuerySet[Person]:
    key = fold(query)
    if not key:
        return Person.objects.none()
    return (
        Person.objects.filter(visible, search_key__contains=key)
        .distinct()
        .order_by("sort_key", "id")[:limit]
    )


def highest_position(positions: list[Position]) -> Position | None:
    """The person's highest current post: highest level, head before deputy, earliest start.

    Derived, never typed: CBCCVC are rated at the place of their highest position (366-6).
    """
    current = [p for p in positions if p.end_date is None]
    if not current:
        return None
    return sorted(current, key=lambda p: (-p.level, not p.is_head, p.start_date, p.pk))[0]


@dataclass(frozen=True)
class PersonPage:
    person: Person
    positions: list[Position]
    highest: Position | None
    party: PartyMembership | None
    manager: CadreManagement | None


def person_page(person: Person) -> PersonPage:
    positions = list(
        Position.objects.filter(person=person)
        .select_related("organization")
        .order_by("end_date", "-level", "start_date")
    )
    party = PartyMembership.objects.filter(person=person).select_related("cell").first()
    manager = CadreManagement.objects.filter(person=person).select_related("manager").first()
    return PersonPage(
        person=person,
        positions=positions,
        highest=highest_position(positions),
        party=party,
        manager=manager,
    )


def competent_level_for_person(person: Person) -> Organization | None:
    """Explicit cadre-management row first; otherwise the parent of the highest post's unit."""
    row = CadreManagement.objects.filter(person=person).select_related("manager").first()
    if row:
        return row.manager
    top = highest_position(
        list(Position.objects.filter(person=person).select_related("organization"))
    )
    if top is None:
        return None
    if top.is_head or top.level > 0:
        return top.organization.parent or top.organization
    return top.organization


def competent_level_for_organization(org: Organization) -> Organization | None:
    row = CadreManagement.objects.filter(organization=org).select_related("manager").first()
    if row:
        return row.manager
    if org.is_leadership and org.leads is not None:
        # A leadership collective is decided by the level that decides its organization.
        return competent_level_for_organization(org.leads)
    return org.parent


__all__ = [
    "OrgPage",
    "PersonPage",
    "competent_level_for_organization",
    "competent_level_for_person",
    "highest_position",
    "org_ancestors",
    "org_children",
    "org_page",
    "org_search",
    "org_subtree",
    "people_search",
    "person_page",
]
