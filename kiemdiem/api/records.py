"""Writing organizations and people through the API (issue 12): the record keepers' acts, through
the same services as the organization and person pages (`orgs.services`, `orgs.people`), which
check the rights for every object named (403 `forbidden` otherwise).

A person's `version` is the time of their last change, as on the person page: a PATCH carrying
another answers 409 `conflict`. The organization pages have no such guard, nor has this.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kiemdiem.api.body import Body, max_length
from kiemdiem.orgs import people, services
from kiemdiem.orgs.models import EmploymentCategory, Gender, Organization, OrgKind, Person

ORG_FIELDS = ("code", "name", "short_name", "kind", "parent", "party_organization", "leads")
ORG_UPDATE_FIELDS = (
    "code",
    "name",
    "short_name",
    "party_organization",
    "position",
    "is_active",
    "parent",
    "reason",
)
PERSON_FIELDS = ("full_name", "gender", "date_of_birth", "identity_number", "employment")
CONTACT = ("email", "phone")


def organization_create(request: HttpRequest) -> Organization:
    body = Body(request, (*ORG_FIELDS, "position"))
    orgs = Organization.objects.all()
    values = {
        "code": body.text("code", required=True, limit=max_length(Organization, "code")),
        "name": body.text("name", required=True, limit=max_length(Organization, "name")),
        "short_name": body.text("short_name", limit=max_length(Organization, "short_name")),
        "kind": body.choice("kind", OrgKind.values, required=True),
        "parent": body.ref("parent", orgs),
        "party_organization": body.ref("party_organization", orgs),
        "leads": body.ref("leads", orgs),
        "position": body.integer("position", maximum=2**31 - 1) or 0,
    }
    body.check()
    return services.organization_create(actor=request.user, **values)


def organization_update(request: HttpRequest, org: Organization) -> Organization:
    """PATCH: the fields sent change, the others stay; `parent` moves it in the tree."""
    body = Body(request, ORG_UPDATE_FIELDS)
    orgs = Organization.objects.all()
    values: dict[str, Any] = {
        "code": body.text("code", limit=max_length(Organization, "code")) or org.code,
        "name": body.text("name", limit=max_length(Organization, "name")) or org.name,
        "short_name": (
            body.text("short_name", limit=max_length(Organization, "short_name"))
            if body.has("short_name")
            else org.short_name
        ),
        "party_organization": (
            body.ref("party_organization", orgs, nullable=True)
            if body.has("party_organization")
            else org.party_organization
        ),
        "position": (
            body.integer("position", maximum=2**31 - 1) if body.has("position") else org.position
        )
        or 0,
        "is_active": body.boolean("is_active", org.is_active),
        "reason": body.text("reason"),
    }
    moving = body.has("parent")
    parent = body.ref("parent", orgs, nullable=True) if moving else None
    body.check()
    org = services.organization_update(actor=request.user, organization=org, **values)
    if moving and parent != org.parent:
        org = services.organization_move(
            actor=request.user, organization=org, new_parent=parent, reason=values["reason"]
        )
    return org


def person_create(request: HttpRequest) -> Person:
    body = Body(request, (*PERSON_FIELDS, *CONTACT))
    values = _person_values(body, required=True)
    body.check()
    return people.person_create(actor=request.user, **values)


def _person_values(body: Body, *, required: bool) -> dict[str, Any]:
    values = {
        "full_name": body.text(
            "full_name", required=required, limit=max_length(Person, "full_name")
        ),
        "gender": body.choice("gender", Gender.values, required=required),
        "date_of_birth": body.date("date_of_birth", required=required),
        "identity_number": body.text(
            "identity_number", required=required, limit=max_length(Person, "identity_number")
        ),
        "employment": body.choice("employment", EmploymentCategory.values),
        "email": body.text("email", limit=max_length(Person, "email")),
        "phone": body.text("phone", limit=max_length(Person, "phone")),
    }
    if required:
        values["employment"] = values["employment"] or EmploymentCategory.NONE
        return values
    return {k: v for k, v in values.items() if body.has(k)}


def person_update(request: HttpRequest, person: Person) -> Person:
    body = Body(request, ("version", *PERSON_FIELDS, *CONTACT))
    version = body.text("version", required=True, limit=64)
    values = _person_values(body, required=False)
    body.check()
    return people.person_update(
        actor=request.user, person=person, expected_version=version, **values
    )
