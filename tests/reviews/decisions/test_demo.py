"""`make run`'s demo: after seed-demo, demo-accounts and demo-cycle every demo role has work
waiting on its home page, and the petitions land where a demo account can act on them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from kiemdiem.core.todos import todos_for
from kiemdiem.reviews.decisions import selectors
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.models import Cycle, Evaluation
from kiemdiem.reviews.verification.services import can_verify

pytestmark = pytest.mark.django_db

ROLES = ("nhanvien", "truongphong", "bithu", "tochuc", "thamquyen", "kiemtra", "quantri")


@pytest.fixture
def demo(db):
    out = StringIO()
    # The commit callbacks run as they would after each command's commit (the statistics
    # refresh requests among them).
    with (
        override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        call_command("load_criteria", stdout=out)
        call_command("seed_demo", stdout=out)  # the size `make run` seeds
        call_command("demo_accounts", stdout=out)
        call_command("demo_cycle", stdout=out)
    return {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}


def test_every_demo_role_has_work_and_the_petitions_wait_for_demo_accounts(demo):
    """One test: seeding the demo province as `make run` does takes a while."""
    kinds = {name: {t.kind for t in todos_for(demo[name])} for name in ROLES}
    for name in ROLES:
        assert kinds[name], f"{name} has nothing waiting"
    assert "meeting" in kinds["truongphong"]
    assert "verify" in kinds["tochuc"]  # the petition sent back to verification
    assert "decide" in kinds["thamquyen"]
    cycle = Cycle.objects.get()
    petitioned = [p.evaluation for p in Petition.objects.select_related("evaluation")]
    assert sorted(e.status for e in petitioned) == ["reviewed", "verified"]
    reviewed = next(e for e in petitioned if e.status == "reviewed")
    assert can_verify(demo["tochuc"], reviewed)
    verified = next(e for e in petitioned if e.status == "verified")
    page = selectors.decision_page(demo["thamquyen"], cycle)
    assert next(r for r in page.rows if r.id == verified.pk).decidable
    assert Evaluation.objects.filter(cycle=cycle, status="verified").count() > 1
    _the_held_meeting_prints_its_minutes(demo, cycle)
    _the_statistics_follow_the_integrity_plants(cycle)


def _the_statistics_follow_the_integrity_plants(cycle):
    """`make run` ends with demo-integrity, which writes levels in bulk: the statistics
    summary is refreshed after it, so the dashboard shows the planted decisions."""
    from django.db import connection

    from kiemdiem.core.models import Job
    from kiemdiem.stats import summary
    from tests.stats.test_summary import refreshes, same

    # What the worker does with the refreshes the demo asked for so far.
    summary.rebuild(cycle)
    Job.objects.filter(kind=summary.JOB_KIND).update(status=Job.Status.SUCCEEDED)
    # The fixture's callbacks ran but stay listed in the test's outer transaction, where the
    # once-per-transaction check would see them: a real commit would have cleared them.
    connection.run_on_commit.clear()
    with override_settings(DEBUG=True), TestCase.captureOnCommitCallbacks(execute=True):
        call_command("demo_integrity", stdout=StringIO())
    assert [j.status for j in refreshes(cycle)][-1] == Job.Status.QUEUED
    summary.rebuild(cycle)  # the queued refresh, run here (outside the worker's transaction)
    same(cycle, cycle.scope)


def _the_held_meeting_prints_its_minutes(demo, cycle):
    """The division's review meeting is held in the demo (attendance with an absence and its
    reason, comments, tallies), and the minutes of its export print that content."""
    import tempfile
    import zipfile
    from pathlib import Path

    from kiemdiem.documents.exports import export_documents
    from kiemdiem.reviews.meetings.models import Meeting
    from tests.documents.support import docx_text

    meeting = Meeting.objects.get(cycle=cycle)
    absent = [a for a in meeting.attendance.all() if not a.present]
    assert len(absent) == 1 and absent[0].absence_reason
    assert meeting.present == meeting.expected - 1 and meeting.has_quorum
    entries = list(meeting.entries.select_related("evaluation__person"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.comments and entry.votes == meeting.present
        assert entry.evaluation.status == "reviewed" and entry.evaluation.meeting_level
    # The third colleague still waits for the meeting: the unit head keeps work.
    assert Evaluation.objects.filter(
        cycle=cycle, organization=meeting.organization, status="submitted"
    ).exists()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo.zip"
        export_documents(
            cycle=cycle,
            organization=meeting.organization,
            fmt="docx",
            out=out,
            viewer=demo["truongphong"],
        )
        with zipfile.ZipFile(out) as archive:
            name = next(n for n in archive.namelist() if n.endswith("/bien-ban-hop.docx"))
            text = docx_text(archive.read(name))
    assert f"Địa điểm: {meeting.place}." in text
    assert f"Chủ trì: {meeting.chair}. Thư ký: {meeting.secretary}." in text
    reason = f"{absent[0].name} ({absent[0].absence_reason})"
    assert f"Có mặt {meeting.present}/{meeting.expected}; vắng: {reason}." in text
    assert "Hội nghị có đủ số lượng theo quy định" in text
    for entry in entries:
        assert entry.comments in text
        assert entry.evaluation.person.full_name in text
