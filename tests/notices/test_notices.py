"""Notifications: in-app rows and e-mail, the return notice, deadline reminders sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kiemdiem.notices.models import Notice
from kiemdiem.notices.services import notify
from kiemdiem.reviews.cycles.reminders import deadline_reminders_send
from kiemdiem.reviews.models import Evaluation
from kiemdiem.reviews.selfreview import services as sr
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import GENERAL_FULL, add_task, sections_for

_fast_hashers = support._fast_hashers


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


def test_notify_writes_one_row_per_recipient_and_mails_after_commit(
    cast, django_capture_on_commit_callbacks
):
    cast.staff.email = "an@example.vn"
    cast.staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            recipients=[cast.staff, cast.staff, cast.unit_head],
            kind=Notice.Kind.OTHER,
            title="Thử thông báo",
            url="/kiem-diem/",
            body="Nội dung",
        )
    assert len(rows) == 2
    assert Notice.objects.filter(recipient=cast.staff, read_at__isnull=True).count() == 1
    # Only the recipient with an address gets a mail, with the link in full.
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]
    assert mail.outbox[0].subject == "Thử thông báo"
    assert "http://localhost:8000/kiem-diem/" in mail.outbox[0].body


def test_notify_with_a_key_never_sends_twice_to_the_same_person(cast):
    first = notify(recipients=[cast.staff], kind="deadline", title="Hạn", key="deadline:1:x")
    again = notify(recipients=[cast.staff], kind="deadline", title="Hạn", key="deadline:1:x")
    assert (len(first), len(again)) == (1, 0)
    assert Notice.objects.filter(key="deadline:1:x").count() == 1


def test_returning_a_review_notifies_its_author_with_the_reason_and_a_link(setup):
    add_task(setup.cast.staff_person, setup.cast.division)
    sr.self_review_save(
        actor=setup.cast.staff,
        evaluation=setup.state,
        expected_version=0,
        sections=sections_for(setup.state),
        criteria=GENERAL_FULL,
        proposed_level="HTTNV",
    )
    sr.self_review_submit(actor=setup.cast.staff, evaluation=setup.state)
    sr.self_review_return(
        actor=setup.cast.unit_head, evaluation=setup.state, reason="Bổ sung số liệu quý IV."
    )
    notice = Notice.objects.get(recipient=setup.cast.staff)
    assert notice.kind == Notice.Kind.REVIEW_RETURNED
    assert notice.title == "Bản tự kiểm điểm bị trả lại: Kiểm điểm năm 2026"
    assert notice.body == "Lý do: Bổ sung số liệu quý IV."
    assert notice.url == reverse("selfreview_form", args=[setup.state.pk])


def test_reminders_go_to_people_behind_a_near_deadline_once_per_deadline(setup):
    today = dt.date(2026, 12, 10)  # 5 days before the state deadline, 21 before the party's
    sent = deadline_reminders_send(today=today)
    staff_notices = Notice.objects.filter(recipient=setup.cast.staff, kind=Notice.Kind.DEADLINE)
    assert sent >= 1
    assert [n.title for n in staff_notices] == ["Hạn tự kiểm điểm 15/12/2026: Kiểm điểm năm 2026"]
    assert deadline_reminders_send(today=today) == 0
    # After the deadline the party track is not yet due; a moved deadline is a new occasion.
    setup.cycle.state_deadline = dt.date(2026, 12, 16)
    setup.cycle.save()
    assert deadline_reminders_send(today=today) >= 1
    assert staff_notices.all().count() == 2


def test_people_who_submitted_or_are_excluded_are_not_reminded(setup):
    Evaluation.objects.filter(pk=setup.state.pk).update(excluded=True)
    deadline_reminders_send(today=dt.date(2026, 12, 10))
    assert not Notice.objects.filter(recipient=setup.cast.staff).exists()


def test_the_command_sends_reminders_synchronously(setup, capsys):
    setup.cycle.state_deadline = dt.date.today()
    setup.cycle.party_deadline = dt.date.today()
    setup.cycle.save()
    call_command("send_reminders", "--sync")
    assert "thông báo nhắc hạn" in capsys.readouterr().out
    assert Notice.objects.filter(recipient=setup.cast.staff, kind="deadline").count() == 1


def test_the_list_page_shows_the_unread_count_and_opening_marks_read(client, cast):
    notify(recipients=[cast.staff], kind="other", title="Có việc mới", url="/kiem-diem/")
    notify(recipients=[cast.unit_head], kind="other", title="Của người khác")
    client.force_login(cast.staff)
    page = client.get(reverse("notice_list"))
    text = page.content.decode()
    assert "Có việc mới" in text and "Của người khác" not in text
    assert '<span class="badge" title="chưa đọc">1</span>' in text
    notice = Notice.objects.get(recipient=cast.staff)
    response = client.post(reverse("notice_open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == "/kiem-diem/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Someone else's notice cannot be opened (nor marked read) by this user.
    other = Notice.objects.get(recipient=cast.unit_head)
    client.post(reverse("notice_open", args=[other.pk]))
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read(client, cast):
    notify(recipients=[cast.staff], kind="other", title="A")
    notify(recipients=[cast.staff], kind="other", title="B")
    client.force_login(cast.staff)
    response = client.post(reverse("notice_read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notice.objects.filter(recipient=cast.staff, read_at__isnull=True).exists()
