import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kiemdiem.core.models import Job
from kiemdiem.orgs.models import Person
from kiemdiem.roster import views
from kiemdiem.roster.tasks import roster_import_task
from tests.roster.helpers import PEOPLE_HEADER, POSITION_HEADER, write_xlsx

NEW = "001190000077"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads")},
    }
    settings.STORAGES = storages


def new_person_file(tmp_path, unit="PCC"):
    path = write_xlsx(
        tmp_path / "moi.xlsx",
        {
            "Cá nhân": [PEOPLE_HEADER, [NEW, "Phạm Thị Mới", "Nữ", "01/01/1990", "Công chức"]],
            "Chức vụ": [POSITION_HEADER, [NEW, unit, "Chuyên viên", "", "", "01/06/2025", ""]],
        },
    )
    return SimpleUploadedFile("moi.xlsx", path.read_bytes())


def test_the_personnel_body_previews_then_confirms_an_import_in_its_subtree(client, cast, tmp_path):
    client.force_login(cast.approver)
    page = client.post(reverse("roster:upload"), {"file": new_person_file(tmp_path)})
    assert page.status_code == 200
    assert "Cá nhân: tạo mới 1, cập nhật 0, không đổi 0." in page.content.decode()
    assert not Person.objects.filter(identity_number=NEW).exists()
    token = page.context["token"]
    done = client.post(reverse("roster:confirm"), {"token": token}, follow=True)
    assert "Cá nhân: tạo mới 1" in done.content.decode()
    person = Person.objects.get(identity_number=NEW)
    assert person.positions.get().organization == cast.division
    from kiemdiem.core.models import AuditEvent

    assert AuditEvent.objects.get(action="person.create", object_id=str(person.pk)).actor == (
        cast.approver
    )
    # The token is spent with its file: a second confirmation writes nothing more.
    again = client.post(reverse("roster:confirm"), {"token": token}, follow=True)
    assert "hết hạn hoặc không hợp lệ" in again.content.decode()


def test_a_unit_outside_the_subtree_is_listed_as_a_problem_and_nothing_written(
    client, cast, tmp_path
):
    client.force_login(cast.approver)
    page = client.post(reverse("roster:upload"), {"file": new_person_file(tmp_path, "UBND")})
    text = page.content.decode()
    assert "Trang “Chức vụ”, dòng 2, cột “Mã đơn vị”: Bạn không có quyền quản lý" in text
    assert "người mới phải có chức vụ hoặc đảng tịch ở đơn vị bạn quản lý" in text
    assert "token" not in page.context
    assert not Person.objects.filter(identity_number=NEW).exists()


def test_another_users_token_is_refused(client, cast, tmp_path):
    client.force_login(cast.approver)
    token = client.post(reverse("roster:upload"), {"file": new_person_file(tmp_path)}).context[
        "token"
    ]
    from tests.conftest import make_user

    other = make_user("tochuc2", role="personnel", org=cast.department)
    client.force_login(other)
    client.post(reverse("roster:confirm"), {"token": token})
    assert not Person.objects.filter(identity_number=NEW).exists()


@pytest.mark.parametrize("who", ["staff", "unit_head", "outsider"])
def test_only_record_keepers_reach_the_import_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("roster:upload")).status_code == 403


def test_the_template_download_is_an_xlsx_with_instructions(client, cast):
    client.force_login(cast.approver)
    response = client.get(reverse("roster:template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "Hướng dẫn"


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_and_imported_by_a_background_job(
    client, cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "LARGE_BYTES", 10)
    client.force_login(cast.approver)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("roster:upload"), {"file": new_person_file(tmp_path)})
    job = Job.objects.get(kind="roster_import")
    assert response.status_code == 302 and f"/cong-viec/{job.pk}/" in response["Location"]
    assert job.created_by == cast.approver
    name = next(iter((tmp_path / "uploads" / "roster").iterdir())).name
    roster_import_task.func(job.pk, f"roster/{name}", "moi.xlsx", cast.approver.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["counts"]["people"]["created"] == 1
    assert Person.objects.filter(identity_number=NEW).exists()


@pytest.mark.django_db(transaction=True)
def test_a_background_import_with_problems_fails_visibly_and_writes_nothing(cast, tmp_path):
    from django.core.files.storage import default_storage

    from kiemdiem.core.jobs import job_enqueue

    upload = new_person_file(tmp_path, unit="KHONGCO")
    name = default_storage.save("roster/x.xlsx", upload)
    job = job_enqueue(task=roster_import_task, kind="roster_import", title="t", actor=None)
    with pytest.raises(RuntimeError):
        roster_import_task.func(job.pk, name, "moi.xlsx", cast.approver.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "không có tổ chức mã “KHONGCO”" in job.message
    assert any("dòng 2" in line for line in job.result["problems"])
    assert not Person.objects.filter(identity_number=NEW).exists()
    assert not default_storage.exists(name)


def test_the_home_page_links_record_keepers_to_the_import(client, cast):
    client.force_login(cast.approver)
    assert reverse("roster:upload") in client.get(reverse("home")).content.decode()
    client.force_login(cast.staff)
    assert reverse("roster:upload") not in client.get(reverse("home")).content.decode()
