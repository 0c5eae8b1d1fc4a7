"""What the web application asks a rule set, instead of deciding by its name.

A province's variant is a new rule-set file (`kiemdiem/engine/rulesets/`); everything the pages,
the opening and the self-review need to know about it is read from its `RuleSet`:

- points or grades (`kind`), which facts it requires before it can classify (`requires`);
- which criteria-template family its forms come from (`criteria_family`, default its own name);
- whether the ledger's NĐ 335 results score fills the form's results group (`ledger_score`);
- the exclusions the opening applies and the rule id it cites (`exclusions`, by predicate).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemdiem.engine import available_rulesets
from kiemdiem.engine import ruleset as registry
from kiemdiem.engine.core import DEFAULT_RULES
from kiemdiem.engine.ruleset import AUDIENCES, RuleId, RuleSet

TRACKS = ("party", "state")


def exists(name: str) -> bool:
    return registry.exists(name)


def ruleset(name: str) -> RuleSet:
    """The rule set of that name (KeyError for an unknown name)."""
    return registry.load(name)


def is_points(name: str) -> bool:
    return ruleset(name).kind == "points"


def ledger_scores(name: str) -> bool:
    return ruleset(name).ledger_score


def criteria_family(name: str) -> str:
    return ruleset(name).criteria_family or name


def default_rules(year: int) -> dict[str, str]:
    """The contract's defaults by review year (classification.md 2, `rules`), from the engine."""
    out = {}
    for track, spans in DEFAULT_RULES.items():
        for first, last, name in spans:
            if first <= year <= last:
                out[track] = name
    return out


def rules_errors(
    year: int, party: str | None, state: str | None
) -> tuple[dict[str, str], dict[str, str]]:
    """The rule sets a cycle of `year` uses (the given ones, else the year's defaults) and what
    is wrong with them, by form field."""
    errors: dict[str, str] = {}
    defaults = default_rules(year)
    chosen = {
        "party": party or defaults.get("party", ""),
        "state": state or defaults.get("state", ""),
    }
    labels = {"party": _("bên Đảng"), "state": _("bên chính quyền")}
    for track, name in chosen.items():
        field_name = f"{track}_rules"
        if not name:
            errors[field_name] = _(
                "Năm %(year)s chưa có bộ quy tắc mặc định %(track)s; hãy chọn bộ quy tắc."
            ) % {"year": year, "track": labels[track]}
        elif not exists(name):
            errors[field_name] = _("Bộ quy tắc “%(name)s” không tồn tại (có: %(names)s).") % {
                "name": name,
                "names": ", ".join(available_rulesets()),
            }
        elif (own := ruleset(name).track) != track:
            errors[field_name] = _(
                "“%(name)s” là bộ quy tắc %(own)s, không dùng cho %(track)s."
            ) % {
                "name": name,
                "own": labels[own],
                "track": labels[track],
            }
    return chosen, errors


# --- the facts a rule set needs -------------------------------------------------------------

#: How a required fact is missing from an evaluation row, and its name on the pages.
_REQUIRED: dict[str, tuple[Callable[[Mapping[str, Any]], bool], Any]] = {
    "score": (lambda row: row.get("score") is None, gettext_lazy("tổng điểm")),
    "general": (lambda row: not row.get("general"), gettext_lazy("mức tiêu chí chung")),
    "results_grade": (
        lambda row: not row.get("results_grade"),
        gettext_lazy("mức kết quả thực hiện nhiệm vụ"),
    ),
    "tasks": (lambda row: not row.get("tasks_assigned"), gettext_lazy("số nhiệm vụ được giao")),
}


def missing_facts(name: str, row: Mapping[str, Any]) -> list[str]:
    """The facts rule set `name` requires and the row lacks (Vietnamese labels, for the pages).

    A fact the web layer has no label for (a new engine field) is named by its field."""
    missing = []
    for fact in ruleset(name).requires:
        if fact in _REQUIRED:
            is_missing, label = _REQUIRED[fact]
            if is_missing(row):
                missing.append(str(label))
        elif row.get(fact) in (None, ""):
            missing.append(fact)
    return missing


# --- the exclusions the opening applies -----------------------------------------------------


@dataclass(frozen=True)
class OpeningExclusions:
    """The exclusions of one rule set that the opening can decide from the tree (and shows with
    their reason before any scoring). Others stay the engine's alone, applied when it classifies."""

    party_rule: str = ""
    """Exempt or suspended, or admitted after 30 June (`party_excluded`); its rule id."""
    months_rule: str = ""
    """Fewer than `months_minimum` months worked (`months_below`, annual cycles); its rule id."""
    months_minimum: Decimal = Decimal(0)


def _rule_for(rule: RuleId, role: str) -> str:
    if isinstance(rule, str):
        return rule
    for who, rid in rule:
        if role in AUDIENCES[who]:
            return rid
    return ""


def opening_exclusions(name: str, role: str = "staff") -> OpeningExclusions:
    party_rule = months_rule = ""
    minimum = Decimal(0)
    for check in ruleset(name).exclusions:
        if role not in AUDIENCES[check.who]:
            continue
        if check.predicate == "party_excluded":
            party_rule = _rule_for(check.rule, role)
        elif check.predicate == "months_below":
            months_rule = _rule_for(check.rule, role)
            minimum = Decimal(check.args[0])
    return OpeningExclusions(party_rule, months_rule, minimum)
