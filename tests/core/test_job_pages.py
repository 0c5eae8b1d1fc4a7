"""The job page: who may see it, the progress bar, self-polling while the job runs."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import Job
from tests.conftest import make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def job(cast):
    return Job.objects.create(
        kind="open_cycle",
        title="Mở đợt “Kiểm điểm năm 2025”",
        created_by=cast.approver,
        organization=cast.department,
        status=Job.Status.RUNNING,
        done=30,
        total=120,
        message="Đang ghi phiếu đánh giá…",
    )


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_creator_sees_a_progress_bar_that_polls_every_second(client, cast, job):
    response = as_user(client, cast.approver).get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mở đợt “Kiểm điểm năm 2025”" in body
    assert "25%" in body and "(30/120)" in body and "Đang chạy" in body
    assert "Đang ghi phiếu đánh giá…" in body
    assert 'hx-trigger="every 1s"' in body
    assert f'href="{reverse("home")}"' in body  # the link back, without a `next`


def test_superusers_and_admins_over_its_organization_see_a_job(client, cast, job):
    superuser = get_user_model().objects.create_superuser(username="quantri", password="x-1!aA")
    admin = make_user("quantrivien", role=Role.ADMIN, org=cast.province)
    for user in (superuser, admin):
        assert as_user(client, user).get(reverse("job_detail", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("who", ["staff", "unit_head", "outsider"])
def test_other_users_may_not_see_a_job(client, cast, job, who):
    response = as_user(client, getattr(cast, who)).get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 403


def test_a_personnel_colleague_who_did_not_start_the_job_may_not_see_it(client, cast, job):
    colleague = make_user("tochuc2", role=Role.PERSONNEL, org=cast.department)
    assert as_user(client, colleague).get(reverse("job_detail", args=[job.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, job):
    response = client.get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_polling_request_gets_only_the_bar(client, cast, job):
    response = as_user(client, cast.approver).get(reverse("job_detail", args=[job.pk]), **HTMX)
    body = response.content.decode()
    assert body.strip().startswith('<div id="job-bar"')
    assert body.strip().endswith("</div>")
    assert "<html" not in body and "Quay lại" not in body and job.title not in body
    assert 'hx-trigger="every 1s"' in body and "(30/120)" in body


def test_polling_stops_once_the_job_has_succeeded(client, cast, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, done=120)
    client = as_user(client, cast.approver)
    body = client.get(reverse("job_detail", args=[job.pk]), **HTMX).content.decode()
    assert "hx-trigger" not in body
    assert "Hoàn thành" in body and "100%" in body and "(120/120)" in body


def test_a_failed_job_shows_its_error_in_red_and_stops_polling(client, cast, job):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, message="Lỗi: Đợt đã kết thúc, không mở lại được."
    )
    body = as_user(client, cast.approver).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert '<p class="error" role="alert">Lỗi: Đợt đã kết thúc, không mở lại được.</p>' in body
    assert "Thất bại" in body and "hx-trigger" not in body


def test_the_link_back_follows_next_but_never_leaves_the_site(client, cast, job):
    client = as_user(client, cast.approver)
    url = reverse("job_detail", args=[job.pk])
    assert (
        'href="/kiem-diem/dot/7/"'
        in client.get(url, {"next": "/kiem-diem/dot/7/"}).content.decode()
    )
    body = client.get(url, {"next": "https://evil.example/"}).content.decode()
    assert 'href="https://evil.example/"' not in body
    assert f'class="button" href="{reverse("home")}"' in body


def test_an_administrator_of_one_division_does_not_see_the_jobs_of_the_province(client, cast):
    """Issue 13: a job records who started it and for which organization; an administrator
    sees the jobs of their subtree only (the job of a cycle over the department is above a
    division's administrator)."""
    from kiemdiem.reviews.criteria.loader import criteria_load
    from kiemdiem.reviews.cycles.services import cycle_create

    criteria_load()
    cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=cast.department)
    client.force_login(cast.approver)
    client.post(reverse("cycle_open_start", args=[cycle.pk]))
    job = Job.objects.get()
    assert (job.created_by, job.organization) == (cast.approver, cast.department)
    division_admin = make_user("quantriphong", role=Role.ADMIN, org=cast.sibling)
    department_admin = make_user("quantriso", role=Role.ADMIN, org=cast.department)
    assert (
        as_user(client, division_admin).get(reverse("job_detail", args=[job.pk])).status_code == 403
    )
    assert (
        as_user(client, department_admin).get(reverse("job_detail", args=[job.pk])).status_code
        == 200
    )


def test_a_job_for_no_organization_is_seen_by_its_starter_and_superusers_only(client, cast, job):
    Job.objects.filter(pk=job.pk).update(organization=None)
    admin = make_user("quantrivien", role=Role.ADMIN, org=cast.province)
    assert as_user(client, admin).get(reverse("job_detail", args=[job.pk])).status_code == 403
    assert (
        as_user(client, cast.approver).get(reverse("job_detail", args=[job.pk])).status_code == 200
    )
