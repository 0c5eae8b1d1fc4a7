"""A province's variant is a new rule-set file, not new code: a throwaway points-based state rule
set, unknown to the web layer, runs a cycle and a self-review end to end — its templates, its
exclusions at opening, its required facts, its thresholds — because the web layer asks the rule
set (`kiemdiem.reviews.rules`) instead of deciding by its name."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from decimal import Decimal

import pytest

import kiemdiem.engine.rulesets
from kiemdiem.engine import ruleset as registry
from kiemdiem.orgs import people
from kiemdiem.reviews import rules
from kiemdiem.reviews.criteria.loader import criteria_load
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.services import cycle_create
from kiemdiem.reviews.evaluations.engine import load_rows, missing_facts, suggest
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.services import self_review_save, self_review_submit
from tests.conftest import make_person
from tests.reviews.selfreview.support import add_task

THROWAWAY = """
from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, RuleSet

RULESET = RuleSet(
    name="tinhthu",
    title="Tỉnh Thử — quy định thử",
    track="state",
    kind="points",
    requires=("score",),
    exclusions=(Check("TT-2", "months_below", ("9",), "individual"),),
    knockouts=(Check("TT-4", "score_below", ("40",)),),
    levels=(
        LevelRule("HTXSNV", "TT-4", (Cond("score_at_least", ("85",)),)),
        LevelRule("HTTNV", "TT-4", (Cond("score_at_least", ("65",)),)),
        LevelRule("HTNV", "TT-4", (Cond("score_at_least", ("40",)),)),
    ),
    facts=(FactSpec("score"),),
    own_caps=(),
    quota_rule="TT-5",
    no_level_review="TT-4",
    criteria_family="nd335",
)
"""


def _clear_registry() -> None:
    for value in vars(registry).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture
def throwaway(tmp_path, monkeypatch):
    """`tinhthu.py` dropped beside the shipped rule sets (on the package's search path)."""
    (tmp_path / "tinhthu.py").write_text(THROWAWAY, encoding="utf-8")
    monkeypatch.setattr(
        kiemdiem.engine.rulesets, "__path__", [*kiemdiem.engine.rulesets.__path__, str(tmp_path)]
    )
    _clear_registry()
    importlib.invalidate_caches()
    yield "tinhthu"
    sys.modules.pop("kiemdiem.engine.rulesets.tinhthu", None)
    monkeypatch.undo()
    _clear_registry()


def test_the_web_layer_reads_what_the_rule_set_says(throwaway):
    assert rules.exists("tinhthu") and rules.is_points("tinhthu")
    assert rules.criteria_family("tinhthu") == "nd335"
    assert rules.ledger_scores("tinhthu") is False and rules.ledger_scores("nd335") is True
    assert rules.missing_facts("tinhthu", {"score": None, "tasks_assigned": 0}) == ["tổng điểm"]
    exclusions = rules.opening_exclusions("tinhthu")
    assert (exclusions.months_rule, exclusions.months_minimum) == ("TT-2", Decimal(9))


def test_a_throwaway_points_rule_set_runs_a_cycle_and_a_self_review_end_to_end(cast, throwaway):
    criteria_load()
    newcomer = make_person("Phạm Thị Mới")
    people.position_add(
        actor=None,
        person=newcomer,
        organization=cast.division,
        title="Chuyên viên",
        start_date=dt.date(2026, 5, 1),
    )
    cycle = cycle_create(
        actor=cast.approver,
        name="Năm 2026",
        year=2026,
        scope=cast.department,
        state_rules="tinhthu",
    )
    state_templates = CriteriaTemplate.objects.filter(
        pk__in=cycle.templates.values(), track="state"
    )
    assert {t.family for t in state_templates} == {"nd335"}

    cycle_open(actor=cast.approver, cycle=cycle)
    staff = Evaluation.objects.get(cycle=cycle, person=cast.staff_person, track="state")
    late = Evaluation.objects.get(cycle=cycle, person=newcomer, track="state")
    assert late.excluded and "dưới 9 tháng" in late.exclusion_reason
    assert late.exclusion_reason.endswith("(TT-2).")
    assert missing_facts(cycle, load_rows(cycle, [staff.pk])[staff.pk]) == ["tổng điểm"]

    # A scored ledger task: the results group is still typed, the rule set does not take the
    # ledger's NĐ 335 score.
    add_task(cast.staff_person, cast.division)
    general = {f"1.{i}": "5" for i in range(1, 7)}
    results = {"2.1": "16", "2.2": "10", "2.3": "10"}
    sections = {
        code: "Thẩm định 48 hồ sơ, ban hành 12 văn bản."
        for code in ("chung", "ket_qua_nhiem_vu", "han_che")
    }
    outcome = self_review_save(
        actor=cast.staff,
        evaluation=staff,
        expected_version=0,
        sections=sections,
        criteria={**general, **results},
        proposed_level="HTTNV",
    )
    assert outcome.mapped.ledger_groups == [] and outcome.mapped.facts["score"] == Decimal("66.00")
    self_review_submit(actor=cast.staff, evaluation=staff)
    staff.refresh_from_db()
    assert (staff.status, staff.score) == ("submitted", Decimal("66.00"))

    suggestion = suggest(staff)
    # 66 is HTTNV under this rule set (≥ 65) where NĐ 335 would say HTNV (< 70).
    assert (suggestion.level, suggestion.base_level) == ("HTTNV", "HTTNV")
    assert "TT-4" in {r["rule"] for r in suggestion.reasons}
