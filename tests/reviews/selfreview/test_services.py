"""Services of the self-review: autosave with versions, submission, return, transitions, rights."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.models import Cycle, Evaluation, SelfReview
from kiemdiem.reviews.selfreview import access as sr_access
from kiemdiem.reviews.selfreview import facts
from kiemdiem.reviews.selfreview import services as sr
from kiemdiem.reviews.selfreview.transitions import SELF_REVIEW
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import (
    GENERAL_FULL,
    PARTY_FULL,
    VAGUE_TEXT,
    add_task,
    make_setup,
    sections_for,
)

_fast_hashers = support._fast_hashers  # the autouse fixture, in this module too


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


def save(evaluation, actor, *, version=0, criteria=None, sections=None, level="HTTNV", **kw):
    return sr.self_review_save(
        actor=actor,
        evaluation=evaluation,
        expected_version=version,
        sections=sections if sections is not None else sections_for(evaluation),
        criteria=criteria if criteria is not None else GENERAL_FULL,
        proposed_level=level,
        **kw,
    )


def review_of(evaluation) -> SelfReview:
    return SelfReview.objects.get(evaluation=evaluation)


# --- autosave ------------------------------------------------------------------------------


def test_the_first_save_creates_version_1_and_keeps_everything_as_typed(setup):
    staff = setup.cast.staff
    outcome = save(
        setup.party,
        staff,
        criteria={**PARTY_FULL, "1.1": "9"},
        sections={"ket_qua_nhiem_vu": "Nháp chưa xong…  "},
        level="",
    )
    review = review_of(setup.party)
    assert review.version == 1
    assert review.criteria["1.1"] == "9"  # invalid, but never lost
    assert review.sections["ket_qua_nhiem_vu"] == "Nháp chưa xong…  "
    assert outcome.mapped.errors == {"c-1.1": "Điểm phải từ 0 đến 4."}
    setup.party.refresh_from_db()
    assert setup.party.score is None
    event = AuditEvent.objects.get(action="self_review.save")
    assert event.actor == staff and event.after["version"] == 1


def test_a_save_updates_the_evaluation_facts_and_the_quantification(setup):
    save(
        setup.party,
        setup.cast.staff,
        criteria=PARTY_FULL,
        shortcomings_previous="2",
        shortcomings_remedied="2",
    )
    setup.party.refresh_from_db()
    assert setup.party.score == Decimal(100)
    assert (setup.party.shortcomings_previous, setup.party.shortcomings_remedied) == (2, 2)
    assert review_of(setup.party).quantification == 100


def test_the_ledger_gives_the_task_counts_and_the_nd335_results_points(setup):
    cast = setup.cast
    add_task(cast.staff_person, cast.division)
    add_task(
        cast.staff_person,
        cast.division,
        completed_on=setup.cycle.state_deadline.replace(month=7, day=15),
    )  # late
    add_task(cast.staff_person, cast.division, delivered=None, status="proposed")  # not counted
    save(setup.state, cast.staff)
    setup.state.refresh_from_db()
    assert (
        setup.state.tasks_assigned,
        setup.state.tasks_completed,
        setup.state.tasks_on_time,
        setup.state.tasks_exceeded,
    ) == (2, 2, 1, 0)
    results = facts.ledger_figures(setup.state).results_score
    assert results is not None and results < 70
    assert setup.state.score == Decimal(30) + results


def test_a_collectives_tasks_are_its_units_tasks_over_the_subtree(setup):
    cast = setup.cast
    add_task(cast.staff_person, cast.division)
    add_task(cast.head_person, cast.division, quality="exceeds")
    add_task(cast.outsider_person, cast.sibling)  # another unit
    figures = facts.ledger_figures(setup.collective)
    assert figures.as_tasks() == {"assigned": 2, "completed": 2, "on_time": 2, "exceeded": 1}


def test_a_save_with_an_older_version_is_refused_as_a_concurrent_edit(setup):
    staff = setup.cast.staff
    save(setup.party, staff, version=0)
    save(setup.party, staff, version=1, sections={"ket_qua_nhiem_vu": "Bản ở máy khác"})
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        save(setup.party, staff, version=1, sections={"ket_qua_nhiem_vu": "Bản cũ"})
    assert exc.value.messages == [
        "Bản tự kiểm điểm đã được lưu ở một cửa sổ hoặc thiết bị khác (phiên bản 2, trang này "
        "đang sửa phiên bản 1). Hãy tải lại trang để xem bản mới nhất; nội dung vừa gõ vẫn được "
        "giữ trong trình duyệt."
    ]
    review = review_of(setup.party)
    assert (review.version, review.sections["ket_qua_nhiem_vu"]) == (2, "Bản ở máy khác")
    assert AuditEvent.objects.count() == events


def test_saving_the_same_values_again_changes_nothing(setup):
    save(setup.party, setup.cast.staff)
    outcome = save(setup.party, setup.cast.staff, version=1)
    assert outcome.changed is False and outcome.review.version == 1
    assert AuditEvent.objects.filter(action="self_review.save").count() == 1


def test_nothing_can_be_saved_in_a_closed_cycle(setup):
    Cycle.objects.filter(pk=setup.cycle.pk).update(status=Cycle.Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        save(setup.party, setup.cast.staff)
    assert exc.value.messages == [
        "Đợt kiểm điểm không trong thời gian tự kiểm điểm, không thể sửa hoặc nộp."
    ]
    assert not SelfReview.objects.exists()


# --- submission ----------------------------------------------------------------------------


def test_an_incomplete_review_cannot_be_submitted_and_nothing_is_written(setup):
    staff = setup.cast.staff
    sections = sections_for(setup.party)
    sections["han_che"] = "   "
    criteria = {**PARTY_FULL, "1.2": "", "2.1": "31"}
    save(setup.party, staff, criteria=criteria, sections=sections, level="")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        sr.self_review_submit(actor=staff, evaluation=setup.party)
    assert exc.value.message_dict == {
        "__all__": ["Bản tự kiểm điểm chưa đầy đủ, chưa thể nộp."],
        "c-1.2": ["Chưa chấm điểm tiêu chí này."],
        "c-2.1": ["Điểm phải từ 0 đến 30."],
        "s-han_che": ["Chưa viết nội dung phần này."],
        "proposed_level": ["Chưa tự xếp loại."],
    }
    assert review_of(setup.party).status == SelfReview.Status.DRAFT
    setup.party.refresh_from_db()
    assert setup.party.status == Evaluation.Status.DRAFT
    assert AuditEvent.objects.count() == events


def test_a_grade_form_names_the_unchosen_grades(cast):
    s = make_setup(cast, year=2024, party_rules="qd124", state_rules="nd90")
    from tests.reviews.selfreview.support import load_template

    Evaluation.objects.filter(pk=s.party.pk).update(
        template=load_template("qd124-mau02a-khong-chuc-vu")
    )
    s.party.refresh_from_db()
    save(s.party, cast.staff, criteria={"chinh_tri": "good"}, sections=sections_for(s.party))
    with pytest.raises(ValidationError) as exc:
        sr.self_review_submit(actor=cast.staff, evaluation=s.party)
    assert exc.value.message_dict["c-dao_duc"] == ["Chưa chọn mức cho tiêu chí này."]


def test_a_review_below_the_cycles_quantification_minimum_cannot_be_submitted(cast):
    s = make_setup(cast, min_quantification=40)
    save(s.party, cast.staff, criteria=PARTY_FULL, sections=sections_for(s.party, VAGUE_TEXT))
    with pytest.raises(ValidationError) as exc:
        sr.self_review_submit(actor=cast.staff, evaluation=s.party)
    assert exc.value.messages == [
        "Chỉ số lượng hóa kết quả đạt 0/100, chưa đạt mức tối thiểu 40 của đợt kiểm điểm. "
        "Hãy nêu sản phẩm, văn bản, số liệu cụ thể."
    ]
    assert review_of(s.party).status == SelfReview.Status.DRAFT


def test_a_complete_review_is_submitted_and_locked(setup):
    staff = setup.cast.staff
    save(setup.party, staff, criteria=PARTY_FULL)
    review = sr.self_review_submit(actor=staff, evaluation=setup.party)
    assert review.status == SelfReview.Status.SUBMITTED and review.submitted_at
    setup.party.refresh_from_db()
    assert setup.party.status == Evaluation.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="self_review.submit").count() == 1
    # Submission freezes the self level and the engine's suggestion on the submitted facts.
    assert setup.party.self_level == review.proposed_level
    frozen = setup.party.submitted_suggestion
    assert frozen["facts"]["score"] == "100.00" and "level" in frozen and setup.party.version == 2
    with pytest.raises(ValidationError) as exc:
        save(setup.party, staff, version=review.version)
    assert exc.value.messages == ["Bản tự kiểm điểm đã nộp, không thể sửa."]


# --- return and transitions ----------------------------------------------------------------


def submitted(setup):
    """The staff member's NĐ 335 review, submitted (the results points from one ledger task)."""
    add_task(setup.cast.staff_person, setup.cast.division)
    save(setup.state, setup.cast.staff)
    return sr.self_review_submit(actor=setup.cast.staff, evaluation=setup.state)


def test_the_unit_head_returns_a_submitted_review_with_a_reason_the_person_sees(setup):
    submitted(setup)
    review = sr.self_review_return(
        actor=setup.cast.unit_head, evaluation=setup.state, reason="Bổ sung số liệu quý IV."
    )
    assert review.status == SelfReview.Status.RETURNED
    assert review.returned_reason == "Bổ sung số liệu quý IV."
    setup.state.refresh_from_db()
    assert setup.state.status == Evaluation.Status.RETURNED
    event = AuditEvent.objects.get(action="self_review.return")
    assert (event.actor, event.reason) == (setup.cast.unit_head, "Bổ sung số liệu quý IV.")
    # Unlocked: the person edits and submits again; the reason is cleared then.
    save(setup.state, setup.cast.staff, version=review.version, level="HTXSNV")
    again = sr.self_review_submit(actor=setup.cast.staff, evaluation=setup.state)
    assert (again.status, again.returned_reason) == (SelfReview.Status.SUBMITTED, "")


def test_a_return_needs_a_reason(setup):
    submitted(setup)
    with pytest.raises(ValidationError) as exc:
        sr.self_review_return(actor=setup.cast.unit_head, evaluation=setup.state, reason="  ")
    assert exc.value.message_dict == {"reason": ["Phải nêu lý do trả lại."]}
    assert review_of(setup.state).status == SelfReview.Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("draft", "return", "Không thể trả lại bản tự kiểm điểm đang ở trạng thái “Đang soạn”."),
        (
            "returned",
            "return",
            "Không thể trả lại bản tự kiểm điểm đang ở trạng thái “Bị trả lại”.",
        ),
        ("submitted", "submit", "Không thể nộp bản tự kiểm điểm đang ở trạng thái “Đã nộp”."),
    ],
)
def test_forbidden_transitions_are_refused_in_one_place(status, action, message):
    with pytest.raises(ValidationError) as exc:
        SELF_REVIEW.target(status, action)
    assert exc.value.messages == [message]


def test_the_transition_table_is_draft_to_submitted_to_returned_to_submitted():
    assert SELF_REVIEW.table == {
        ("draft", "submit"): "submitted",
        ("returned", "submit"): "submitted",
        ("submitted", "return"): "returned",
    }


def test_returning_a_draft_is_refused_by_the_service(setup):
    save(setup.state, setup.cast.staff)
    with pytest.raises(ValidationError) as exc:
        sr.self_review_return(actor=setup.cast.unit_head, evaluation=setup.state, reason="x")
    assert exc.value.messages == [
        "Không thể trả lại bản tự kiểm điểm đang ở trạng thái “Đang soạn”."
    ]


def test_submitting_twice_is_refused(setup):
    submitted(setup)
    with pytest.raises(ValidationError) as exc:
        sr.self_review_submit(actor=setup.cast.staff, evaluation=setup.state)
    assert exc.value.messages == ["Không thể nộp bản tự kiểm điểm đang ở trạng thái “Đã nộp”."]


# --- who may act ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["unit_head", "approver", "outsider"])
def test_only_the_person_themself_saves_or_submits_an_individual_review(setup, who):
    actor = getattr(setup.cast, who)
    with pytest.raises(PermissionDenied):
        save(setup.state, actor)
    save(setup.state, setup.cast.staff)
    with pytest.raises(PermissionDenied):
        sr.self_review_submit(actor=actor, evaluation=setup.state)
    assert review_of(setup.state).status == SelfReview.Status.DRAFT


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("unit_head", True), ("approver", True), ("outsider", False), ("staff", False)],
)
def test_the_unit_head_and_personnel_may_return_but_not_an_outsider_or_the_author(
    setup, who, allowed
):
    submitted(setup)
    actor = getattr(setup.cast, who)
    if allowed:
        sr.self_review_return(actor=actor, evaluation=setup.state, reason="Bổ sung.")
        assert review_of(setup.state).status == SelfReview.Status.RETURNED
    else:
        with pytest.raises(PermissionDenied):
            sr.self_review_return(actor=actor, evaluation=setup.state, reason="Bổ sung.")
        assert review_of(setup.state).status == SelfReview.Status.SUBMITTED


def test_the_head_drafts_the_collective_report_and_the_staff_member_may_not(setup):
    cast = setup.cast
    criteria = {
        c["code"]: str(c["max_points"])
        for g in setup.collective.template.definition["groups"]
        for c in g["criteria"]
    }
    save(setup.collective, cast.unit_head, criteria=criteria)
    with pytest.raises(PermissionDenied):
        save(setup.collective, cast.staff, version=1, criteria=criteria)
    setup.collective.refresh_from_db()
    assert setup.collective.score == Decimal(100)
    # The head does not return the report they drafted; personnel does.
    sr.self_review_submit(actor=cast.unit_head, evaluation=setup.collective)
    assert not sr_access.can_return(cast.unit_head, setup.collective)
    assert sr_access.can_return(cast.approver, setup.collective)


def test_a_leadership_collectives_report_is_drafted_by_the_head_of_the_organization_it_leads(cast):
    s = make_setup(cast)
    from kiemdiem.orgs import people
    from kiemdiem.orgs.models import PostLevel

    director = cast.outsider_person
    people.position_add(
        actor=None,
        person=director,
        organization=cast.department,
        title="Giám đốc",
        level=PostLevel.HEAD_DEPARTMENT,
        is_head=True,
        start_date=cast.staff_person.positions.first().start_date,
    )
    board = Evaluation.objects.create(
        cycle=s.cycle,
        code="O-BGD",
        subject="collective",
        role="leadership",
        organization=cast.board,
    )
    assert sr_access.can_edit(cast.outsider, board)
    assert not sr_access.can_edit(cast.unit_head, board)
