"""The cycle's progress by unit: counts per state and overdue, drill-down, who waits, paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.reviews.cycles.progress import unit_progress
from kiemdiem.reviews.models import Cycle, Evaluation
from tests.conftest import make_user
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers


@pytest.fixture
def setup(cast) -> support.Setup:
    s = support.make_setup(cast)
    # Scope the cycle over the state tree, where the division's evaluations are.
    Cycle.objects.filter(pk=s.cycle.pk).update(scope=cast.province)
    s.cycle.refresh_from_db()
    return s


def test_the_subtree_table_counts_states_and_overdue_per_sub_unit(setup):
    cast = setup.cast
    Evaluation.objects.filter(pk=setup.leader.pk).update(status=Evaluation.Status.SUBMITTED)
    total, units = unit_progress(setup.cycle, cast.department, today=dt.date(2026, 12, 20))
    [division] = [u for u in units if u.org == cast.division]
    in_division = Evaluation.objects.filter(cycle=setup.cycle, organization=cast.division)
    assert division.total == in_division.count()
    assert division.by_status["submitted"] == 1
    # 20/12 is after the state deadline (15/12): every waiting state-track evaluation is late.
    waiting_state = in_division.filter(status__in=["draft", "returned"], excluded=False).exclude(
        track=Evaluation.Track.PARTY
    )
    assert division.overdue == waiting_state.count() > 0
    assert total.total == sum(u.total for u in units)


def test_the_page_drills_down_and_lists_who_has_not_submitted(
    client, setup, django_assert_max_num_queries
):
    cast = setup.cast
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    url = reverse("cycle_progress", args=[setup.cycle.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert f'href="?don-vi={cast.department.pk}"' in page
    unit_page = client.get(url, {"don-vi": cast.division.pk}).content.decode()
    assert cast.staff_person.full_name in unit_page
    assert "chờ người viết nộp bản tự kiểm điểm" in unit_page
    Evaluation.objects.filter(cycle=setup.cycle).update(status=Evaluation.Status.SUBMITTED)
    after = client.get(url, {"don-vi": cast.division.pk}).content.decode()
    assert "Không có ai trong danh sách này." in after


def test_a_unit_outside_the_viewers_scope_is_refused(client, setup):
    cast = setup.cast
    viewer = make_user("tochuc2", None, role=Role.PERSONNEL, org=cast.province)
    client.force_login(viewer)
    url = reverse("cycle_progress", args=[setup.cycle.pk])
    assert client.get(url, {"don-vi": cast.division.pk}).status_code == 200
    assert client.get(url, {"don-vi": cast.province_party.pk}).status_code == 403
    client.force_login(cast.staff)
    assert client.get(url).status_code == 403
