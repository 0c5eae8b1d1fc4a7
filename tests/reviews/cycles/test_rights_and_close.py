"""Cycle services check the actor's rights for every cycle and scope they are handed (called
directly, as a command would); closing a cycle is a real transition with its page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import AuditEvent, Job
from kiemdiem.reviews.criteria.loader import criteria_load
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.peer_groups import (
    peer_group_assign,
    peer_group_create,
    peer_group_set_ratio,
)
from kiemdiem.reviews.cycles.services import (
    cycle_close,
    cycle_create,
    cycle_enqueue_open,
    cycle_enqueue_recompute,
    cycle_set_template,
)
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions
from kiemdiem.reviews.selfreview.services import self_review_save
from tests.conftest import make_user


@pytest.fixture
def cycle(cast):
    criteria_load()
    return cycle_create(actor=cast.approver, name="Năm 2025", year=2025, scope=cast.department)


@pytest.fixture
def opened(cycle, cast):
    cycle_open(actor=cast.approver, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def narrow(cast):
    """Personnel of a sibling division: a narrower scope than the cycle's."""
    return make_user("tochucphong", role=Role.PERSONNEL, org=cast.sibling)


def written() -> tuple[int, ...]:
    return (
        Cycle.objects.count(),
        Evaluation.objects.count(),
        PeerGroup.objects.count(),
        Job.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_cycle_over_a_scope_outside_the_actors_records_is_refused(cast, narrow):
    criteria_load()
    with pytest.raises(ValidationError) as exc:
        cycle_create(actor=narrow, name="Năm 2025", year=2025, scope=cast.department)
    assert exc.value.message_dict == {"scope": ["Bạn không có quyền quản lý “Sở Nội vụ”."]}
    with pytest.raises(PermissionDenied):
        cycle_create(actor=cast.unit_head, name="Năm 2025", year=2025, scope=cast.division)
    assert not Cycle.objects.exists()


def test_every_cycle_service_refuses_someone_who_does_not_manage_the_cycle(opened, cast, narrow):
    competent = make_user("thamquyen", role=Role.COMPETENT, org=cast.province)
    template = CriteriaTemplate.objects.filter(track="party").first()
    group = PeerGroup.objects.filter(cycle=opened).first()
    evaluation = Evaluation.objects.filter(cycle=opened).first()
    calls = {
        "open": lambda actor: cycle_open(actor=actor, cycle=opened),
        "close": lambda actor: cycle_close(actor=actor, cycle=opened),
        "template": lambda actor: cycle_set_template(
            actor=actor, cycle=opened, slot="collective", template=template
        ),
        "enqueue_open": lambda actor: cycle_enqueue_open(actor=actor, cycle=opened),
        "enqueue_recompute": lambda actor: cycle_enqueue_recompute(actor=actor, cycle=opened),
        "recompute": lambda actor: cycle_recompute_suggestions(actor=actor, cycle=opened),
        "ratio": lambda actor: peer_group_set_ratio(actor=actor, group=group, ratio="0.25"),
        "group": lambda actor: peer_group_create(actor=actor, cycle=opened, code="X", name="X"),
        "assign": lambda actor: peer_group_assign(actor=actor, evaluation=evaluation, group=None),
    }
    before = written()
    for actor in (narrow, competent, cast.unit_head, cast.staff):
        for name, call in calls.items():
            with pytest.raises(PermissionDenied):
                call(actor)
                pytest.fail(f"{name} accepted {actor}")
    assert written() == before
    opened.refresh_from_db()
    assert opened.status == Cycle.Status.OPEN


def test_closing_a_cycle_locks_its_self_reviews_and_it_never_reopens(opened, cast):
    closed = cycle_close(actor=cast.approver, cycle=opened, reason="Đã công bố kết quả.")
    assert closed.status == Cycle.Status.CLOSED
    event = AuditEvent.objects.filter(action="cycle.status").order_by("-id").first()
    assert (event.before, event.after, event.reason) == (
        {"status": "open"},
        {"status": "closed"},
        "Đã công bố kết quả.",
    )
    staff_state = Evaluation.objects.get(cycle=opened, person=cast.staff_person, track="state")
    with pytest.raises(ValidationError) as exc:
        self_review_save(
            actor=cast.staff, evaluation=staff_state, expected_version=0, sections={}, criteria={}
        )
    assert exc.value.messages == [
        "Đợt kiểm điểm không trong thời gian tự kiểm điểm, không thể sửa hoặc nộp."
    ]
    with pytest.raises(ValidationError) as exc:
        cycle_open(actor=cast.approver, cycle=opened)
    assert exc.value.messages == ["Đợt đã kết thúc, không mở lại được."]
    with pytest.raises(ValidationError) as exc:
        cycle_close(actor=cast.approver, cycle=opened)
    assert exc.value.code == "transition"


def test_a_draft_cycle_cannot_be_closed(cycle, cast):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        cycle_close(actor=cast.approver, cycle=cycle)
    assert exc.value.messages == [
        "Không thể kết thúc đợt kiểm điểm đang ở trạng thái “Đang chuẩn bị”."
    ]
    assert AuditEvent.objects.count() == events


def test_the_cycle_page_closes_an_open_cycle_with_a_reason(client, opened, cast):
    client.force_login(cast.approver)
    page = client.get(reverse("cycle_detail", args=[opened.pk])).content.decode()
    assert reverse("cycle_close", args=[opened.pk]) in page
    response = client.post(reverse("cycle_close", args=[opened.pk]), {"reason": "Xong đợt."})
    assert response["Location"] == reverse("cycle_detail", args=[opened.pk])
    opened.refresh_from_db()
    assert opened.status == Cycle.Status.CLOSED
    page = client.get(reverse("cycle_detail", args=[opened.pk])).content.decode()
    assert "Đợt đã kết thúc lúc" in page and "Xong đợt." in page
    assert reverse("cycle_close", args=[opened.pk]) not in page


def test_closing_a_draft_from_the_page_shows_the_refusal(client, cycle, cast):
    client.force_login(cast.approver)
    response = client.post(reverse("cycle_close", args=[cycle.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Không thể kết thúc đợt kiểm điểm đang ở trạng thái" in response.content.decode()


@pytest.mark.parametrize("who", ["unit_head", "staff"])
def test_only_managers_close_a_cycle_from_the_page(client, opened, cast, who):
    client.force_login(getattr(cast, who))
    assert client.post(reverse("cycle_close", args=[opened.pk])).status_code == 403
    opened.refresh_from_db()
    assert opened.status == Cycle.Status.OPEN
