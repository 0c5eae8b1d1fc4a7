"""The read endpoints of decisions.md §4: thin, each an access check, a selector, a shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from kiemdiem.api import selectors
from kiemdiem.api.errors import not_found
from kiemdiem.api.http import api_view, bool_param, choice_param, json_response, org_param
from kiemdiem.api.pagination import paginate
from kiemdiem.api.serializers import (
    cycle_json,
    evaluations_json,
    event_json,
    role_json,
    statistics_json,
)
from kiemdiem.reviews.decisions.selectors import decidable_ids
from kiemdiem.reviews.models import Evaluation


@api_view("GET")
def me(request: HttpRequest) -> HttpResponse:
    roles = selectors.roles_of(request.user)
    return json_response(
        {"username": request.user.get_username(), "roles": [role_json(r) for r in roles]}
    )


@api_view(
    "GET",
    params=(
        "page",
        "page_size",
    ),
)
def cycle_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request, selectors.visible_cycles(request.user), lambda rows: [cycle_json(c) for c in rows]
    )
    return json_response(page)


@api_view(
    "GET", params=("page", "page_size", "organization", "track", "role", "state", "decidable")
)
def cycle_evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for_api(request.user, pk)
    qs = selectors.evaluations_for_api(request.user, cycle)
    org = org_param(request, "organization")
    if org is not None:
        qs = qs.filter(organization__path__under=org.path)
    for name, field, choices in (
        ("track", "track", Evaluation.Track),
        ("role", "role", Evaluation.Role),
        ("state", "status", Evaluation.Status),
    ):
        value = choice_param(request, name, choices)
        if value is not None:
            qs = qs.filter(**{field: value})
    if bool_param(request, "decidable"):
        qs = qs.filter(pk__in=sorted(decidable_ids(request.user, cycle)))
    page = paginate(request, qs, evaluations_json)
    return json_response(page)


@api_view("GET")
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(evaluations_json([selectors.evaluation_for_api(request.user, pk)])[0])


@api_view("GET")
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_for_api(request.user, pk)
    return json_response([event_json(e) for e in selectors.history(evaluation)])


@api_view("GET", params=("organization",))
def cycle_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for_api(request.user, pk)
    org = selectors.statistics_org(request.user, cycle, org_param(request, "organization"))
    return json_response(statistics_json(org, selectors.level_counts(cycle, org)))


@api_view("GET", "POST", "PUT", "PATCH", "DELETE", public=True)
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/ (also non-integer ids): the JSON 404."""
    raise not_found()
