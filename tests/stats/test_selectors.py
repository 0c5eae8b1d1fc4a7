"""Every figure of the statistics against direct counts in Python over the same rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import selectors
from kiemdiem.stats.shares import LEVEL_KEYS, quota

pytestmark = pytest.mark.django_db


def level_of(e: Evaluation) -> str:
    if e.status in ("decided", "published") and e.decided_level:
        return e.decided_level
    return "NOT_RATED" if e.excluded else "undecided"


def rows_under(cycle, org) -> list[Evaluation]:
    return [
        e
        for e in Evaluation.objects.filter(cycle=cycle).select_related("organization")
        if e.organization.path.startswith(org.path) and e.status != "annulled"
    ]


def direct(rows) -> dict[str, int]:
    counted = Counter(level_of(e) for e in rows)
    return {k: counted.get(k, 0) for k in LEVEL_KEYS}


@pytest.mark.parametrize("which", ["province", "department", "division", "province_party"])
def test_figures_match_direct_counts(generated, which):
    org = getattr(generated.cast, which)
    cycle = generated.cycle
    rows = rows_under(cycle, org)
    today = dt.date(2027, 1, 10)
    stats = selectors.statistics(cycle, org, today=today)

    assert stats.total.by_level == direct(rows)
    assert stats.total.total == len(rows)
    assert {r.key: r.by_level for r in stats.by_role} == {
        role: direct([e for e in rows if e.role == role]) for role in {e.role for e in rows}
    }
    assert {r.key: r.by_level for r in stats.by_track} == {
        t or "collective": direct([e for e in rows if e.track == t])
        for t in {e.track for e in rows}
    }
    statuses = Counter(e.status for e in rows)
    assert {k: v for k, v in stats.progress.items() if v} == dict(statuses)
    # After both deadlines every unsubmitted evaluation is overdue.
    assert stats.overdue == statuses["draft"] + statuses["returned"]
    assert stats.previous_cycle == generated.previous
    assert stats.previous == direct(rows_under(generated.previous, org))


def test_each_child_row_is_its_subtree(generated):
    cast = generated.cast
    stats = selectors.statistics(generated.cycle, cast.department)
    by_org = {r.organization.pk: r for r in stats.children if r.organization}
    assert set(by_org) == {cast.board.pk, cast.division.pk, cast.sibling.pk}
    for child in (cast.board, cast.division, cast.sibling):
        assert by_org[child.pk].by_level == direct(rows_under(generated.cycle, child))
    own = [r for r in stats.children if r.organization is None]
    at_department = [
        e
        for e in rows_under(generated.cycle, cast.department)
        if e.organization_id == cast.department.pk
    ]
    assert [r.by_level for r in own] == ([direct(at_department)] if at_department else [])
    assert sum(r.total for r in stats.children) == stats.total.total


def test_overdue_follows_each_tracks_deadline(generated):
    cycle = generated.cycle  # state deadline 15/12, party deadline 31/12
    org = generated.cast.province_party
    rows = rows_under(cycle, org)
    stats = selectors.statistics(cycle, org, today=dt.date(2026, 12, 20))
    assert stats.overdue == sum(
        1 for e in rows if e.status in ("draft", "returned") and e.track == "state"
    )
    assert selectors.statistics(cycle, org, today=dt.date(2026, 12, 1)).overdue == 0


def test_quota_per_peer_group(generated):
    org = generated.cast.province_party
    stats = selectors.statistics(generated.cycle, org)
    assert stats.quotas
    for q in stats.quotas:
        members = [
            e
            for e in rows_under(generated.cycle, org)
            if e.peer_group and e.peer_group.name == q.name
        ]
        done = [e for e in members if e.status in ("decided", "published")]
        excellent = sum(1 for e in done if e.decided_level == "HTXSNV")
        good = sum(1 for e in done if e.decided_level == "HTTNV")
        assert (q.excellent, q.good) == (excellent, good)
        r = Decimal(q.ratio)
        assert q.allowed == int((excellent + good) * r // (1 + r))
        assert q.within == (excellent <= q.allowed)


def test_bounded_queries(generated, django_assert_max_num_queries):
    """The tables in five queries, the compliance checks in three more, whatever the size."""
    with django_assert_max_num_queries(8):
        selectors.statistics(generated.cycle, generated.cast.province_party)


def test_annulled_evaluations_are_left_out(generated):
    org = generated.cast.division
    before = selectors.by_level(generated.cycle, org)
    Evaluation.objects.filter(cycle=generated.cycle, organization=org).update(status="annulled")
    assert sum(selectors.by_level(generated.cycle, org).values()) == 0
    assert sum(before.values()) > 0


def test_quota_arithmetic():
    assert quota(2, 8, "0.20") == 1  # 10 × 0.2 / 1.2 = 1.67
    assert quota(3, 9, "0.20") == 2
    assert quota(0, 0, "0.20") == 0
    assert quota(5, 5, "bad") == 0
