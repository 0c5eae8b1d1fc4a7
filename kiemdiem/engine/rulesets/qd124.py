"""QĐ 124-QĐ/TW + HD 25-HD/BTCTW: party side for review years 2023–2024 (regulations.md §3).

Contract 4, 4.1, 4.2: criterion grades. A current-year discipline that is not self-remedied is
a knock-out (124-13); a self-remedied one only blocks HTXSNV through "no current-year
discipline" (124-11, 9.14). Individuals' HTTNV/HTNV wording was not found (124-15): the ``nd90``
task pattern. Leaders are judged on their own tasks (9.16). Own cap: ``absent_months`` ≥ 3 →
at most HTNV (the project's reading of the HD 21 lineage; rule id 124-18, where HD 25's leave
rules were looked for).
"""

from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, RuleSet

RULESET = RuleSet(
    name="qd124",
    title="QĐ 124-QĐ/TW + HD 25-HD/BTCTW (2023–2024)",
    track="party",
    kind="grades",
    requires=("general", "results_grade", "tasks"),
    exclusions=(Check("124-2", "party_excluded", who="individual"),),
    knockouts=(
        Check("124-13", "degradation"),
        Check("124-13", "grade_is", ("general", "poor")),
        Check("124-13", "grade_is", ("results_grade", "poor")),
        Check("124-13", "current_discipline", ("not_self_remedied",)),
        Check("124-13", "failed_share_above", ("own", "1/2"), "individual"),
    ),
    levels=(
        LevelRule(
            "HTXSNV",
            (("collective", "124-9"), ("individual", "124-10")),
            (
                Cond("general_at_least", ("good",)),
                Cond("results_is", ("excellent",)),
                Cond("all_on_time", ("own",), "individual"),
                Cond("exceeded_share_at_least", ("own", "50%"), "individual"),
                Cond("no_current_discipline"),
            ),
        ),
        LevelRule(
            "HTTNV",
            (("collective", "124-11"), ("individual", "124-15")),
            (
                Cond("general_at_least", ("average",), "collective"),
                Cond("general_at_least", ("good",), "individual"),
                Cond("results_at_least", ("good",)),
                Cond("all_on_time", ("own",), "individual"),
            ),
        ),
        LevelRule(
            "HTNV",
            (("collective", "124-12"), ("individual", "124-15")),
            (
                Cond("general_at_least", ("average",)),
                Cond("results_at_least", ("average",)),
                Cond("all_done", ("own",), "individual"),
                Cond("late_share_at_most", ("own", "20%"), "individual"),
            ),
        ),
    ),
    facts=(FactSpec("grades"), FactSpec("own_tasks", "individual")),
    own_caps=(Check("124-18", "absent_at_least", ("3",), "individual", limit="HTNV"),),
    quota_rule="124-14",
    no_level_review="124-8",
)
