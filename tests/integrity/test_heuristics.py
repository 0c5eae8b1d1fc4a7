"""Each heuristic on hand-made rows: the anomaly planted is found, the same rows without it
give nothing. No database."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kiemdiem.integrity.heuristics import HEURISTICS, leniency, padding, quota, unsupported
from kiemdiem.integrity.heuristics.base import (
    AuditRow,
    Data,
    EvalRow,
    GroupRow,
    ProductRow,
    TaskRow,
    Thresholds,
)
from kiemdiem.integrity.heuristics.stattest import (
    benjamini_hochberg,
    binomial_sf,
    fisher_greater,
)

T = Thresholds()
LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]


def _rows(units: int = 20, size: int = 12, seed: int = 3, first_id: int = 1) -> list[EvalRow]:
    rng = random.Random(seed)
    rows = []
    for u in range(units):
        for i in range(size):
            level = rng.choices(LEVELS, [0.05, 0.45, 0.45, 0.05])[0]
            rows.append(
                EvalRow(
                    id=first_id + u * size + i, org_id=100 + u, org_path=f"1.{100 + u}.",
                    subject="individual", role="staff", track="state", level=level,
                    person_id=u * size + i, suggested=level, meeting=level, decider_id=1,
                )
            )  # fmt: skip
    return rows


def test_binomial_tail_matches_known_values():
    assert binomial_sf(3, 3, 0.5) == pytest.approx(0.125)
    assert binomial_sf(0, 10, 0.3) == 1.0
    assert binomial_sf(9, 10, 0.5) == pytest.approx(11 / 1024)
    assert binomial_sf(5, 4, 0.5) == 0.0
    # large n stays finite and monotone
    assert 0 < binomial_sf(6000, 10000, 0.5) < binomial_sf(5100, 10000, 0.5) < 0.05


def test_fisher_one_sided():
    # 3 of 3 against 0 of 3: hypergeometric tail 1 / C(6, 3)
    assert fisher_greater(3, 3, 0, 3) == pytest.approx(1 / 20)
    assert fisher_greater(0, 3, 3, 3) == 1.0
    assert fisher_greater(2, 4, 2, 4) > 0.5


def test_benjamini_hochberg_step_up():
    p = [0.01, 0.02, 0.03, 0.04, 0.5]
    assert benjamini_hochberg(p, 0.05) == [True, True, True, True, False]
    assert benjamini_hochberg([0.04, 0.9], 0.05) == [False, False]
    assert benjamini_hochberg([], 0.05) == []


def test_every_heuristic_quiet_on_clean_rows():
    data = Data(evaluations=_rows(), previous=_rows(seed=4, first_id=10_000))
    assert {code: fn(data, T) for code, fn in HEURISTICS.items() if fn(data, T)} == {}


def test_leniency_found_and_small_unit_not_flagged_on_100_percent():
    rows = _rows()
    for r in rows[:12]:
        r.level = "HTTNV"
    small = [
        EvalRow(id=9000 + i, org_id=999, org_path="1.999.", subject="individual", role="staff",
                track="state", level="HTXSNV", person_id=9000 + i)
        for i in range(3)
    ]  # fmt: skip
    found = leniency.leniency(Data(evaluations=rows + small), T)
    assert [f.org_id for f in found] == [100]
    assert found[0].numbers["k"] == 12 and found[0].numbers["p_value"] < 0.001


def test_levelling_found():
    rows = _rows()
    for r in rows[12:24]:
        r.level = "HTNV"
    assert [f.org_id for f in leniency.levelling(Data(evaluations=rows), T)] == [101]


def test_trend_against_previous_year():
    now, before = _rows(), _rows(seed=4, first_id=10_000)
    for r in before[:12]:
        r.level = "HTNV"
    for r in now[:12]:
        r.level = "HTTNV" if r.id % 6 else "HTNV"
    found = leniency.trend(Data(evaluations=now, previous=before), T)
    assert [f.org_id for f in found] == [100]


def test_upward_decider():
    rows = _rows()
    for r in rows[:6]:
        r.decider_id, r.suggested, r.level = 7, "HTNV", "HTTNV"
    assert [f.decider_id for f in leniency.upward_deciders(Data(evaluations=rows), T)] == [7]
    rows[0].level = "KHTNV"  # one departure downward: no longer "all upward"
    assert leniency.upward_deciders(Data(evaluations=rows), T) == []


def test_low_evidence_and_above_meeting_and_leader_above_unit():
    rows = _rows()
    rows[0].level, rows[0].quantification = "HTXSNV", 10
    rows[1].level, rows[1].meeting = "HTTNV", "HTNV"
    unit = EvalRow(id=5000, org_id=100, org_path="1.100.", subject="collective",
                   role="organization", track="", level="HTNV")  # fmt: skip
    rows[2].head_of_id, rows[2].level = 5000, "HTTNV"
    data = Data(evaluations=[*rows, unit])
    assert [f.evaluation_id for f in unsupported.low_evidence(data, T)] == [rows[0].id]
    assert rows[1].id in [f.evaluation_id for f in unsupported.above_meeting(data, T)]
    assert [f.evaluation_id for f in unsupported.leader_above_unit(data, T)] == [rows[2].id]
    rows[2].level = "HTNV"
    assert unsupported.leader_above_unit(data, T) == []


def _task(i: int, person: int, **kw) -> TaskRow:
    base = dict(id=i, person_id=person, org_id=100, org_path="1.100.", self_set=True,
                approved=True, assigned_on=dt.date(2026, 3, 1), created_on=dt.date(2026, 3, 1),
                target=2.0)  # fmt: skip
    return TaskRow(**(base | kw))


def test_ledger_padding():
    deadline = dt.date(2026, 12, 15)
    tasks = [_task(i, 1, created_on=dt.date(2026, 12, 1)) for i in range(3)]
    tasks += [_task(10 + i, 2, has_result=True, exceeded=True) for i in range(4)]
    tasks += [_task(20, 3, has_result=True, first_result_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))]
    products = [
        ProductRow(100 + i, i, 100, "1.100.", 1, doc_key="7/QĐ 2026-01-02") for i in range(4)
    ]
    products += [ProductRow(200 + i, 10 + i, 100, "1.100.", 1, sha256="f" * 64) for i in range(2)]
    events = [AuditRow(20, "task.update", dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
                       {"target_quantity": "2.00"}, {"target_quantity": "1.00"})]  # fmt: skip
    data = Data(
        evaluations=[], tasks=tasks, products=products, task_events=events, deadline=deadline
    )
    assert [f.person_id for f in padding.late_registration(data, T)] == [1]
    assert [f.person_id for f in padding.self_set_exceeded(data, T)] == [2]
    assert [f.numbers["task"] for f in padding.target_changed(data, T)] == [20]
    assert [f.numbers["people"] for f in padding.shared_document(data, T)] == [4]
    assert [f.numbers["people"] for f in padding.identical_files(data, T)] == [2]
    # Below the thresholds, and a change before the first result: nothing.
    quiet = Data(evaluations=[], tasks=tasks[:2] + tasks[3:6] + [tasks[-1]],
                 products=products[:3] + products[4:5], deadline=deadline,
                 task_events=[AuditRow(20, "task.update", dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
                                       {"target_quantity": "2.00"}, {"target_quantity": "1.00"})])  # fmt: skip
    assert [fn(quiet, T) for fn in HEURISTICS.values() if fn(quiet, T)] == []


def test_quota_ceiling_needs_both_years():
    now, before = _rows(units=5), _rows(units=5, seed=9, first_id=10_000)
    for rows in (now, before):
        good = [r for r in rows if r.level in ("HTXSNV", "HTTNV")]
        for i, r in enumerate(good):
            r.level, r.peer_group_id = ("HTXSNV" if i < len(good) // 5 else "HTTNV"), 1
    data = Data(evaluations=now, previous=before, groups=[GroupRow(1, "G", "0.25")],
                previous_groups=[GroupRow(1, "G", "0.25")])  # fmt: skip
    assert [f.numbers["group"] for f in quota.quota_ceiling(data, T)] == ["G"]
    data.previous_groups = []
    assert quota.quota_ceiling(data, T) == []


def test_ties_always_to_leaders_and_out_of_order():
    rows = _rows()
    for g in range(3):
        unit = rows[g * 12 : g * 12 + 3]
        unit[0].role, unit[0].suggested, unit[0].level = "leader", "HTXSNV", "HTXSNV"
        for r in unit[1:]:
            r.suggested, r.level = "HTXSNV", "HTTNV"
        for r in unit:
            r.peer_group_id, r.decider_id = g, 9
    assert [f.decider_id for f in quota.ties(Data(evaluations=rows), T)] == [9]
    rows[1].role = "leader"
    rows[0].role = "staff"  # one tie went to a non-leader: not "always"
    assert quota.ties(Data(evaluations=rows), T) == []
    t0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    rows[5].head_of_id = 7000
    unit = EvalRow(id=7000, org_id=100, org_path="1.100.", subject="collective",
                   role="organization", track="", level="HTTNV")  # fmt: skip
    events = [
        AuditRow(rows[5].id, "evaluation.decide", t0, None, {"level": "HTXSNV"}),
        AuditRow(7000, "evaluation.decide", t0 + dt.timedelta(hours=1), None, {"level": "HTTNV"}),
        AuditRow(
            rows[5].id, "evaluation.decide", t0 + dt.timedelta(hours=2), None, {"level": "HTTNV"}
        ),
    ]
    data = Data(evaluations=[*rows, unit], decide_events=events)
    assert [f.evaluation_id for f in quota.out_of_order(data, T)] == [rows[5].id]
    data.decide_events = [events[1], events[0], events[2]]
    data.decide_events[0].at = t0 - dt.timedelta(hours=1)  # the unit first: in order
    assert quota.out_of_order(data, T) == []


def test_thresholds_from_values_ignores_unknown_and_casts():
    t = Thresholds.from_values({"min_unit_size": "8", "fdr": 0.1, "nonsense": 1})
    assert t.min_unit_size == 8 and t.fdr == 0.1


def test_heuristics_import_no_django():
    """The heuristics run on plain rows: testable without a database, like the engine."""
    import ast
    from pathlib import Path

    import kiemdiem.integrity.heuristics as package

    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("django"), (path.name, name)
                assert not name.startswith("kiemdiem") or name.startswith(
                    "kiemdiem.integrity.heuristics"
                ), (path.name, name)
