"""Home "việc cần làm": what waits for each user, one click from where it is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kiemdiem.core.todos import Todo, register_todo_provider, todo_providers, todos_for
from kiemdiem.notices.services import notify
from kiemdiem.reviews.selfreview import services as sr
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import GENERAL_FULL, add_task, sections_for

_fast_hashers = support._fast_hashers


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


def submit_state(setup):
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


def test_the_staff_member_is_asked_to_write_each_self_review_with_its_deadline(setup):
    todos = [t for t in todos_for(setup.cast.staff) if t.kind == "selfreview"]
    urls = {t.url for t in todos}
    assert reverse("selfreview_form", args=[setup.state.pk]) in urls
    assert reverse("selfreview_form", args=[setup.party.pk]) in urls
    by_url = {t.url: t for t in todos}
    assert by_url[reverse("selfreview_form", args=[setup.state.pk])].due == dt.date(2026, 12, 15)
    assert by_url[reverse("selfreview_form", args=[setup.party.pk])].due == dt.date(2026, 12, 31)


def test_a_submitted_review_leaves_the_author_and_waits_for_the_unit_head(setup):
    submit_state(setup)
    staff_urls = {t.url for t in todos_for(setup.cast.staff)}
    assert reverse("selfreview_form", args=[setup.state.pk]) not in staff_urls
    [handle] = [t for t in todos_for(setup.cast.unit_head) if t.kind == "review_handle"]
    assert handle.count == 1 and handle.url.startswith(reverse("selfreview_list"))
    # The outsider in a sibling unit has nothing of it.
    assert not [t for t in todos_for(setup.cast.outsider) if t.kind == "review_handle"]


def test_the_home_page_lists_todos_and_unread_notices_in_bounded_queries(
    client, setup, django_assert_max_num_queries
):
    notify(recipients=[setup.cast.staff], kind="other", title="Có việc mới")
    client.force_login(setup.cast.staff)
    # + the to-do providers (decision workflow, integrity), the statistics link
    with django_assert_max_num_queries(19):
        page = client.get(reverse("home")).content.decode()
    assert "Việc cần làm" in page and "Viết bản tự kiểm điểm" in page
    assert "hạn 15/12/2026" in page
    assert "Có việc mới" in page


def test_a_new_provider_adds_its_todos_without_touching_the_home_page(client, cast):
    saved = todo_providers()
    register_todo_provider(
        "test.meetings",
        lambda user: [Todo(title="Họp kiểm điểm chi bộ", url="/hop/", kind="meeting")],
    )
    try:
        client.force_login(cast.staff)
        assert "Họp kiểm điểm chi bộ" in client.get(reverse("home")).content.decode()
    finally:
        from kiemdiem.core import todos

        todos._PROVIDERS.clear()
        todos._PROVIDERS.update(saved)
