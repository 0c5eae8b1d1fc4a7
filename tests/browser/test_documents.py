"""Issue 11 end to end in a real browser: the statistics dashboard, a drill-down, the XLSX of
the unit, a form's DOCX, then the unit's bulk export started and watched until its ZIP is ready."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import Job
from kiemdiem.reviews.evaluations.models import Evaluation
from tests.browser.test_shell import browser, sign_in  # noqa: F401 (fixture)
from tests.conftest import make_user
from tests.documents.support import docx_text
from tests.stats.support import make_generated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _exports(settings, tmp_path):
    settings.DOCUMENT_EXPORT_DIR = str(tmp_path / "exports")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_dashboard_drill_down_xlsx_docx_and_a_watched_bulk_export(
    browser,  # noqa: F811
    live_server,
    cast,
    tmp_path,
):
    generated = make_generated(cast)
    make_user("tinhuy", role=Role.PERSONNEL, org=cast.province_party)
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "tinhuy")

    page.goto(f"{live_server.url}/thong-ke/")
    expect(page.locator(".lead")).to_contain_text(cast.province_party.name)
    page.locator("a.drill", has_text=cast.department_party.name).click()
    page.locator("a.drill", has_text=cast.cell.name).click()
    expect(page.locator(".lead")).to_contain_text(cast.cell.name)

    with page.expect_download() as info:
        page.locator("#stats-xlsx").click()
    info.value.save_as(tmp_path / "thong-ke.xlsx")
    book = openpyxl.load_workbook(tmp_path / "thong-ke.xlsx")
    people = [r[0] for r in book["Cá nhân, tập thể"].iter_rows(min_row=4, values_only=True)]
    own = Evaluation.objects.filter(cycle=generated.cycle, organization=cast.cell).exclude(
        status="annulled"
    )
    assert len(people) == own.count()

    evaluation = own.exclude(person=None).select_related("person").order_by("pk").first()
    page.goto(f"{live_server.url}/kiem-diem/{evaluation.pk}/")
    with page.expect_download() as info:
        page.locator("#sr-documents a", has_text="DOCX").click()
    assert info.value.suggested_filename.startswith(evaluation.code)
    info.value.save_as(tmp_path / "phieu.docx")
    assert evaluation.person.full_name in docx_text((tmp_path / "phieu.docx").read_bytes())

    page.goto(f"{live_server.url}/tai-lieu/xuat/?to_chuc={cast.cell.pk}&dot={generated.cycle.pk}")
    page.get_by_role("button", name="Bắt đầu xuất").click()
    expect(page).to_have_url(re.compile(r"/tai-lieu/xuat/\d+/$"))
    job = Job.objects.get(kind__startswith="documents:")
    assert job.organization_id == cast.cell.pk
    # Queued: the page polls and shows the bar at 0 % with no download yet.
    expect(page.locator("#job-bar")).to_contain_text("0%")
    expect(page.locator("#export-download")).to_have_count(0)
    call_command("worker", batch=True, verbosity=0)  # the background worker runs the export
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.done == job.total > 0
    # The same page, without a reload, reaches 100 % and offers the ZIP.
    expect(page.locator("#job-bar")).to_contain_text("100%")
    with page.expect_download() as info:
        page.locator("#export-download").click()
    info.value.save_as(tmp_path / "xuat.zip")
    with zipfile.ZipFile(tmp_path / "xuat.zip") as archive:
        names = archive.namelist()
        form = next(n for n in names if n.startswith(f"{cast.cell.code}/{evaluation.code}-"))
        assert evaluation.person.full_name in docx_text(archive.read(form))
    assert any(n.endswith("/bien-ban-hop.docx") for n in names)
    assert len([n for n in names if "/" in n]) >= own.count()
