"""The summary the page reads equals the direct counts: built once, and refreshed after each
change that moves counts (decisions, publication, annul, reopen, return), one refresh task per
cycle however many changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import Job
from kiemdiem.reviews.decisions.errors import DecisionItem
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.decisions.workflow import annul, publish, reopen
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.selfreview.services import self_review_return
from kiemdiem.stats import selectors, summary
from kiemdiem.stats.models import CycleSummary, SummaryState
from kiemdiem.stats.tasks import refresh_summary
from tests.conftest import make_user
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 10)


def same(cycle, org) -> None:
    """Every figure of the summary equals the direct count."""
    direct = selectors.statistics(cycle, org, today=TODAY)
    read, _stamp = summary.statistics(cycle, org, today=TODAY)
    assert read.total == direct.total
    assert read.by_role == direct.by_role
    assert read.by_track == direct.by_track
    assert read.progress == direct.progress
    assert read.overdue == direct.overdue
    assert [(r.key, r.by_level) for r in read.children] == [
        (r.key, r.by_level) for r in direct.children
    ]
    assert read.quotas == direct.quotas
    assert read.previous_cycle == direct.previous_cycle
    assert read.previous == direct.previous
    assert read.compliance == direct.compliance


@pytest.mark.parametrize("which", ["province", "department", "division", "province_party", "cell"])
def test_the_summary_equals_the_direct_counts(generated, which):
    same(generated.cycle, getattr(generated.cast, which))


def test_a_cycle_without_summary_is_built_once_then_read(generated):
    cycle, org = generated.cycle, generated.cast.province
    assert not SummaryState.objects.filter(cycle=cycle).exists()
    summary.statistics(cycle, org)
    state = SummaryState.objects.get(cycle=cycle)
    assert state.built_at is not None
    rows = CycleSummary.objects.filter(cycle=cycle).count()
    assert rows > 0
    summary.statistics(cycle, org)
    assert SummaryState.objects.get(cycle=cycle).built_at == state.built_at  # not rebuilt
    # The previous year's summary was built too (the year over year reads it).
    assert SummaryState.objects.filter(cycle=generated.previous).exists()


def test_a_direct_change_shows_only_after_the_refresh(generated):
    cycle, org = generated.cycle, generated.cast.division
    summary.rebuild(cycle)
    Evaluation.objects.filter(cycle=cycle, organization=org).update(status="annulled")
    read, _stamp = summary.statistics(cycle, org, today=TODAY)
    assert read.total.total > 0  # the summary, not a direct count
    summary.rebuild(cycle)
    same(cycle, org)
    assert summary.statistics(cycle, org)[0].total.total == 0


def refreshes(cycle) -> list[Job]:
    return list(
        Job.objects.filter(kind=summary.JOB_KIND, title__endswith=f" #{cycle.pk}").order_by("pk")
    )


def run_refreshes(cycle) -> None:
    """What the worker does: run the waiting refresh jobs."""
    for job in refreshes(cycle):
        if job.status == Job.Status.QUEUED:
            refresh_summary.call(job.pk, cycle_id=cycle.pk)


@pytest.fixture
def s():
    setup = make_setup()
    admin = make_user("quantri")
    admin.is_superuser = True
    admin.save()
    setup.admin = admin
    setup.head = make_user("truongdonvi", role=Role.UNIT_HEAD, org=setup.cycle.scope)
    summary.rebuild(setup.cycle)
    return setup


def decide_all(s, level="HTTNV"):
    evs = list(Evaluation.objects.filter(cycle=s.cycle, status="verified").order_by("pk"))
    items = [DecisionItem(e.pk, s.suggested[e.code], e.version, "Theo đề xuất") for e in evs]
    decide(actor=s.competent, cycle=s.cycle, items=items)
    return evs


# The refresh task runs outside any transaction (as the worker runs it), so these tests commit.
committed = pytest.mark.django_db(transaction=True)


@committed
def test_decisions_publication_annul_reopen_refresh_the_summary(s):
    cycle, org = s.cycle, s.cycle.scope
    evs = decide_all(s)
    assert len(refreshes(cycle)) == 1
    before = summary.statistics(cycle, org, today=TODAY)
    assert before[1].pending
    assert before[0].total.by_level["undecided"] == len(evs)  # still the old figures
    run_refreshes(cycle)
    read, stamp = summary.statistics(cycle, org, today=TODAY)
    assert not stamp.pending
    assert read.total.by_level["undecided"] == 0
    same(cycle, org)

    publish(actor=s.competent, cycle=cycle, evaluations=evs[:3])
    run_refreshes(cycle)
    assert summary.statistics(cycle, org)[0].progress["published"] == 3
    same(cycle, org)

    annul(actor=s.admin, evaluation=evs[0], reason="Sai quy trình")
    reopen(actor=s.competent, evaluation=evs[4], reason="Bổ sung hồ sơ")
    run_refreshes(cycle)
    read, _stamp = summary.statistics(cycle, org, today=TODAY)
    assert read.total.total == Evaluation.objects.filter(cycle=cycle).count() - 1
    assert read.progress["draft"] == 1
    same(cycle, org)


@committed
def test_a_return_refreshes_the_summary(s):
    cycle, org = s.cycle, s.cycle.scope
    ev = Evaluation.objects.filter(cycle=cycle, person__isnull=False).order_by("pk").first()
    Evaluation.objects.filter(pk=ev.pk).update(status="submitted")
    SelfReview.objects.create(evaluation=ev, status="submitted")
    summary.rebuild(cycle)
    self_review_return(actor=s.competent, evaluation=ev, reason="Thiếu minh chứng")
    assert Evaluation.objects.get(pk=ev.pk).status == "returned"
    run_refreshes(cycle)
    assert summary.statistics(cycle, org)[0].progress["returned"] == 1
    same(cycle, org)


@committed
def test_one_refresh_per_cycle_however_many_changes(s):
    cycle = s.cycle
    evs = decide_all(s)
    for ev in evs[:3]:  # three more transactions, one after the other
        publish(actor=s.competent, cycle=cycle, evaluations=[ev])
    assert len(refreshes(cycle)) == 1
    run_refreshes(cycle)
    # A change after the refresh ran (the job is no longer waiting) enqueues a new one, once.
    reopen(actor=s.competent, evaluation=evs[5], reason="Bổ sung hồ sơ")
    reopen(actor=s.competent, evaluation=evs[6], reason="Bổ sung hồ sơ")
    assert [j.status for j in refreshes(cycle)] == [Job.Status.SUCCEEDED, Job.Status.QUEUED]


def test_nothing_is_enqueued_before_the_change_commits(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decide_all(s)
    assert callbacks
    assert refreshes(s.cycle) == []


def test_one_commit_callback_per_cycle_and_transaction(s):
    from django.db import connection

    evs = list(Evaluation.objects.filter(cycle=s.cycle))
    for ev in evs:  # (the test's transaction: nothing commits)
        ev.excluded = True
        ev.save(update_fields=["excluded"])
    assert len(evs) > 1
    waiting = [e for e in connection.run_on_commit if e[1] == summary._Refresh(s.cycle.pk)]
    assert len(waiting) == 1


@committed
def test_moving_a_unit_refreshes_every_summary(generated):
    from kiemdiem.orgs.services import organization_move

    cast, cycle = generated.cast, generated.cycle
    summary.rebuild(cycle)
    organization_move(actor=None, organization=cast.board, new_parent=cast.province)
    assert [j.status for j in refreshes(cycle)] == [Job.Status.QUEUED]
    assert summary.statistics(cycle, cast.province)[1].pending
    run_refreshes(cycle)
    for org in (cast.province, cast.department, cast.board):
        org.refresh_from_db()
        same(cycle, org)


def test_a_restore_drops_every_summary(s):
    from kiemdiem.core.signals import restored

    assert SummaryState.objects.exists()
    restored.send(sender=None)
    assert not SummaryState.objects.exists()
    assert get_user_model().objects.exists()  # only the derived rows
