"""The page of one background job: a progress bar that polls itself while the job runs.

Only the job's creator, a superuser or an admin sees it. htmx polls (`hx-trigger="every 1s"`)
get the bar alone (`core/job_detail.html#bar`); once the job has finished the returned bar has
no trigger, so polling stops by itself.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from kiemdiem.accounts.access import is_admin
from kiemdiem.core.models import Job


def _job_for_user(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    user = request.user
    if not (job.created_by_id == user.pk or is_admin(user)):
        raise PermissionDenied
    return job


def _back_url(request: HttpRequest) -> str:
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_user(request, pk)
    context = {
        "job": job,
        "polling": job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
        "back": _back_url(request),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "core/job_detail.html#bar", context)
    return render(request, "core/job_detail.html", context)
