"""Issue 12, beyond the floor: organizations and people, paginated and filtered; the record
keepers write them through `kiemdiem.api.records` (the pages' services).

Rights as on the pages (`kiemdiem.orgs.access`): the tree is visible to every signed-in user;
a person to the scope roles over one of their posts or their party cell, to their colleagues and
to themself (`visible_people_q`), anyone else answers 404. Identity numbers, birth dates and
contact details stay out of the API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse

from kiemdiem.api import records
from kiemdiem.api.http import api_view, choice_param, json_response, object_or_404, org_param
from kiemdiem.api.pagination import paginate
from kiemdiem.api.serializers import org_ref
from kiemdiem.core.text import fold
from kiemdiem.orgs.access import visible_people_q
from kiemdiem.orgs.models import Organization, OrgKind, Person, Position


def org_json(org: Organization) -> dict[str, Any]:
    return {
        "id": org.pk,
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent": org.parent_id,
        "party_organization": org.party_organization_id,
        "leads": org.leads_id,
        "is_active": org.is_active,
    }


def person_json(person: Person) -> dict[str, Any]:
    # A missing reverse one-to-one raises an AttributeError subclass: getattr answers None.
    party = getattr(person, "party", None)
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "gender": person.gender,
        "employment": person.employment,
        "positions": [
            {
                "organization": org_ref(p.organization),
                "title": p.title,
                "is_head": p.is_head,
                "start_date": p.start_date.isoformat(),
            }
            for p in person.current_positions
        ],
        "party_cell": org_ref(party.cell) if party is not None else None,
        # The person page's concurrency guard: send it back with a PATCH.
        "version": person.updated_at.isoformat(),
    }


def _people(user: Any) -> QuerySet[Person]:
    current = Position.objects.filter(end_date__isnull=True).select_related("organization")
    return (
        Person.objects.filter(visible_people_q(user))
        .distinct()
        .select_related("party__cell")
        .prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
        .order_by("sort_key", "id")
    )


@api_view("GET", "POST", params=("page", "page_size", "parent", "under", "kind", "q"))
def organization_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return json_response(org_json(records.organization_create(request)), status=201)
    qs = Organization.objects.order_by("path")
    parent = org_param(request, "parent")
    if parent is not None:
        qs = qs.filter(parent=parent)
    under = org_param(request, "under")
    if under is not None:
        qs = qs.filter(path__under=under.path)
    kind = choice_param(request, "kind", OrgKind)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if request.GET.get("q"):
        qs = qs.filter(search_key__contains=fold(request.GET["q"]))
    return json_response(paginate(request, qs, lambda rows: [org_json(o) for o in rows]))


@api_view("GET", "PATCH")
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = object_or_404(Organization.objects.all(), pk)
    if request.method == "PATCH":
        org = records.organization_update(request, org)
    return json_response(org_json(org))


@api_view("GET", "POST", params=("page", "page_size", "organization", "q"))
def person_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        person = records.person_create(request)
        person.current_positions = []  # a new person has no post yet
        return json_response(person_json(person), status=201)
    qs = _people(request.user)
    org = org_param(request, "organization")
    if org is not None:
        qs = qs.filter(
            positions__end_date__isnull=True, positions__organization__path__under=org.path
        )
    if request.GET.get("q"):
        qs = qs.filter(search_key__contains=fold(request.GET["q"]))
    return json_response(paginate(request, qs, lambda rows: [person_json(p) for p in rows]))


@api_view("GET", "PATCH")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = object_or_404(_people(request.user), pk)
    if request.method == "PATCH":
        records.person_update(request, person)
        person = _people(request.user).get(pk=pk)
    return json_response(person_json(person))
