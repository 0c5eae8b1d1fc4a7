"""Rule-set files: one module per rule set, named as it is named in ``rules`` (contract 2).

Each defines ``RULESET = RuleSet(...)`` (see ``kiemdiem.engine.ruleset``). The registry finds
them by listing this package, so adding a file adds a rule set.
"""
