"""Logs (issue 13): one line per request and per job, a request id carried into audit events
and jobs, no traceback for expected refusals, a JSON format for collectors."""

from __future__ import annotations

import json
import logging

from django.urls import reverse

from kiemdiem.core.audit import audit_record
from kiemdiem.core.jobs import job_enqueue, job_progress
from kiemdiem.core.logs import JsonFormatter, request_id_scope
from kiemdiem.core.models import AuditEvent, Job
from kiemdiem.orgs.models import Organization, OrgKind


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "kiemdiem.request"]


def test_each_request_gets_one_line_and_an_id_that_its_audit_events_carry(client, cast, caplog):
    client.force_login(cast.approver)
    caplog.set_level(logging.INFO)
    response = client.post(
        reverse("org_create"),
        {"code": "PKT", "name": "Phòng Kế toán", "kind": OrgKind.DIVISION, "parent": "SNV"},
    )
    assert response.status_code == 302
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = request_lines(caplog)
    assert line.fields["request_id"] == request_id
    assert line.fields["status"] == 302
    assert line.fields["user_id"] == cast.approver.pk
    org = Organization.objects.get(code="PKT")
    event = AuditEvent.objects.get(object_type="orgs.organization", object_id=str(org.pk))
    assert event.request_id == request_id


def test_a_proxys_request_id_is_kept_only_when_it_looks_like_one(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-12345678")["X-Request-ID"] == (
        "abc-12345678"
    )
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nFAKE LINE")["X-Request-ID"]
    assert "\n" not in forged and forged != "x\nFAKE LINE"


def test_a_refusal_is_logged_as_a_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.outsider)
    caplog.set_level(logging.INFO)
    response = client.get(reverse("person_edit", args=[cast.staff_person.pk]))
    assert response.status_code == 403
    assert [r.fields["status"] for r in request_lines(caplog)] == [403]
    assert not [r for r in caplog.records if r.exc_info]
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_a_job_carries_the_request_id_and_logs_one_line(transactional_db, caplog):
    class FakeTask:
        def enqueue(self, *args, **kwargs):
            return type("Result", (), {"id": "t-1"})()

    with request_id_scope("req-0123456789"):
        job = job_enqueue(task=FakeTask(), kind="test", title="Thử")
    assert Job.objects.get(pk=job.pk).request_id == "req-0123456789"
    caplog.set_level(logging.INFO)
    with job_progress(job.pk):
        audit_record(actor=None, action="test.step", obj=job)
    assert AuditEvent.objects.get(action="test.step").request_id == "req-0123456789"
    [line] = [r for r in caplog.records if r.name == "kiemdiem.job"]
    assert line.fields["request_id"] == "req-0123456789"
    assert line.fields["status"] == "succeeded"


def test_the_json_format_is_one_object_per_line():
    record = logging.LogRecord("kiemdiem.request", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.fields = {"status": 200, "path": "/tỉnh"}
    entry = json.loads(JsonFormatter().format(record))
    assert entry["status"] == 200
    assert entry["path"] == "/tỉnh"
    assert entry["message"] == "GET / 200"
