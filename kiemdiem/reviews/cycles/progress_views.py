"""The cycle's progress pages: a table of sub-units with counts and drill-down, and the people
who have not submitted (filters, paging)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kiemdiem.accounts.models import CYCLE_VIEWER_ROLES
from kiemdiem.core.text import ascii_digits
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles import access
from kiemdiem.reviews.cycles.progress import people_waiting, unit_progress
from kiemdiem.reviews.evaluations.models import Evaluation

PAGE_SIZE = 50
#: Above this many evaluations the page asks to pick a unit before listing people: sorting a
#: whole province's 140,000 rows by unit and name for one page of 50 is not worth its cost.
LIST_LIMIT = 5000


def _unit_for(request: HttpRequest, cycle_scope: Organization) -> Organization:
    """The unit asked for (?don-vi=), inside the cycle's scope and the viewer's own scope."""
    raw = request.GET.get("don-vi", "")
    if not ascii_digits(raw):
        return cycle_scope
    org = get_object_or_404(Organization, pk=int(raw))
    if not org.path.startswith(cycle_scope.path) or not in_scope(
        request.user, CYCLE_VIEWER_ROLES, org
    ):
        raise PermissionDenied
    return org


@login_required
@require_GET
def cycle_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_viewer(request.user, pk)
    org = _unit_for(request, cycle.scope)
    total, units = unit_progress(cycle, org)
    status = request.GET.get("trang-thai", "")
    page = None
    if total.total <= LIST_LIMIT:
        page = Paginator(people_waiting(cycle, org, status=status), PAGE_SIZE).get_page(
            request.GET.get("trang")
        )
    crumbs = list(
        Organization.objects.filter(
            pk__in=[int(s) for s in org.path.split(".") if s],
            path__startswith=cycle.scope.path,
        ).order_by("path")
    )
    return render(
        request,
        "reviews/cycle_progress.html",
        {
            "cycle": cycle,
            "org": org,
            "crumbs": crumbs,
            "total": total,
            "units": units,
            "page": page,
            "status": status,
            "statuses": Evaluation.Status.choices,
            "today": timezone.localdate(),
            "list_limit": LIST_LIMIT,
        },
    )
