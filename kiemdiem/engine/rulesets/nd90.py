"""NĐ 90/2020/NĐ-CP as amended by NĐ 48/2023: state side up to review year 2025 (§4).

Contract 4, 4.1, 4.2: staff on their own tasks; leaders also on the unit they lead (``leads``)
and on the final levels of the units they manage (ND90-12, ND90-14, ND90-15; 9.17). Any
current-year discipline knocks out (ND90-6). Fewer than 6 months worked without maternity →
NOT_RATED (ND90-2); absent 3 months or more → at most HTNV (ND90-3).
"""

from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, RuleSet

RULESET = RuleSet(
    name="nd90",
    title="NĐ 90/2020/NĐ-CP + NĐ 48/2023/NĐ-CP (→ 2025)",
    track="state",
    kind="grades",
    requires=("general", "tasks"),
    exclusions=(Check("ND90-2", "months_below", ("6",), "individual"),),
    knockouts=(
        Check("ND90-16", "degradation"),
        Check("ND90-16", "grade_is", ("general", "poor")),
        Check("ND90-6", "current_discipline", ("any",)),
        Check("ND90-16", "late_or_failed_share_above", ("own", "1/2")),
        Check("ND90-16", "done_share_below", ("unit", "50%"), "leader"),
        Check("ND90-16", "flag", ("corruption_in_managed_unit",), "leader"),
    ),
    levels=(
        LevelRule(
            "HTXSNV",
            (("leader", "ND90-12"), ("all", "ND90-11")),
            (
                Cond("general_at_least", ("good",)),
                Cond("all_on_time", ("own",)),
                Cond("exceeded_share_at_least", ("own", "50%")),
                Cond("all_done", ("unit",), "leader"),
                Cond("on_time_share_at_least", ("unit", "80%"), "leader"),
                Cond("exceeded_share_at_least", ("unit", "50%"), "leader"),
                Cond("managed_all_at_least", ("HTNV",), "leader"),
                Cond("managed_share_at_least", ("HTTNV", "70%"), "leader"),
            ),
        ),
        LevelRule(
            "HTTNV",
            (("leader", "ND90-14"), ("all", "ND90-13")),
            (
                Cond("general_at_least", ("good",)),
                Cond("all_on_time", ("own",)),
                Cond("all_done", ("unit",), "leader"),
                Cond("on_time_share_at_least", ("unit", "80%"), "leader"),
                Cond("managed_all_at_least", ("HTNV",), "leader"),
                Cond("managed_share_at_least", ("HTTNV", "70%"), "leader"),
            ),
        ),
        LevelRule(
            "HTNV",
            "ND90-15",
            (
                Cond("general_at_least", ("average",)),
                Cond("all_done", ("own",)),
                Cond("late_share_at_most", ("own", "20%")),
                Cond("done_share_above", ("unit", "70%"), "leader"),
                Cond("managed_share_at_least", ("HTNV", "70%"), "leader"),
            ),
        ),
    ),
    facts=(
        FactSpec("general"),
        FactSpec("own_tasks"),
        FactSpec("unit_tasks", "leader"),
        FactSpec("managed", "leader"),
    ),
    own_caps=(Check("ND90-3", "absent_at_least", ("3",), "individual", limit="HTNV"),),
    quota_rule="ND90-9",
    no_level_review="ND90-17",
)
