"""Hải Phòng QĐ 212/2025/QĐ-UBND (18/11/2025): a local state-track variant (regulations.md §7).

Shipped to show that a province's variant is a new rule-set file and no engine change; select it
with ``"rules": {"state": "haiphong212"}``. Reading (documented in bench/ENGINE_RESULTS.md):

* 100 points = 20 general + 80 results, carried in ``score`` (0–100).
* Art 6 (non-leaders, ``HP212-6``) and Art 7 (leaders, ``HP212-7``):
  HTXSNV score strictly above 90 ("trên 90"), t = a and e ≥ 50% of a;
  HTTNV score strictly above 80 ("trên 80 đến 90"), t = a;
  HTNV score at least 50, c = a and late ≤ 20% of a.
  So exactly 90 is HTTNV and exactly 80 is HTNV.
* Knock-outs (Arts 6.4, 7.4): score < 50, degradation, late + failed > a/2, any current-year
  discipline; leaders also: unit tasks c < 50% of a (``leads``) and
  ``corruption_in_managed_unit``.
* Art 3 copies NĐ 90 Art 2 (``HP212-3``): fewer than 6 months worked without maternity →
  NOT_RATED; absent 3 months or more → at most HTNV; the quota follows the party ratio.
"""

from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, RuleSet

ART = (("leader", "HP212-7"), ("all", "HP212-6"))

RULESET = RuleSet(
    name="haiphong212",
    title="Hải Phòng QĐ 212/2025/QĐ-UBND",
    track="state",
    kind="points",
    requires=("score", "tasks"),
    exclusions=(Check("HP212-3", "months_below", ("6",), "individual"),),
    knockouts=(
        Check(ART, "degradation"),
        Check(ART, "score_below", ("50",)),
        Check(ART, "current_discipline", ("any",)),
        Check(ART, "late_or_failed_share_above", ("own", "1/2")),
        Check(ART, "done_share_below", ("unit", "50%"), "leader"),
        Check(ART, "flag", ("corruption_in_managed_unit",), "leader"),
    ),
    levels=(
        LevelRule(
            "HTXSNV",
            ART,
            (
                Cond("score_above", ("90",)),
                Cond("all_on_time", ("own",)),
                Cond("exceeded_share_at_least", ("own", "50%")),
            ),
        ),
        LevelRule(
            "HTTNV",
            ART,
            (Cond("score_above", ("80",)), Cond("all_on_time", ("own",))),
        ),
        LevelRule(
            "HTNV",
            ART,
            (
                Cond("score_at_least", ("50",)),
                Cond("all_done", ("own",)),
                Cond("late_share_at_most", ("own", "20%")),
            ),
        ),
    ),
    facts=(FactSpec("score"), FactSpec("own_tasks")),
    own_caps=(Check("HP212-3", "absent_at_least", ("3",), "individual", limit="HTNV"),),
    quota_rule="HP212-3",
    no_level_review="HP212-8",
    # No forms of its own yet: the national NĐ 335 forms; the 80-point results group is typed.
    criteria_family="nd335",
)
