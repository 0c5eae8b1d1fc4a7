"""The derivations and the NĐ 335 score: pure functions, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kiemdiem.ledger.scoring import (
    DEFAULT_SPLIT,
    Period,
    ResultFacts,
    Split,
    TaskFacts,
    annual_score,
    item_score,
    period_score,
    periods_of,
    results_score,
    task_counts,
    task_status,
    unit_statistics,
)

D = Decimal
DEADLINE = dt.date(2025, 3, 31)
LATER = dt.date(2025, 12, 31)


def task(target=10, *results, deadline=DEADLINE, weight=1):
    return TaskFacts(target=D(target), deadline=deadline, weight=D(weight), results=results)


def res(quantity, day, **kw):
    return ResultFacts(quantity=D(quantity), completed_on=day, **kw)


def test_a_task_completed_before_its_deadline_is_on_time():
    s = task_status(task(10, res(10, dt.date(2025, 3, 1))), as_of=LATER)
    assert (s.completed, s.on_time, s.late, s.exceeded, s.overdue) == (
        True,
        True,
        False,
        False,
        False,
    )
    assert s.code == "on_time"


def test_completion_exactly_on_the_deadline_is_on_time():
    s = task_status(task(10, res(10, DEADLINE)), as_of=LATER)
    assert s.on_time and not s.late


def test_completion_the_day_after_the_deadline_is_late():
    s = task_status(task(10, res(10, dt.date(2025, 4, 1))), as_of=LATER)
    assert s.completed and s.late and not s.on_time and s.code == "late"


def test_partial_deliveries_add_up_and_the_completion_date_is_when_the_target_was_reached():
    t = task(
        10,
        res(4, dt.date(2025, 2, 1)),
        res(3, dt.date(2025, 3, 15)),
        res(3, dt.date(2025, 4, 10)),
        res(2, dt.date(2025, 4, 20)),
    )
    s = task_status(t, as_of=LATER)
    assert s.achieved == D(12)
    assert s.completed_on == dt.date(2025, 4, 10)
    assert s.late and s.exceeded


def test_a_partial_delivery_is_not_completed_and_becomes_overdue_after_the_deadline():
    t = task(10, res(6, dt.date(2025, 3, 1)))
    before = task_status(t, as_of=dt.date(2025, 3, 31))
    after = task_status(t, as_of=dt.date(2025, 4, 1))
    assert not before.completed and not before.overdue and before.code == "in_progress"
    assert after.overdue and after.code == "overdue"
    assert after.ratio == D("0.6")


def test_results_after_the_evaluation_date_are_ignored():
    t = task(10, res(10, dt.date(2025, 5, 1)))
    assert not task_status(t, as_of=dt.date(2025, 4, 30)).completed
    assert task_status(t, as_of=dt.date(2025, 5, 1)).completed


def test_exceeded_means_more_than_the_target_or_a_result_of_exceeding_quality():
    assert task_status(task(10, res(11, DEADLINE)), as_of=LATER).exceeded
    assert task_status(task(10, res(10, DEADLINE, quality="exceeds")), as_of=LATER).exceeded
    assert not task_status(task(10, res(10, DEADLINE)), as_of=LATER).exceeded


def test_exceeding_quality_does_not_make_an_unfinished_task_exceeded():
    s = task_status(task(10, res(5, DEADLINE, quality="exceeds")), as_of=LATER)
    assert not s.completed and not s.exceeded


def test_counts_keep_on_time_within_completed_within_assigned_and_exceeded_within_completed():
    statuses = [
        task_status(t, as_of=LATER)
        for t in [
            task(10, res(10, DEADLINE)),
            task(10, res(12, dt.date(2025, 5, 1))),
            task(10, res(3, DEADLINE, quality="exceeds")),
            task(10),
            task(5, res(5, dt.date(2025, 1, 2), quality="exceeds")),
        ]
    ]
    counts = task_counts(statuses)
    assert counts == {"assigned": 5, "completed": 3, "on_time": 2, "exceeded": 2}
    assert 0 <= counts["on_time"] <= counts["completed"] <= counts["assigned"]
    assert counts["exceeded"] <= counts["completed"]


def test_counts_of_nothing_are_zero():
    assert task_counts([]) == {"assigned": 0, "completed": 0, "on_time": 0, "exceeded": 0}


def test_a_task_fully_delivered_on_time_without_errors_scores_seventy():
    assert results_score([task(10, res(10, DEADLINE))], as_of=LATER) == D("70.00")


def test_no_tasks_gives_no_score():
    assert results_score([], as_of=LATER) is None


def test_quantity_points_are_proportional_to_the_delivered_share():
    # Half delivered, deadline not passed: 70 × 0.5 on every axis = 35.
    t = task(10, res(5, dt.date(2025, 3, 1)))
    assert results_score([t], as_of=dt.date(2025, 3, 15)) == D("35.00")


def test_each_major_error_takes_a_quarter_of_the_quality_points():
    one = task(10, res(10, DEADLINE, major_errors=1))
    two = task(10, res(10, DEADLINE, major_errors=2))
    # 70 × (0.4 + 0.3 × 0.75 + 0.3) = 64.75; × (0.4 + 0.3 × 0.5 + 0.3) = 59.50
    assert results_score([one], as_of=LATER) == D("64.75")
    assert results_score([two], as_of=LATER) == D("59.50")


def test_a_result_below_the_requirement_counts_as_one_major_error():
    t = task(10, res(10, DEADLINE, quality="below"))
    assert item_score(t, as_of=LATER).errors == 1
    assert results_score([t], as_of=LATER) == D("64.75")


def test_late_completion_is_a_delay_taking_a_quarter_of_the_progress_points():
    t = task(10, res(10, dt.date(2025, 4, 2)))
    assert item_score(t, as_of=LATER).delays == 1
    assert results_score([t], as_of=LATER) == D("64.75")


def test_recorded_delays_add_to_the_derived_lateness():
    t = task(10, res(10, dt.date(2025, 4, 2), delays=1))
    assert item_score(t, as_of=LATER).delays == 2
    assert results_score([t], as_of=LATER) == D("59.50")


def test_an_objective_cause_confirmed_by_the_manager_cancels_the_deductions():
    t = task(10, res(10, dt.date(2025, 4, 2), major_errors=2, delays=1, objective_cause=True))
    item = item_score(t, as_of=LATER)
    assert (item.errors, item.delays) == (0, 0)
    assert results_score([t], as_of=LATER) == D("70.00")


def test_deductions_never_go_below_zero():
    t = task(10, res(10, dt.date(2025, 4, 2), major_errors=9, delays=9))
    item = item_score(t, as_of=LATER)
    assert item.quality == 0 and item.progress == 0
    assert results_score([t], as_of=LATER) == D("28.00")  # the quantity points remain


def test_each_item_counts_with_its_weight_share_of_seventy():
    done = task(10, res(10, DEADLINE), weight=3)
    nothing = task(10, weight=1)
    # 70 × 3/4 = 52.50 for the finished item, 0 for the one with nothing delivered
    assert results_score([done, nothing], as_of=LATER) == D("52.50")


def test_the_score_is_rounded_half_up_to_two_decimals_once():
    items = [task(3, res(1, DEADLINE)), task(3, res(3, DEADLINE)), task(3, res(3, DEADLINE))]
    # Evaluated on the deadline (nothing overdue yet): (1/3 + 1 + 1) / 3 × 70 = 54.4444…
    assert results_score(items, as_of=DEADLINE) == D("54.44")
    # 70 × 1/560 = 0.125 exactly: half up gives 0.13 (banker's rounding would give 0.12)
    assert results_score([task(560, res(1, DEADLINE))], as_of=DEADLINE) == D("0.13")


def test_a_split_must_add_up_to_one_and_can_be_changed():
    with pytest.raises(ValueError):
        Split(D("0.5"), D("0.3"), D("0.3"))
    heavy = Split(D("0.6"), D("0.2"), D("0.2"))
    t = task(10, res(10, DEADLINE, major_errors=1))
    assert results_score([t], as_of=LATER, split=heavy) == D("66.50")
    assert DEFAULT_SPLIT.quantity == D("0.4")


def test_a_period_scores_the_items_whose_deadline_falls_in_it():
    q1 = task(10, res(10, dt.date(2025, 3, 1)), deadline=dt.date(2025, 3, 31))
    q2 = task(10, deadline=dt.date(2025, 6, 30))
    assert period_score([q1, q2], Period("quarter", 2025, 1), as_of=LATER) == D("70.00")
    assert period_score([q1, q2], Period("quarter", 2025, 2), as_of=LATER) == D("0.00")
    assert period_score([q1, q2], Period("month", 2025, 5), as_of=LATER) is None


def test_the_year_equals_the_weighted_mean_of_its_periods_at_the_same_date():
    items = [
        task(10, res(10, dt.date(2025, 1, 20)), deadline=dt.date(2025, 1, 31), weight=2),
        task(4, res(3, dt.date(2025, 2, 20)), deadline=dt.date(2025, 2, 28)),
        task(5, res(5, dt.date(2025, 5, 2), major_errors=1), deadline=dt.date(2025, 4, 30)),
        task(1, deadline=dt.date(2025, 11, 30), weight=D("0.5")),
    ]
    year = annual_score(items, year=2025, as_of=LATER)
    for kind in ("month", "quarter"):
        weighted = D(0)
        total = D(0)
        for period in periods_of(2025, kind):
            inside = [t for t in items if period.contains(t.deadline)]
            score = period_score(items, period, as_of=LATER)
            if score is None:
                continue
            w = sum(t.weight for t in inside)
            weighted += score * w
            total += w
        assert abs(weighted / total - year) < D("0.01")


def test_periods_have_the_right_bounds():
    assert Period("quarter", 2024, 1).end == dt.date(2024, 3, 31)
    assert Period("month", 2024, 2).end == dt.date(2024, 2, 29)
    assert Period("year", 2025).start == dt.date(2025, 1, 1)
    assert len(periods_of(2025, "month")) == 12


def test_unit_statistics_count_per_person_and_in_total():
    a = task_status(task(10, res(10, DEADLINE)), as_of=LATER)
    b = task_status(task(10), as_of=LATER)
    stats = unit_statistics([(1, a), (1, b), (2, a)])
    assert stats.per_person[1] == {"assigned": 2, "completed": 1, "on_time": 1, "exceeded": 0}
    assert stats.per_person[2]["completed"] == 1
    assert stats.totals == {"assigned": 3, "completed": 2, "on_time": 2, "exceeded": 0}


def test_the_scoring_core_does_not_import_django():
    from pathlib import Path

    import kiemdiem.ledger.scoring as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "from django" not in source and "import django" not in source


# --- properties -----------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DAYS = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 12, 31))
RESULTS = st.lists(
    st.builds(
        ResultFacts,
        quantity=st.decimals(min_value=0, max_value=20, places=2),
        completed_on=DAYS,
        quality=st.sampled_from(["exceeds", "meets", "below"]),
        major_errors=st.integers(0, 5),
        delays=st.integers(0, 5),
        objective_cause=st.booleans(),
    ),
    max_size=5,
)
TASKS = st.lists(
    st.builds(
        TaskFacts,
        target=st.decimals(min_value=D("0.01"), max_value=20, places=2),
        deadline=DAYS,
        weight=st.decimals(min_value=D("0.01"), max_value=5, places=2),
        results=RESULTS.map(tuple),
    ),
    max_size=8,
)


@given(TASKS, DAYS)
def test_counts_always_nest_and_the_score_stays_within_zero_and_seventy(tasks, as_of):
    counts = task_counts(task_status(t, as_of=as_of) for t in tasks)
    assert 0 <= counts["on_time"] <= counts["completed"] <= counts["assigned"] == len(tasks)
    assert 0 <= counts["exceeded"] <= counts["completed"]
    score = results_score(tasks, as_of=as_of)
    assert score is None if not tasks else D(0) <= score <= D(70)


@given(TASKS, DAYS)
def test_the_order_of_results_and_of_tasks_does_not_matter(tasks, as_of):
    shuffled = [
        TaskFacts(t.target, t.deadline, t.weight, tuple(reversed(t.results)))
        for t in reversed(tasks)
    ]
    assert results_score(shuffled, as_of=as_of) == results_score(tasks, as_of=as_of)
    assert [task_status(t, as_of=as_of).completed_on for t in shuffled] == [
        task_status(t, as_of=as_of).completed_on for t in reversed(tasks)
    ]


@given(TASKS)
def test_a_confirmed_objective_cause_never_lowers_the_score(tasks):
    excused = [
        TaskFacts(
            t.target,
            t.deadline,
            t.weight,
            tuple(
                ResultFacts(r.quantity, r.completed_on, r.quality, r.major_errors, r.delays, True)
                for r in t.results
            ),
        )
        for t in tasks
    ]
    if tasks:
        assert results_score(excused, as_of=LATER) >= results_score(tasks, as_of=LATER)


def test_same_day_results_in_any_order_give_the_same_score():
    excused = res(5, dt.date(2025, 4, 2), objective_cause=True)
    plain = res(5, dt.date(2025, 4, 2))
    a = results_score([task(10, excused, plain)], as_of=LATER)
    b = results_score([task(10, plain, excused)], as_of=LATER)
    assert a == b == D("70.00")
