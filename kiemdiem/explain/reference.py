"""The rule reference: every rule id the engine can cite → its citation and short wording.

Data in `data/rules.json` (Vietnamese, as the texts say it); a test fails when the engine cites
a rule id that has no entry here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "rules.json"


@dataclass(frozen=True)
class RuleRef:
    id: str
    source: str
    citation: str
    title: str
    text: str

    @property
    def source_title(self) -> str:
        return ruleset_title(self.source)


@cache
def _data() -> dict[str, dict[str, dict[str, str] | str]]:
    data: dict[str, dict[str, dict[str, str] | str]] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def rule(rule_id: str) -> RuleRef | None:
    entry = _data()["rules"].get(rule_id)
    if not isinstance(entry, dict):
        return None
    return RuleRef(id=rule_id, **entry)


def all_rules() -> list[RuleRef]:
    return [r for rid in _data()["rules"] if (r := rule(rid)) is not None]


def ruleset_title(name: str) -> str:
    """A rule set by its title ("Quy định 366-QĐ/TW (2025)"), never by its internal name."""
    title = _data()["rulesets"].get(name)
    return title if isinstance(title, str) else name
