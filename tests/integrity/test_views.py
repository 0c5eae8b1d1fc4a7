"""The integrity page, its rights, "checked, justified", the export, the statistics panel and
the refresh after decisions."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import AuditEvent, Job
from kiemdiem.integrity.models import Flag, IntegritySettings
from kiemdiem.integrity.services import JOB_KIND, compute, justify
from kiemdiem.reviews.decisions.signals import announce
from tests.conftest import make_user
from tests.integrity.support import make_province

pytestmark = pytest.mark.django_db
URL = "/liem-chinh/"


@pytest.fixture
def planted(cast):
    p = make_province(cast, plant=True)
    compute(cycle=p.cycle)
    return p


@pytest.fixture
def inspector(cast):
    return make_user("kiemtra", role=Role.INSPECTOR, org=cast.province)


def test_inspector_sees_flags_drills_down_and_filters_by_person(client, cast, planted, inspector):
    client.force_login(inspector)
    page = client.get(URL, {"cycle": planted.cycle.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tỷ lệ HTXSNV+HTTNV cao bất thường so với toàn tỉnh" in body
    assert "kiểm định nhị thức một phía" in body and "Benjamini–Hochberg" in body
    assert cast.department.name in body  # the child unit row, one level down
    unit = client.get(URL, {"cycle": planted.cycle.pk, "org": planted.units[0].pk})
    assert unit.status_code == 200 and planted.units[0].name in unit.content.decode()
    flag = Flag.objects.filter(cycle=planted.cycle, code="low_evidence").first()
    person = client.get(URL, {"cycle": planted.cycle.pk, "ca-nhan": flag.person_id})
    text = person.content.decode()
    assert flag.person.full_name in text and "lượng hóa 20%" in text
    assert f"/kiem-diem/{flag.evaluation_id}/lich-su/" in text  # evidence within rights


def test_outside_the_role_or_the_scope_is_404(client, cast, planted):
    client.force_login(cast.staff)
    assert client.get(URL, {"cycle": planted.cycle.pk}).status_code == 404
    party = make_user("kiemtra-dang", role=Role.INSPECTOR, org=cast.province_party)
    client.force_login(party)
    assert client.get(URL, {"cycle": planted.cycle.pk, "org": cast.province.pk}).status_code == 404
    flag = Flag.objects.filter(cycle=planted.cycle).first()
    response = client.post(f"{URL}{flag.pk}/kiem-tra/", {"note": "x"})
    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_personnel_body_in_scope_sees_the_page(client, cast, planted):
    client.force_login(cast.approver)  # tochuc over Sở Nội vụ
    response = client.get(URL, {"cycle": planted.cycle.pk, "org": cast.department.pk})
    assert response.status_code == 200


def test_page_queries_do_not_grow_with_flags(client, cast, planted, inspector):
    client.force_login(inspector)
    params = {"cycle": planted.cycle.pk, "org": cast.province.pk}
    with CaptureQueriesContext(connection) as few:
        client.get(URL, params | {"ma": "levelling"})
    with CaptureQueriesContext(connection) as many:
        client.get(URL, params)
    assert Flag.objects.filter(cycle=planted.cycle).count() > 10
    assert len(many) <= len(few) + 2 <= 30


def test_justified_is_audited_kept_on_recompute_and_stops_asking(cast, planted, inspector):
    planted_id = planted.planted["above_meeting"]
    flag = Flag.objects.get(cycle=planted.cycle, code="above_meeting", evaluation_id=planted_id)
    with pytest.raises(Exception, match="Ghi rõ"):
        justify(actor=inspector, flag=flag, note="  ")
    justify(actor=inspector, flag=flag, note="Hội nghị thiếu thông tin; đã xác minh.")
    event = AuditEvent.objects.get(action="integrity.justify", object_id=str(flag.pk))
    assert event.reason.startswith("Hội nghị")
    compute(cycle=planted.cycle)
    again = Flag.objects.get(cycle=planted.cycle, code="above_meeting", evaluation_id=planted_id)
    assert again.pk == flag.pk and again.status == Flag.Status.JUSTIFIED and again.active
    # No longer found: a justified flag is kept (inactive), an open one disappears.
    open_flag = Flag.objects.get(cycle=planted.cycle, code="levelling")
    IntegritySettings.objects.create(
        organization=cast.province, values={"min_unit_size": 1000, "min_doc_claimants": 1000}
    )
    compute(cycle=planted.cycle)
    again.refresh_from_db()
    assert not Flag.objects.filter(pk=open_flag.pk).exists()
    assert again.status == Flag.Status.JUSTIFIED


def test_justify_through_the_page(client, cast, planted, inspector):
    client.force_login(inspector)
    flag = Flag.objects.filter(cycle=planted.cycle, code="leniency").first()
    response = client.post(f"{URL}{flag.pk}/kiem-tra/", {"note": "Đơn vị điển hình toàn quốc."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == Flag.Status.JUSTIFIED and flag.checked_by == inspector


def test_xlsx_lists_every_flag(client, planted, inspector):
    client.force_login(inspector)
    response = client.get(f"{URL}xlsx/", {"cycle": planted.cycle.pk})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("Dấu hiệu").to_python()
    assert len(rows) - 3 == Flag.objects.filter(cycle=planted.cycle).count()
    assert any("Benjamini" in str(cell) for row in rows for cell in row)


def test_statistics_page_shows_the_counts(client, cast, planted, inspector):
    client.force_login(inspector)
    n = Flag.objects.filter(cycle=planted.cycle, status="open").count()
    response = client.get("/thong-ke/", {"cycle": planted.cycle.pk, "org": cast.province.pk})
    body = response.content.decode()
    assert "Dấu hiệu bất thường (phân tích liêm chính)" in body and f">{n}<" in body


def test_decisions_enqueue_one_refresh(cast, planted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announce(planted.cycle.pk)
    with django_capture_on_commit_callbacks(execute=True):
        announce(planted.cycle.pk)
    jobs = Job.objects.filter(kind=JOB_KIND, organization=planted.cycle.scope)
    assert jobs.count() == 1


def test_recompute_button_starts_a_job(client, planted, inspector):
    client.force_login(inspector)
    response = client.post(f"{URL}phan-tich/", {"cycle": planted.cycle.pk})
    assert response.status_code == 302
    assert Job.objects.filter(kind=JOB_KIND).exists()


def test_home_lists_the_flags_to_review_for_the_inspector_only(cast, planted, inspector):
    from kiemdiem.core.todos import todos_for

    [todo] = [t for t in todos_for(inspector) if t.kind == "integrity_flags"]
    open_flags = Flag.objects.filter(cycle=planted.cycle, status="open", active=True).count()
    assert todo.count == open_flags and str(planted.cycle.pk) in todo.url
    assert not [t for t in todos_for(cast.staff) if t.kind == "integrity_flags"]
