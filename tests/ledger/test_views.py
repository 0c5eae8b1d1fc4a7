"""The ledger pages: access, forms as plain POST and as htmx, download, bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.ledger import results, services
from kiemdiem.ledger.models import Product, Result, Task

from .conftest import assign, record
from .test_services import PASTED, PDF

HX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.force_login(user)
    return client


def test_my_ledger_shows_the_tasks_of_the_year_with_their_status(client, cast):
    task = assign(cast)
    record(cast, task, completed_on=dt.date(2025, 3, 31))
    late = assign(cast, title="Báo cáo sơ kết", deadline=dt.date(2025, 2, 28))
    record(cast, late, completed_on=dt.date(2025, 3, 5))
    response = login(client, cast.staff).get(reverse("ledger_mine"), {"nam": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="task-{task.pk}"' in body and 'data-status="on_time"' in body
    assert 'data-status="late"' in body
    assert 'id="results-score"' in body and "67,38" in body  # (70 + 64,75) / 2 = 67,375


def test_an_account_without_a_person_has_no_ledger(client, cast):
    assert login(client, cast.approver).get(reverse("ledger_mine")).status_code == 403


def test_registering_a_task_by_plain_post_redirects_to_the_ledger(client, cast):
    response = login(client, cast.staff).post(
        reverse("ledger_task_register") + "?nam=2025",
        {
            "title": "Báo cáo chuyên đề",
            "target_quantity": "1,5",
            "unit": "báo cáo",
            "assigned_on": "01/02/2025",
            "deadline": "30/06/2025",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.status, task.target_quantity, task.deadline) == (
        "proposed",
        Decimal("1.5"),
        dt.date(2025, 6, 30),
    )


def test_a_registration_with_errors_comes_back_with_the_services_messages(client, cast):
    login(client, cast.staff)
    response = client.post(reverse("ledger_task_register"), {"title": "", "deadline": "30/06/2025"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tên nhiệm vụ không được để trống." in body
    assert "Số lượng sản phẩm yêu cầu" in body
    response = client.post(reverse("ledger_task_register"), {"deadline": "31/02/2025"})
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert not Task.objects.exists()


def test_recording_a_result_with_htmx_returns_the_refreshed_ledger(client, cast):
    task = assign(cast)
    response = login(client, cast.staff).post(
        reverse("ledger_result_record", args=[task.pk]),
        {"achieved_quantity": "10", "completed_on": "20/03/2025", "quality": "exceeds"},
        **HX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#ledger-body"
    assert 'data-status="on_time"' in response.content.decode()
    assert Result.objects.get().quality == "exceeds"


def test_a_result_before_the_task_comes_back_in_place_with_htmx(client, cast):
    task = assign(cast)
    response = login(client, cast.staff).post(
        reverse("ledger_result_record", args=[task.pk]),
        {"achieved_quantity": "-1", "completed_on": "01/01/2025", "quality": "meets"},
        **HX,
    )
    body = response.content.decode()
    assert f'id="result-form-{task.pk}"' in body
    assert "Kết quả không thể hoàn thành trước khi nhiệm vụ được giao" in body
    assert "Số lượng đạt được không được âm." in body
    assert not Result.objects.exists()


@pytest.mark.parametrize("who", ["unit_head", "outsider"])
def test_nobody_else_records_on_a_persons_task(client, cast, who):
    task = assign(cast)
    response = login(client, getattr(cast, who)).post(
        reverse("ledger_result_record", args=[task.pk]),
        {"achieved_quantity": "1", "completed_on": "20/03/2025", "quality": "meets"},
    )
    assert response.status_code == 403


def test_the_document_preview_shows_the_parsed_fields(client, cast):
    result = record(cast, assign(cast))
    response = login(client, cast.staff).post(
        reverse("ledger_document_preview", args=[result.pk]), {"reference": PASTED}, **HX
    )
    body = response.content.decode()
    assert '<dd data-field="kind">Quyết định</dd>' in body
    assert '<dd data-field="symbol" class="mono">123/QĐ-UBND</dd>' in body
    assert '<dd data-field="date">15/03/2025</dd>' in body
    assert '<dd data-field="issuer">UBND tỉnh</dd>' in body
    assert "phê duyệt kế hoạch cải cách hành chính năm 2025" in body


def test_the_document_preview_shows_what_is_wrong(client, cast):
    result = record(cast, assign(cast))
    response = login(client, cast.staff).post(
        reverse("ledger_document_preview", args=[result.pk]),
        {"reference": "Quyết định số 123/QĐ ngày 15/3/2025"},
        **HX,
    )
    assert "thiếu chữ viết tắt tên cơ quan ban hành" in response.content.decode()


def test_the_document_preview_is_for_the_owner_only(client, cast):
    result = record(cast, assign(cast))
    response = login(client, cast.outsider).post(
        reverse("ledger_document_preview", args=[result.pk]), {"reference": PASTED}
    )
    assert response.status_code == 403


def test_adding_a_document_by_plain_post(client, cast):
    result = record(cast, assign(cast))
    response = login(client, cast.staff).post(
        reverse("ledger_document_add", args=[result.pk]), {"reference": PASTED}
    )
    assert response.status_code == 302
    assert Product.objects.get().doc_symbol == "123/QĐ-UBND"


def test_uploading_and_downloading_a_file(client, cast):
    result = record(cast, assign(cast))
    login(client, cast.staff)
    response = client.post(
        reverse("ledger_file_add", args=[result.pk]),
        {"file": SimpleUploadedFile("Báo cáo.pdf", PDF), "title": ""},
    )
    assert response.status_code == 302
    product = Product.objects.get()
    download = client.get(reverse("ledger_product_download", args=[product.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "B%C3%A1o%20c%C3%A1o.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("who", "status"), [("unit_head", 200), ("approver", 200), ("outsider", 403)]
)
def test_a_file_is_downloaded_by_those_who_may_see_the_task(client, cast, who, status):
    result = record(cast, assign(cast))
    product = results.product_add_file(
        actor=cast.staff, result=result, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    response = login(client, getattr(cast, who)).get(
        reverse("ledger_product_download", args=[product.pk])
    )
    assert response.status_code == status


def test_a_forbidden_upload_shows_the_message(client, cast):
    result = record(cast, assign(cast))
    response = login(client, cast.staff).post(
        reverse("ledger_file_add", args=[result.pk]),
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 10)},
        **HX,
    )
    assert "không phải là PDF" in response.content.decode()
    assert not Product.objects.exists()


def test_the_unit_page_is_for_managers_and_shows_the_statistics(client, cast):
    record(cast, assign(cast))
    assert (
        login(client, cast.outsider)
        .get(reverse("ledger_unit", args=[cast.division.pk]))
        .status_code
        == 403
    )
    assert (
        login(client, cast.staff).get(reverse("ledger_unit", args=[cast.division.pk])).status_code
        == 403
    )
    response = login(client, cast.unit_head).get(
        reverse("ledger_unit", args=[cast.division.pk]), {"nam": 2025}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="assign-form"' in body and 'id="stats-total"' in body


def test_the_manager_assigns_approves_and_rejects_from_the_unit_page(client, cast):
    login(client, cast.unit_head)
    response = client.post(
        reverse("ledger_task_assign", args=[cast.division.pk]) + "?nam=2025",
        {
            "person": cast.staff_person.pk,
            "title": "Rà soát quy chế",
            "target_quantity": "2",
            "unit": "quy chế",
            "assigned_on": "02/01/2025",
            "deadline": "31/05/2025",
        },
    )
    assert response.status_code == 302
    assert Task.objects.get().status == "approved"
    first = services.task_register(
        actor=cast.staff,
        title="A",
        target_quantity=Decimal(1),
        unit="x",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 2, 1),
    )
    second = services.task_register(
        actor=cast.staff,
        title="B",
        target_quantity=Decimal(1),
        unit="x",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 2, 1),
    )
    assert client.post(reverse("ledger_task_approve", args=[first.pk])).status_code == 302
    client.post(reverse("ledger_task_reject", args=[second.pk]), {"reason": "Trùng"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")


def test_the_staff_member_may_not_approve_through_the_page(client, cast):
    task = services.task_register(
        actor=cast.staff,
        title="A",
        target_quantity=Decimal(1),
        unit="x",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 2, 1),
    )
    response = login(client, cast.staff).post(reverse("ledger_task_approve", args=[task.pk]))
    assert response.status_code == 403


def test_confirming_an_objective_cause_from_the_unit_page(client, cast):
    result = record(cast, assign(cast), completed_on=dt.date(2025, 4, 2))
    response = login(client, cast.unit_head).post(
        reverse("ledger_objective_cause", args=[result.pk]), {"reason": "Bão số 3"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.objective_cause


def _tasks(cast, n):
    for i in range(n):
        task = assign(cast, title=f"Nhiệm vụ {i}")
        result = record(cast, task)
        results.product_add_count(actor=cast.staff, result=result, quantity=Decimal(1), title="x")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_ledger_needs_as_many_queries_for_fifty_tasks_as_for_five(client, cast):
    login(client, cast.staff)
    url = reverse("ledger_mine") + "?nam=2025"
    _tasks(cast, 5)
    five = _queries(client, url)
    _tasks(cast, 45)
    assert _queries(client, url) == five
    assert five <= 10, five


def test_the_unit_page_needs_as_many_queries_for_fifty_tasks_as_for_five(client, cast):
    login(client, cast.unit_head)
    url = reverse("ledger_unit", args=[cast.division.pk]) + "?nam=2025"
    _tasks(cast, 5)
    five = _queries(client, url)
    _tasks(cast, 45)
    assert _queries(client, url) == five


def test_an_htmx_post_from_the_forms_own_page_goes_back_to_the_ledger(client, cast):
    task = assign(cast)
    url = reverse("ledger_result_record", args=[task.pk])
    response = login(client, cast.staff).post(
        url,
        {"achieved_quantity": "10", "completed_on": "20/03/2025", "quality": "meets"},
        HTTP_HX_CURRENT_URL=f"http://testserver{url}",
        **HX,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/so-nhiem-vu/?nam=2025#task-{task.pk}"


def test_the_manager_edits_a_task_and_a_stale_form_is_refused(client, cast):
    task = assign(cast)
    url = reverse("ledger_task_update", args=[task.pk])
    login(client, cast.unit_head)
    page = client.get(url)
    assert page.status_code == 200
    version = page.context["form"].initial["version"]
    data = {
        "title": "Thẩm định hồ sơ",
        "target_quantity": "12",
        "unit": "hồ sơ",
        "assigned_on": "06/01/2025",
        "deadline": "31/03/2025",
        "weight": "2",
        "version": version,
    }
    assert client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert (task.target_quantity, task.weight) == (Decimal(12), Decimal(2))
    stale = client.post(url, {**data, "target_quantity": "20"})
    assert "vừa được người khác cập nhật" in stale.content.decode()
    task.refresh_from_db()
    assert task.target_quantity == Decimal(12)
    assert login(client, cast.staff).get(url).status_code == 403


def test_the_person_withdraws_a_registration_from_the_cancel_page(client, cast):
    task = services.task_register(
        actor=cast.staff,
        title="A",
        target_quantity=Decimal(1),
        unit="x",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 2, 1),
    )
    response = login(client, cast.staff).post(
        reverse("ledger_task_cancel", args=[task.pk]), {"reason": "Đăng ký nhầm"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/so-nhiem-vu/?nam=2025")
    task.refresh_from_db()
    assert task.status == "cancelled"


def test_the_inspection_committee_reads_the_unit_ledger_but_does_not_manage(client, cast):
    from kiemdiem.accounts.models import Role, RoleAssignment
    from tests.conftest import make_user

    inspector = make_user("kiemtra", None, role=Role.INSPECTOR, org=cast.department)
    assert RoleAssignment.objects.filter(user=inspector).exists()
    task = services.task_register(
        actor=cast.staff,
        title="A",
        target_quantity=Decimal(1),
        unit="x",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 2, 1),
    )
    login(client, inspector)
    page = client.get(reverse("ledger_unit", args=[cast.division.pk]), {"nam": 2025})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="assign-form"' not in body and f'id="approve-form-{task.pk}"' not in body
    assert client.post(reverse("ledger_task_approve", args=[task.pk])).status_code == 403
