"""The transition table of decisions.md §1 through its services: meeting, verification,
decision, publication, petition, re-decision, reopen, annul; forbidden moves refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import AuditEvent
from kiemdiem.notices.models import Notice
from kiemdiem.reviews.decisions.errors import DecisionItem
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.decisions.workflow import annul, grant_ratio, petition_file, publish, reopen
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.meetings.services import meeting_create, meeting_record
from kiemdiem.reviews.models import Evaluation
from kiemdiem.reviews.verification.services import verify
from tests.conftest import make_user
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db

PEOPLE = [{"name": f"Người {n}", "present": True} for n in range(8)] + [
    {"name": "Người vắng", "present": False, "absence_reason": "Đi công tác"}
]


@pytest.fixture
def s():
    setup = make_setup()
    Evaluation.objects.filter(cycle=setup.cycle).update(status="submitted")
    root = setup.cycle.scope
    setup.head = make_user("truongdonvi", role=Role.UNIT_HEAD, org=root)
    setup.personnel = make_user("tochuc", role=Role.PERSONNEL, org=root)
    return setup


def fresh(s, code):
    return Evaluation.objects.get(pk=s.ev[code].pk)


def meeting(s, **kw):
    return meeting_create(
        actor=s.head,
        cycle=s.cycle,
        organization=s.cycle.scope,
        held_on=dt.date(2025, 12, 10),
        place="Hội trường",
        chair="Người 0",
        secretary="Người 1",
        attendance=kw.get("attendance", PEOPLE),
    )


def test_the_whole_chain_with_a_petition_and_a_re_decision(s):
    # The rest of S1's peer group is decided already (the quota counts decided levels).
    Evaluation.objects.filter(code__in=[f"S{n}" for n in range(2, 8)]).update(
        status="decided", decided_level="HTTNV"
    )
    m = meeting(s)
    assert m.has_quorum and (m.expected, m.present) == (9, 8)
    meeting_record(
        actor=s.head,
        meeting=m,
        evaluation=s.ev["S1"],
        level="HTXSNV",
        comments="Hoàn thành tốt",
        tally={"votes_excellent": 7, "votes_good": 1},
    )
    assert fresh(s, "S1").status == "reviewed" and fresh(s, "S1").meeting_level == "HTXSNV"
    verify(actor=s.personnel, evaluation=s.ev["S1"], proposed_level="HTXSNV", notes="Đủ hồ sơ")
    ev = fresh(s, "S1")
    assert (ev.status, ev.proposed_level) == ("verified", "HTXSNV")
    decide(
        actor=s.competent,
        cycle=s.cycle,
        items=[DecisionItem(ev.pk, "HTTNV", ev.version, "Chưa có sản phẩm nổi bật")],
    )
    publish(actor=s.competent, cycle=s.cycle, evaluations=[ev])
    ev = fresh(s, "S1")
    assert ev.status == "published" and ev.published_at is not None
    author = make_user("canbo1", ev.person)
    petition = petition_file(actor=author, evaluation=ev, text="Đề nghị xem xét lại")
    assert fresh(s, "S1").status == "reviewed"
    verify(actor=s.personnel, evaluation=ev, proposed_level="HTXSNV", notes="Có cơ sở")
    ev = fresh(s, "S1")
    decide(
        actor=s.competent,
        cycle=s.cycle,
        items=[DecisionItem(ev.pk, "HTXSNV", ev.version, "Chấp nhận kiến nghị")],
    )
    publish(actor=s.competent, cycle=s.cycle, evaluations=[ev])
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ANSWERED
    titles = list(Notice.objects.filter(recipient=author).values_list("title", flat=True))
    assert any("Kiến nghị của bạn đã được trả lời" in t for t in titles)
    assert any("Kết quả xếp loại đã công bố" in t for t in titles)
    assert Notice.objects.filter(
        recipient=s.competent, title__contains="chờ bạn quyết định"
    ).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="reviews.evaluation", object_id=str(ev.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "evaluation.review",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
        "evaluation.petition",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
    ]


def test_tally_above_attendance_and_no_quorum_are_refused(s):
    m = meeting(s)
    with pytest.raises(ValidationError):
        meeting_record(
            actor=s.head, meeting=m, evaluation=s.ev["S1"], level="HTTNV", tally={"votes_good": 9}
        )
    assert fresh(s, "S1").status == "submitted"
    thin = meeting(
        s,
        attendance=[{"name": "A", "present": True}]
        + [{"name": f"B{n}", "present": False, "absence_reason": "Ốm"} for n in range(3)],
    )
    with pytest.raises(ValidationError):
        meeting_record(actor=s.head, meeting=thin, evaluation=s.ev["S1"], level="HTTNV")


def test_absent_without_reason_is_refused(s):
    with pytest.raises(ValidationError):
        meeting(s, attendance=[{"name": "A", "present": False}])


def test_confidence_vote_sets_the_low_confidence_share_for_leaders_only(s):
    m = meeting(s)
    meeting_record(
        actor=s.head, meeting=m, evaluation=s.ev["H"], level="HTTNV", low_confidence_votes=2
    )
    assert str(fresh(s, "H").low_confidence_share) == "0.2500"
    with pytest.raises(ValidationError):
        meeting_record(
            actor=s.head, meeting=m, evaluation=s.ev["S2"], level="HTTNV", low_confidence_votes=1
        )


def test_rights_of_each_step(s):
    m = meeting(s)
    with pytest.raises(PermissionDenied):
        meeting_record(actor=s.competent, meeting=m, evaluation=s.ev["S1"], level="HTTNV")
    meeting_record(actor=s.head, meeting=m, evaluation=s.ev["S1"], level="HTTNV")
    with pytest.raises(PermissionDenied):
        verify(actor=s.head, evaluation=s.ev["S1"], proposed_level="HTTNV")
    with pytest.raises(PermissionDenied):
        reopen(actor=s.head, evaluation=s.ev["S1"], reason="x")


@pytest.mark.parametrize(
    "status,action",
    [
        ("draft", "review"),
        ("submitted", "verify"),
        ("submitted", "decide"),
        ("reviewed", "decide"),
        ("verified", "publish"),
        ("decided", "petition"),
        ("published", "decide"),
        ("published", "reopen"),
        ("decided", "annul"),
        ("annulled", "publish"),
    ],
)
def test_forbidden_transitions(status, action):
    assert not EVALUATION.can(status, action)
    with pytest.raises(ValidationError):
        EVALUATION.target(status, action)


def test_verify_before_the_meeting_is_refused(s):
    with pytest.raises(ValidationError):
        verify(actor=s.personnel, evaluation=s.ev["S1"], proposed_level="HTTNV")
    assert fresh(s, "S1").status == "submitted"


def test_petition_after_the_period_is_refused(s):
    Evaluation.objects.filter(pk=s.ev["S1"].pk).update(
        status="published",
        decided_level="HTTNV",
        published_at=timezone.now() - dt.timedelta(days=16),
    )
    author = make_user("canbo1", s.ev["S1"].person)
    with pytest.raises(ValidationError):
        petition_file(actor=author, evaluation=s.ev["S1"], text="Xem lại")
    with pytest.raises(PermissionDenied):
        petition_file(actor=s.competent, evaluation=s.ev["S1"], text="Xem lại")
    assert fresh(s, "S1").status == "published" and not Petition.objects.exists()


def test_reopen_clears_levels_and_annul_needs_a_higher_level(s):
    Evaluation.objects.filter(pk=s.ev["U"].pk).update(
        status="decided", decided_level="HTXSNV", meeting_level="HTXSNV"
    )
    with pytest.raises(ValidationError):
        reopen(actor=s.competent, evaluation=s.ev["U"], reason=" ")
    reopen(actor=s.competent, evaluation=s.ev["U"], reason="Thiếu hồ sơ")
    ev = fresh(s, "U")
    assert (ev.status, ev.decided_level, ev.meeting_level) == ("draft", "", "")
    Evaluation.objects.filter(pk=ev.pk).update(status="published", decided_level="HTXSNV")
    with pytest.raises(PermissionDenied):
        annul(actor=s.competent, evaluation=ev, reason="Sai quy trình")
    admin = make_user("quantri")
    admin.is_superuser = True
    admin.save()
    annul(actor=admin, evaluation=ev, reason="Sai quy trình")
    assert fresh(s, "U").status == "annulled"
    # A new decision on the same evaluation.
    ev = fresh(s, "U")
    decide(actor=s.competent, cycle=s.cycle, items=[DecisionItem(ev.pk, "HTXSNV", ev.version)])
    assert fresh(s, "U").status == "decided"


def test_grant_ratio_needs_a_reason_and_the_competent_level(s):
    group = s.ev["S1"].peer_group
    with pytest.raises(ValidationError):
        grant_ratio(actor=s.competent, peer_group=group, ratio="0.25")
    with pytest.raises(PermissionDenied):
        grant_ratio(
            actor=s.other_competent, peer_group=group, ratio="0.25", reason="Đơn vị đặc thù"
        )
    grant_ratio(actor=s.competent, peer_group=group, ratio="0.25", reason="Đơn vị đặc thù")
    group.refresh_from_db()
    assert (group.ratio, group.ratio_reason) == ("0.25", "Đơn vị đặc thù")
    assert AuditEvent.objects.filter(action="peer_group.ratio", reason="Đơn vị đặc thù").exists()
