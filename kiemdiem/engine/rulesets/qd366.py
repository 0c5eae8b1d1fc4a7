"""QĐ 366-QĐ/TW + HD 43-HD/BTCTW: party side from review year 2025 (regulations.md §2).

Contract 4 and 4.1: 100-point score; leaders' task conditions on the unit they lead (366-16,
366-21, 366-23; X-8); ``leadership`` collectives: knock-out on ``leadership_of``'s tasks, level
conditions on own tasks (9.16); organizations and party organizations have no discipline
knock-out (366-28, 9.15); a knock-out from a self-remedied discipline is flagged for review
(366-27). No own cap: rated on actual results (366-40).
"""

from kiemdiem.engine.ruleset import Check, Cond, FactSpec, LevelRule, Review, RuleSet

KO = (
    ("leadership", "366-24"),
    ("leader", "366-25"),
    ("nonleader", "366-26"),
    ("unit", "366-28"),
)
MITIGATION = Review("366-27", "self_remedied_discipline", ("duty_related",))

RULESET = RuleSet(
    name="qd366",
    title="QĐ 366-QĐ/TW + HD 43-HD/BTCTW (2025 →)",
    track="party",
    kind="points",
    requires=("score", "tasks"),
    exclusions=(Check("366-3", "party_excluded", who="individual"),),
    knockouts=(
        Check(KO, "degradation"),
        Check(KO, "score_below", ("50",)),
        Check(KO, "current_discipline", ("duty_related",), "individual", review=MITIGATION),
        Check(KO, "flag", ("prohibition_violation",), "individual"),
        Check(KO, "failed_share_above", ("own", "1/2"), "individual"),
        Check(KO, "done_share_below", ("unit", "70%"), "leader"),
        Check(KO, "flag", ("socioeconomic_targets_failed",), "leader"),
        Check(KO, "managed_knocked_out_over_half", (), "leader"),
        Check(KO, "low_confidence_above", ("0.5",), "leader"),
        Check(KO, "flag", ("corruption_in_managed_unit",), "leader"),
        Check(KO, "flag", ("cadre_work_wrongdoing",), "leadership"),
        Check(KO, "current_discipline", ("duty_related",), "leadership", review=MITIGATION),
        Check(KO, "done_share_below", ("unit", "70%"), "leadership"),
        Check(KO, "flag", ("socioeconomic_targets_failed",), "leadership"),
    ),
    levels=(
        LevelRule(
            "HTXSNV",
            (("collective", "366-15"), ("leader", "366-16"), ("nonleader", "366-17")),
            (
                Cond("score_at_least", ("90",)),
                Cond("all_on_time", ("unit",), "leader"),
                Cond("exceeded_share_at_least", ("unit", "30%"), "leader"),
                Cond("all_on_time", ("own",), "nonleader"),
                Cond("exceeded_share_at_least", ("own", "30%"), "nonleader"),
                Cond("all_on_time", ("own",), "collective"),
                Cond("exceeded_share_at_least", ("own", "30%"), "collective"),
                Cond("shortcomings_remedied"),
                Cond("no_current_discipline", (), "collective"),
            ),
        ),
        LevelRule(
            "HTTNV",
            (("collective", "366-20"), ("leader", "366-21"), ("nonleader", "366-22")),
            (
                Cond("score_at_least", ("70",)),
                Cond("all_on_time", ("unit",), "leader"),
                Cond("all_on_time", ("own",), "nonleader"),
                Cond("all_on_time", ("own",), "collective"),
            ),
        ),
        LevelRule(
            "HTNV",
            "366-23",
            (
                Cond("score_at_least", ("50",)),
                Cond("all_done", ("unit",), "leader"),
                Cond("late_share_at_most", ("unit", "20%"), "leader"),
                Cond("all_done", ("own",), "nonleader"),
                Cond("late_share_at_most", ("own", "20%"), "nonleader"),
                Cond("all_done", ("own",), "collective"),
                Cond("late_share_at_most", ("own", "20%"), "collective"),
            ),
        ),
    ),
    facts=(
        FactSpec("score"),
        FactSpec("unit_tasks", "leader"),
        FactSpec("own_tasks", "nonleader"),
        FactSpec("own_tasks", "collective"),
    ),
    own_caps=(),
    quota_rule="366-19",
    no_level_review="366-34",
)
