"""The ledger through the API (issue 12): the owner registers tasks, records results and adds
evidence (a file with the pages' upload checks); others read within scope or get 404/403; a
refusal writes nothing; each write is audited by its service."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfWriter

from kiemdiem.core.models import AuditEvent
from kiemdiem.ledger.models import Product, Result, Task


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _task(person, org, **kw) -> Task:
    values = {
        "person": person,
        "organization": org,
        "year": 2026,
        "title": "Thẩm định hồ sơ nâng lương",
        "target_quantity": Decimal(10),
        "unit": "hồ sơ",
        "assigned_on": dt.date(2026, 1, 5),
        "deadline": dt.date(2026, 6, 30),
        "source": Task.Source.ASSIGNED,
        "status": Task.Status.APPROVED,
        **kw,
    }
    return Task.objects.create(**values)


@pytest.fixture
def tasks(world):
    cast = world.cast
    return {
        "own": _task(cast.staff_person, cast.division),
        "head": _task(cast.head_person, cast.division, title="Tổng hợp báo cáo"),
        "outside": _task(cast.outsider_person, cast.sibling, title="Rà soát biên chế"),
    }


def _result(task) -> Result:
    return Result.objects.create(
        task=task,
        achieved_quantity=Decimal(4),
        completed_on=dt.date(2026, 3, 1),
        quality=Result.Quality.MEETS,
    )


def test_the_owner_registers_a_task_waiting_for_approval(api, world):
    client = api("nhanvien")  # its token's creation is audited too
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/tasks/",
        {
            "title": "Xây dựng quy chế văn thư",
            "target_quantity": "1",
            "unit": "quy chế",
            "deadline": "2026-12-20",
            "assigned_on": "2026-02-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed" and body["source"] == "self"
    assert body["person"]["id"] == world.cast.staff_person.pk
    assert body["organization"]["name"] == "Phòng Công chức"
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").action == "task.register"


def test_a_malformed_task_names_every_field_and_writes_nothing(api, world):
    response = api("nhanvien").post(
        "/api/v1/tasks/",
        {"title": "", "target_quantity": "mười", "deadline": "20/12/2026", "colour": "đỏ"},
    )
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert set(fields) == {"title", "target_quantity", "unit", "deadline", "colour"}
    assert Task.objects.count() == 0


def test_the_service_refuses_a_deadline_before_assignment_with_its_message(api, world):
    response = api("nhanvien").post(
        "/api/v1/tasks/",
        {
            "title": "Báo cáo",
            "target_quantity": 2,
            "unit": "báo cáo",
            "deadline": "2026-01-01",
            "assigned_on": "2026-02-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert "deadline" in response.json()["error"]["details"]["fields"]
    assert Task.objects.count() == 0


def test_an_account_without_a_person_cannot_register(api, world):
    response = api("tochuc").post(
        "/api/v1/tasks/",
        {"title": "X", "target_quantity": 1, "unit": "việc", "deadline": "2026-12-20"},
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("nhanvien", {"own"}),
        ("truongphong", {"own", "head"}),
        ("ngoaidonvi", {"outside"}),
        ("tochuc", {"own", "head", "outside"}),
        ("bithu", set()),
        ("quantri", {"own", "head", "outside"}),
    ],
)
def test_tasks_are_listed_and_read_within_scope(api, world, tasks, user, visible):
    client = api(user)
    body = client.get("/api/v1/tasks/").json()
    assert {r["id"] for r in body["results"]} == {tasks[n].pk for n in visible}
    for name, task in tasks.items():
        status = client.get(f"/api/v1/tasks/{task.pk}/").status_code
        assert status == (200 if name in visible else 404)


def test_the_task_list_filters_and_its_queries_do_not_grow_with_rows(api, world, tasks):
    client = api("tochuc")
    body = client.get("/api/v1/tasks/", {"person": world.cast.outsider_person.pk}).json()
    assert [r["id"] for r in body["results"]] == [tasks["outside"].pk]
    assert client.get("/api/v1/tasks/", {"year": 2025}).json()["count"] == 0
    assert client.get("/api/v1/tasks/", {"status": "proposed"}).json()["count"] == 0
    assert client.get("/api/v1/tasks/", {"status": "x"}).status_code == 422
    for task in tasks.values():
        _result(task)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/tasks/")
    for n in range(20):
        _result(_task(world.cast.staff_person, world.cast.division, title=f"Việc {n}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/tasks/").json()["count"] == 23
    assert len(many) == len(few) <= 12


def test_the_owner_records_a_result_and_adds_document_link_and_count(api, world, tasks):
    client = api("nhanvien")
    response = client.post(
        f"/api/v1/tasks/{tasks['own'].pk}/results/",
        {"achieved_quantity": "6", "completed_on": "2026-04-10", "quality": "exceeds"},
    )
    assert response.status_code == 201, response.json()
    result = response.json()
    assert (result["achieved_quantity"], result["quality"]) == ("6.00", "exceeds")
    url = f"/api/v1/results/{result['id']}/products/"
    doc = client.post(
        url,
        {
            "kind": "document",
            "reference": "Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc "
            "phê duyệt kế hoạch",
        },
    )
    assert doc.status_code == 201, doc.json()
    assert (doc.json()["doc_symbol"], doc.json()["doc_date"]) == ("123/QĐ-UBND", "2025-03-15")
    link = client.post(url, {"kind": "link", "url": "https://snv.songhau.gov.vn/tin/1"})
    count = client.post(url, {"kind": "count", "title": "hồ sơ thẩm định", "quantity": 15})
    assert link.status_code == count.status_code == 201
    detail = client.get(f"/api/v1/tasks/{tasks['own'].pk}/").json()
    kinds = [p["kind"] for p in detail["results"][0]["products"]]
    assert kinds == ["document", "link", "count"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"result.record", "product.add_document", "product.add_link"} <= actions


def test_a_bad_product_is_refused_with_the_services_message(api, world, tasks):
    result = _result(tasks["own"])
    client = api("nhanvien")
    url = f"/api/v1/results/{result.pk}/products/"
    bad_link = client.post(url, {"kind": "link", "url": "javascript:alert(1)"})
    assert bad_link.status_code == 422 and "url" in bad_link.json()["error"]["details"]["fields"]
    bad_doc = client.post(url, {"kind": "document", "reference": "không có số hiệu"})
    assert bad_doc.status_code == 422
    assert client.post(url, {"kind": "photo"}).status_code == 422
    assert Product.objects.count() == 0


def test_a_manager_may_read_but_not_record_anothers_result(api, world, tasks):
    response = api("truongphong").post(
        f"/api/v1/tasks/{tasks['own'].pk}/results/",
        {"achieved_quantity": 1, "completed_on": "2026-04-10"},
    )
    assert response.status_code == 403
    outsider = api("ngoaidonvi").post(
        f"/api/v1/tasks/{tasks['own'].pk}/results/",
        {"achieved_quantity": 1, "completed_on": "2026-04-10"},
    )
    assert outsider.status_code == 404
    assert Result.objects.count() == 0


def test_a_result_for_a_task_not_approved_is_refused(api, world, tasks):
    tasks["own"].status = Task.Status.PROPOSED
    tasks["own"].save()
    response = api("nhanvien").post(
        f"/api/v1/tasks/{tasks['own'].pk}/results/",
        {"achieved_quantity": 1, "completed_on": "2026-04-10"},
    )
    assert response.status_code == 422 and Result.objects.count() == 0


def test_an_evidence_file_passes_the_pages_upload_checks(api, world, tasks, media_root):
    result = _result(tasks["own"])
    client = api("nhanvien")
    url = f"/api/v1/results/{result.pk}/files/"
    ok = client.upload(
        url, {"file": SimpleUploadedFile("bien-ban.pdf", _pdf()), "title": "Biên bản"}
    )
    assert ok.status_code == 201, ok.json()
    assert (ok.json()["kind"], ok.json()["file_name"]) == ("file", "bien-ban.pdf")
    stored = list(media_root.rglob("*.pdf"))
    assert len(stored) == 1
    fake = client.upload(url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 50)})
    assert fake.status_code == 422
    assert "file" in fake.json()["error"]["details"]["fields"]
    missing = client.upload(url, {"title": "không có tệp"})
    assert missing.status_code == 422
    json_body = client.post(url, {"file": "abc"})
    assert json_body.status_code == 422
    assert Product.objects.count() == 1 and len(list(media_root.rglob("*.*"))) == 1
