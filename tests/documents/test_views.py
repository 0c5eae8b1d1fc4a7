"""/tai-lieu/: a form's download within the evaluation's rights; the bulk export started,
joined by a second request, watched and downloaded through an access check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kiemdiem.core.models import Job
from kiemdiem.documents import services, storage
from kiemdiem.reviews.models import Evaluation
from tests.documents.support import docx_text, with_reviews, zip_names
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _exports(settings, tmp_path):
    settings.DOCUMENT_EXPORT_DIR = str(tmp_path / "exports")


def test_the_author_downloads_the_docx_of_their_form_and_an_outsider_cannot(client, cast):
    setup = with_reviews(cast)
    url = reverse("documents_form", args=[setup.party.pk, "docx"])
    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="P-ANH-hd43-mau2b.docx"'
    assert "Nguyễn Thị Ánh" in docx_text(response.content)
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 403


def test_the_self_review_page_links_to_its_documents(client, cast):
    setup = with_reviews(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("selfreview_form", args=[setup.party.pk])).content.decode()
    assert reverse("documents_form", args=[setup.party.pk, "pdf"]) in page


def test_an_unknown_format_is_not_found(client, cast):
    setup = with_reviews(cast)
    client.force_login(cast.staff)
    assert client.get(f"/tai-lieu/phieu/{setup.party.pk}/odt/").status_code == 404


def test_a_second_request_for_a_running_export_joins_it(cast):
    setup = with_reviews(cast)
    first = services.export_start(
        actor=cast.approver, cycle=setup.cycle, organization=cast.department, fmt="docx"
    )
    again = services.export_start(
        actor=cast.approver, cycle=setup.cycle, organization=cast.department, fmt="docx"
    )
    other = services.export_start(
        actor=cast.approver, cycle=setup.cycle, organization=cast.department, fmt="pdf"
    )
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Job.objects.filter(kind__startswith="documents:").count() == 2


def test_staff_may_not_export_a_unit(cast):
    setup = with_reviews(cast)
    with pytest.raises(services.PermissionDenied):
        services.export_start(
            actor=cast.staff, cycle=setup.cycle, organization=cast.division, fmt="docx"
        )


@pytest.mark.django_db(transaction=True)
def test_export_runs_shows_progress_and_downloads_then_expires(client, cast, settings):
    settings.TASKS = IMMEDIATE
    setup = with_reviews(cast)
    client.force_login(cast.approver)
    assert client.get(reverse("documents_export")).status_code == 200
    response = client.post(
        reverse("documents_export"),
        {"cycle": setup.cycle.pk, "organization": cast.department.pk, "fmt": "docx"},
    )
    job = Job.objects.get(kind__startswith="documents:")
    assert response.url == reverse("documents_export_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.done == job.total > 0
    page = client.get(response.url).content.decode()
    download = reverse("documents_export_download", args=[job.pk])
    assert download in page
    archive = b"".join(client.get(download).streaming_content)
    assert "PCC/S-ANH-nd335-phieu.docx" in zip_names(archive)

    client.force_login(cast.outsider)
    assert client.get(download).status_code == 403
    assert client.get(response.url).status_code == 403

    client.force_login(cast.approver)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    assert client.get(download).status_code == 404
    assert storage.prune() == 0  # the file itself is recent; pruning goes by the file's age
    assert Evaluation.objects.filter(cycle=setup.cycle).count() == 4


def test_the_export_page_speaks_english_when_asked(client, cast):
    client.force_login(cast.approver)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("documents_export")).content.decode()
    assert "Export forms" in html and "Start the export" in html and "DOCX (editable)" in html
    assert "Bắt đầu xuất" not in html


def test_a_refused_export_names_the_problem_in_english(cast):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    setup = with_reviews(cast)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.export_start(
            actor=cast.approver, cycle=setup.cycle, organization=cast.sibling, fmt="docx"
        )
    assert caught.value.messages == [
        f"Cycle “{setup.cycle.name}” has no evaluation under “Phòng Tổ chức biên chế”."
    ]


def test_the_export_page_offers_a_unit_named_in_the_link_within_scope_only(client, cast):
    setup = with_reviews(cast)
    client.force_login(cast.approver)
    url = reverse("documents_export")
    page = client.get(f"{url}?to_chuc={cast.division.pk}&dot={setup.cycle.pk}").content.decode()
    assert f'<option value="{cast.division.pk}" selected>PCC — Phòng Công chức</option>' in page
    assert f'<option value="{setup.cycle.pk}" selected>' in page
    page = client.get(f"{url}?to_chuc={cast.cell.pk}").content.decode()
    assert "Chi bộ Phòng Công chức" not in page


@pytest.mark.django_db(transaction=True)
def test_the_zip_is_kept_for_the_configured_hours_and_pruned_after(client, cast, settings):
    import os
    import time

    settings.TASKS = IMMEDIATE
    settings.DOCUMENT_EXPORT_HOURS = 2
    setup = with_reviews(cast)
    job = services.export_start(
        actor=cast.approver, cycle=setup.cycle, organization=cast.department, fmt="docx"
    )
    job.refresh_from_db()
    download = reverse("documents_export_download", args=[job.pk])
    client.force_login(cast.approver)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=1))
    assert client.get(download).status_code == 200  # within 2 hours
    page = client.get(reverse("documents_export_detail", args=[job.pk])).content.decode()
    assert "Tệp được lưu 2 giờ." in page
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=3))
    assert client.get(download).status_code == 404  # past 2 hours, though 24 is the default
    path = storage.export_path(job.pk)
    old = time.time() - 3 * 3600
    os.utime(path, (old, old))
    assert storage.prune() == 1 and not path.exists()
