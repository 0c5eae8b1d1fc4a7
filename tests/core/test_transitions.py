"""The transition tables: each stateful model's allowed moves, and every other move refused by
the one guarded function — nothing written, nothing audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.core.models import AuditEvent
from kiemdiem.core.transitions import StateMachine, transition
from kiemdiem.ledger.models import Task
from kiemdiem.ledger.transitions import TASK
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.cycles.transitions import CYCLE
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.selfreview.transitions import SELF_REVIEW

MACHINES = {"task": TASK, "cycle": CYCLE, "self_review": SELF_REVIEW, "evaluation": EVALUATION}


def forbidden(machine: StateMachine) -> list[tuple[str, str]]:
    return [
        (state, action)
        for state in machine.states.values
        for action in sorted(machine.actions)
        if (state, action) not in machine.table
    ]


def test_the_tables_are_these():
    assert TASK.table == {
        ("proposed", "approve"): "approved",
        ("proposed", "reject"): "rejected",
        ("proposed", "cancel"): "cancelled",
        ("approved", "cancel"): "cancelled",
        ("rejected", "cancel"): "cancelled",
        ("rejected", "resubmit"): "proposed",
    }
    assert CYCLE.table == {
        ("draft", "open"): "opening",
        ("opening", "open"): "opening",
        ("open", "open"): "opening",
        ("opening", "opened"): "open",
        ("open", "close"): "closed",
    }
    moves = {
        ("draft", "submit"): "submitted",
        ("returned", "submit"): "submitted",
        ("submitted", "return"): "returned",
    }
    assert SELF_REVIEW.table == moves
    # decisions.md §1: the self-review's moves, then meeting, verification, decision,
    # publication, petition, reopening and annulment.
    assert EVALUATION.table == {
        **moves,
        ("submitted", "review"): "reviewed",
        ("reviewed", "review"): "reviewed",
        ("reviewed", "return"): "returned",
        ("reviewed", "verify"): "verified",
        ("verified", "verify"): "verified",
        ("verified", "decide"): "decided",
        ("decided", "decide"): "decided",
        ("annulled", "decide"): "decided",
        ("decided", "publish"): "published",
        ("published", "petition"): "reviewed",
        ("submitted", "reopen"): "draft",
        ("reviewed", "reopen"): "draft",
        ("verified", "reopen"): "draft",
        ("decided", "reopen"): "draft",
        ("published", "annul"): "annulled",
    }


def test_every_table_has_forbidden_moves_to_test():
    assert {name: len(forbidden(m)) for name, m in MACHINES.items()} == {
        "task": 10,
        "cycle": 7,
        "self_review": 3,
        # 8 states × 8 actions, less the 18 allowed moves (the decision workflow's table).
        "evaluation": 54,
    }


@pytest.fixture
def rows(cast):
    """One row of each stateful model, with a status set by the test."""
    cycle = Cycle.objects.create(
        name="Năm 2026",
        year=2026,
        scope=cast.province_party,
        party_rules="qd366",
        state_rules="nd335",
        state_deadline=dt.date(2026, 12, 15),
        party_deadline=dt.date(2026, 12, 31),
    )
    evaluation = Evaluation.objects.create(
        cycle=cycle,
        code="S1",
        subject="individual",
        role="staff",
        track="state",
        person=cast.staff_person,
        organization=cast.division,
    )
    task = Task.objects.create(
        person=cast.staff_person,
        organization=cast.division,
        year=2026,
        title="Thẩm định hồ sơ",
        target_quantity=Decimal(10),
        unit="hồ sơ",
        assigned_on=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 6, 30),
        source=Task.Source.SELF_REGISTERED,
        status=Task.Status.PROPOSED,
    )
    review = SelfReview.objects.create(evaluation=evaluation)
    return {"task": task, "cycle": cycle, "self_review": review, "evaluation": evaluation}


@pytest.mark.parametrize(
    ("name", "state", "action"),
    [(name, s, a) for name, m in MACHINES.items() for s, a in forbidden(m)],
)
def test_a_forbidden_move_is_refused_and_nothing_is_written(rows, name, state, action):
    machine, row = MACHINES[name], rows[name]
    type(row).objects.filter(pk=row.pk).update(status=state)
    row.refresh_from_db()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        transition(machine=machine, obj=row, action=action, actor=None, changes={"status": "x"})
    assert exc.value.code == "transition"
    assert exc.value.messages == [machine.refusal(state, action)]
    row.refresh_from_db()
    assert row.status == state
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "state", "action"),
    [(name, s, a) for name, m in MACHINES.items() for (s, a) in m.table],
)
def test_an_allowed_move_writes_the_status_and_one_audit_event(rows, cast, name, state, action):
    machine, row = MACHINES[name], rows[name]
    type(row).objects.filter(pk=row.pk).update(status=state)
    row.refresh_from_db()
    events = AuditEvent.objects.count()
    transition(machine=machine, obj=row, action=action, actor=cast.approver, reason="Vì sao")
    row.refresh_from_db()
    assert row.status == machine.table[(state, action)]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == (machine.audit_action or f"{name}.{action}")
    assert (event.before, event.after["status"]) == ({"status": state}, row.status)
    assert (event.actor, event.reason) == (cast.approver, "Vì sao")


def test_the_refusals_speak_vietnamese_and_name_the_state():
    assert TASK.refusal("approved", "approve") == "Chỉ duyệt được nhiệm vụ đang chờ duyệt."
    assert TASK.refusal("cancelled", "cancel") == "Nhiệm vụ đã được hủy trước đó."
    assert TASK.refusal("approved", "resubmit") == (
        "Không thể gửi duyệt lại nhiệm vụ đang ở trạng thái “Đã duyệt”."
    )
    assert CYCLE.refusal("closed", "open") == "Đợt đã kết thúc, không mở lại được."
    assert CYCLE.refusal("draft", "close") == (
        "Không thể kết thúc đợt kiểm điểm đang ở trạng thái “Đang chuẩn bị”."
    )
    assert EVALUATION.refusal("submitted", "submit") == (
        "Không thể nộp phiếu đánh giá đang ở trạng thái “Đã nộp tự đánh giá”."
    )
