"""NĐ 335/2025/NĐ-CP: state side from review year 2026 (regulations.md §5).

Contract 4, 4.1, 4.2: 100-point score only (ND335-4); ``tasks`` optional. The ND90-2
exclusion is kept until the final text says otherwise; no own cap (ND335-6).
"""

from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, RuleSet

RULESET = RuleSet(
    name="nd335",
    title="NĐ 335/2025/NĐ-CP (2026 →)",
    track="state",
    kind="points",
    requires=("score",),
    exclusions=(Check("ND90-2", "months_below", ("6",), "individual"),),
    knockouts=(
        Check("ND335-4", "degradation"),
        Check("ND335-4", "score_below", ("50",)),
        Check("ND335-4", "current_discipline", ("duty_related",)),
        Check("ND335-4", "flag", ("prohibition_violation",)),
        Check("ND335-4", "flag", ("corruption_in_managed_unit",), "leader"),
    ),
    levels=(
        LevelRule("HTXSNV", "ND335-4", (Cond("score_at_least", ("90",)),)),
        LevelRule("HTTNV", "ND335-4", (Cond("score_at_least", ("70",)),)),
        LevelRule("HTNV", "ND335-4", (Cond("score_at_least", ("50",)),)),
    ),
    facts=(FactSpec("score"),),
    own_caps=(),
    quota_rule="ND335-5",
    no_level_review="ND335-4",
    ledger_score=True,
)
