"""The page of one background job: a progress bar that polls itself while the job runs.

It lives here rather than in `core` (which holds the job machinery and imports no other app)
because who may watch a job follows the tree: the user who started it, a superuser, or an
administrator over the organization it works for (`kiemdiem.orgs.access.can_view_job`).

htmx polls (`hx-trigger="every 1s"`) get the bar alone (`core/job_detail.html#bar`); once the
job has finished the returned bar has no trigger, so polling stops by itself.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from kiemdiem.core.models import Job
from kiemdiem.orgs.access import job_for_user


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
    job = job_for_user(request.user, pk)
    context = {
        "job": job,
        "polling": job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
        "back": _back_url(request),
    }
    if request.htmx:
        return render(request, "core/job_detail.html#bar", context)
    return render(request, "core/job_detail.html", context)
