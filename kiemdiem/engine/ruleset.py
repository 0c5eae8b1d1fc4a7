"""Rule sets as data, their registry and their compilation (contract sections 2 and 4).

A rule set is a module in ``kiemdiem.engine.rulesets`` whose module name is the rule-set name
(``qd366`` …) and which defines ``RULESET = RuleSet(...)``. Everything a rule set decides —
track, points or grades, required fields, exclusions, knock-outs, level conditions, own caps,
quota rule id, ranking key, the facts a ``base`` reason shows — is data naming predicates of
``kiemdiem.engine.predicates``. A province's variant is a new file there; the engine core never
names a rule set (except the contract's table of defaults by review year).

``who`` selects the roles an entry applies to: ``all``, ``individual``, ``leader``,
``nonleader`` (staff, party_outside), ``collective``, ``unit`` (organization,
party_organization), ``leadership``, or a single role name. A rule id may be a plain string or a
tuple of ``(who, rule id)`` pairs, the first matching pair winning (366-24/25/26 are one
knock-out with a different id per kind of subject).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kiemdiem.engine.model import LEVEL_BY_NAME, Evaluation

if TYPE_CHECKING:  # imported when a plan is built: an empty input never needs them
    from kiemdiem.engine import predicates as lib

RuleId = str | tuple[tuple[str, str], ...]

AUDIENCES: dict[str, frozenset[str]] = {
    "all": frozenset(
        {"leader", "staff", "party_outside", "organization", "party_organization", "leadership"}
    ),
    "individual": frozenset({"leader", "staff", "party_outside"}),
    "leader": frozenset({"leader"}),
    "nonleader": frozenset({"staff", "party_outside"}),
    "staff": frozenset({"staff"}),
    "party_outside": frozenset({"party_outside"}),
    "collective": frozenset({"organization", "party_organization", "leadership"}),
    "unit": frozenset({"organization", "party_organization"}),
    "organization": frozenset({"organization"}),
    "party_organization": frozenset({"party_organization"}),
    "leadership": frozenset({"leadership"}),
}
ROLES: tuple[str, ...] = (
    "leader",
    "staff",
    "party_outside",
    "organization",
    "party_organization",
    "leadership",
)


@dataclass(frozen=True)
class Cond:
    """A level condition: a predicate of ``predicates.CONDITIONS`` with its arguments."""

    predicate: str
    args: tuple[str, ...] = ()
    who: str = "all"


@dataclass(frozen=True)
class Review:
    """A mitigation clause that flags ``REVIEW_REQUIRED`` when its check fires (366-27)."""

    rule: str
    predicate: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """An exclusion, knock-out or own cap: a predicate of ``predicates.CHECKS``.

    ``limit`` is the level an own cap allows at most; ``review`` a mitigation clause that
    applies when this knock-out fires.
    """

    rule: RuleId
    predicate: str
    args: tuple[str, ...] = ()
    who: str = "all"
    limit: str = ""
    review: Review | None = None


@dataclass(frozen=True)
class LevelRule:
    """A level and all its conditions (section 4.2); listed highest level first."""

    level: str
    rule: RuleId
    conditions: tuple[Cond, ...]


@dataclass(frozen=True)
class FactSpec:
    """What a ``base`` reason shows (``predicates.FACTS``) for the roles in ``who``."""

    name: str
    who: str = "all"


@dataclass(frozen=True)
class RuleSet:
    """One rule set, as data. See the module docstring."""

    name: str
    title: str
    track: str  # "party" (also rates every collective) or "state"
    kind: str  # "points" (ranked by score) or "grades" (ranked by e/a, then t/a)
    requires: tuple[str, ...]
    exclusions: tuple[Check, ...]
    knockouts: tuple[Check, ...]
    levels: tuple[LevelRule, ...]
    facts: tuple[FactSpec, ...]
    own_caps: tuple[Check, ...]
    quota_rule: str
    #: Reason rule for REVIEW_REQUIRED when no level's conditions all hold (4 step 3; 9.12).
    no_level_review: str
    # Metadata for the web application (the engine never reads it): what it must ask the rule
    # set instead of deciding by its name.
    #: The criteria-template family whose forms this rule set's self-reviews use ("" = its own
    #: name; a local variant may reuse the national forms of its track).
    criteria_family: str = ""
    #: The ledger's results score (NĐ 335, 70 points) fills the results group of the form.
    ledger_score: bool = False


class Plan:
    """A rule set compiled for one role: the per-evaluation work is a walk over plain lists."""

    __slots__ = (
        "exclusions",
        "individual",
        "leadership",
        "party_individual",
        "facts",
        "fast",
        "kind",
        "knockouts",
        "levels",
        "name",
        "no_level_review",
        "own_caps",
        "quota_rule",
        "role",
        "ruleset",
    )

    def __init__(self, rs: RuleSet, role: str) -> None:
        from kiemdiem.engine import fastpath
        from kiemdiem.engine import predicates as lib

        self.ruleset = rs
        self.name = rs.name
        self.role = role
        self.kind = rs.kind
        self.quota_rule = rs.quota_rule
        self.no_level_review = rs.no_level_review
        # Which cross caps (contract 5, ``core.CROSS_CAPS``) can apply to this role.
        self.individual = role in AUDIENCES["individual"]
        self.party_individual = self.individual and rs.track == "party"
        self.leadership = role == "leadership"
        self.exclusions: list[tuple[str, lib.Check]] = [
            (_rule(c.rule, role), lib.CHECKS[c.predicate](c.args))
            for c in rs.exclusions
            if _applies(c.who, role)
        ]
        self.knockouts: list[tuple[str, lib.Check, str | None, lib.Check | None]] = [
            (
                _rule(c.rule, role),
                lib.CHECKS[c.predicate](c.args),
                c.review.rule if c.review else None,
                lib.CHECKS[c.review.predicate](c.review.args) if c.review else None,
            )
            for c in rs.knockouts
            if _applies(c.who, role)
        ]
        self.levels: list[tuple[int, str, list[lib.Condition], str]] = []
        for lr in rs.levels:
            conds = [c for c in lr.conditions if _applies(c.who, role)]
            score_text = ""
            for c in conds:
                op = lib.SCORE_OPS.get(c.predicate)
                if op is not None:
                    score_text = f"{op} {c.args[0]}"
            fns = [lib.CONDITIONS[c.predicate](c.args) for c in conds]
            self.levels.append((LEVEL_BY_NAME[lr.level], _rule(lr.rule, role), fns, score_text))
        self.facts: list[lib.Fact] = [lib.FACTS[f.name] for f in rs.facts if _applies(f.who, role)]
        self.own_caps: list[tuple[str, lib.Check, int]] = [
            (_rule(c.rule, role), lib.CHECKS[c.predicate](c.args), LEVEL_BY_NAME[c.limit])
            for c in rs.own_caps
            if _applies(c.who, role)
        ]
        # The same entries again, by predicate name, for the compiled fast path.
        specs = (
            [
                (c.predicate, c.args, f)
                for c, (_, f) in zip(_for(rs.exclusions, role), self.exclusions, strict=True)
            ],
            [
                (c.predicate, c.args, k[1])
                for c, k in zip(_for(rs.knockouts, role), self.knockouts, strict=True)
            ],
            [
                [
                    (c.predicate, c.args, fn)
                    for c, fn in zip(_for(lr.conditions, role), lv[2], strict=True)
                ]
                for lr, lv in zip(rs.levels, self.levels, strict=True)
            ],
            [
                (c.predicate, c.args, k[1], k[2])
                for c, k in zip(_for(rs.own_caps, role), self.own_caps, strict=True)
            ],
            [(f.name, fn) for f, fn in zip(_for(rs.facts, role), self.facts, strict=True)],
        )
        self.fast = fastpath.build(self, specs)


def _for(entries: tuple[Any, ...], role: str) -> list[Any]:
    return [e for e in entries if _applies(e.who, role)]


def _applies(who: str, role: str) -> bool:
    return role in AUDIENCES[who]


def _rule(rule: RuleId, role: str) -> str:
    if isinstance(rule, str):
        return rule
    for who, rid in rule:
        if _applies(who, role):
            return rid
    raise ValueError(f"no rule id for role {role!r} in {rule!r}")


def available() -> tuple[str, ...]:
    """Names of every rule-set file in ``kiemdiem.engine.rulesets`` (imports nothing)."""
    import pkgutil

    from kiemdiem.engine import rulesets

    return tuple(
        sorted(
            m.name for m in pkgutil.iter_modules(rulesets.__path__) if not m.name.startswith("_")
        )
    )


@cache
def _names() -> frozenset[str]:
    return frozenset(available())


def exists(name: str) -> bool:
    return name in _names()


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; the message names the file and the entry."""


@cache
def load(name: str) -> RuleSet:
    """Import ``kiemdiem.engine.rulesets.<name>`` and return its checked ``RULESET``."""
    if name not in _names():
        raise KeyError(name)
    module = importlib.import_module(f"kiemdiem.engine.rulesets.{name}")
    return _checked(module, name)


def load_file(path: str) -> RuleSet:
    """Import a rule-set file from anywhere and check it, as ``load`` does (for a province
    writing its variant: every mistake is named with the file and the entry)."""
    import importlib.util

    stem = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(f"_ruleset_{stem}", path)
    if spec is None or spec.loader is None:
        raise RuleSetError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return _checked(module, stem)


def _checked(module: Any, name: str) -> RuleSet:
    where = getattr(module, "__file__", None) or name
    rs = getattr(module, "RULESET", None)
    if not isinstance(rs, RuleSet) or rs.name != name:
        raise RuleSetError(f"{where}: must define RULESET = RuleSet(name={name!r}, …)")
    problems = _problems(rs)
    if problems:
        raise RuleSetError("\n".join(f"{where}: {p}" for p in problems))
    for role in ROLES:
        try:
            Plan(rs, role)  # resolves every predicate, audience and rule id
        except Exception as exc:  # noqa: BLE001 - reported with the file, never swallowed
            raise RuleSetError(f"{where}: compiling it for {role}: {exc!r}") from exc
    return rs


@cache
def plan(name: str, role: str) -> Plan:
    return Plan(load(name), role)


def _problems(rs: RuleSet) -> list[str]:
    from kiemdiem.engine import predicates as lib

    """Every entry of ``rs`` that names an unknown predicate, audience, level, field or fact,
    or gives a predicate arguments it cannot use: ``levels[0] (HTXSNV).conditions[1]: …``."""
    out: list[str] = []
    if rs.track not in ("party", "state"):
        out.append(f"track: {rs.track!r} is not party or state")
    if rs.kind not in ("points", "grades"):
        out.append(f"kind: {rs.kind!r} is not points or grades")
    for f in rs.requires:
        if f not in Evaluation.__dataclass_fields__:
            out.append(f"requires: unknown field {f!r}")
    for group in ("exclusions", "knockouts", "own_caps"):
        for j, c in enumerate(getattr(rs, group)):
            at = f"{group}[{j}] ({c.predicate})"
            out += [f"{at}: {m}" for m in _entry(c.predicate, c.args, c.who, lib.CHECKS)]
            if group == "own_caps" and c.limit not in LEVEL_BY_NAME:
                out.append(f"{at}: limit {c.limit!r} is not a level")
            if c.review is not None:
                r = c.review
                out += [f"{at}.review: {m}" for m in _entry(r.predicate, r.args, "all", lib.CHECKS)]
    for j, lr in enumerate(rs.levels):
        if lr.level not in LEVEL_BY_NAME:
            out.append(f"levels[{j}]: {lr.level!r} is not a level")
        for k, cond in enumerate(lr.conditions):
            at = f"levels[{j}] ({lr.level}).conditions[{k}]"
            out += [
                f"{at}: {m}" for m in _entry(cond.predicate, cond.args, cond.who, lib.CONDITIONS)
            ]
    for j, fact in enumerate(rs.facts):
        if fact.name not in lib.FACTS:
            out.append(
                f"facts[{j}]: unknown fact {fact.name!r} (known: {', '.join(sorted(lib.FACTS))})"
            )
        if fact.who not in AUDIENCES:
            out.append(f"facts[{j}]: unknown audience {fact.who!r}")
    return out


def _entry(predicate: str, args: tuple[str, ...], who: str, library: dict[str, Any]) -> list[str]:
    if who not in AUDIENCES:
        return [f"unknown audience {who!r} (known: {', '.join(AUDIENCES)})"]
    factory = library.get(predicate)
    if factory is None:
        return [f"unknown predicate {predicate!r} (known: {', '.join(sorted(library))})"]
    try:
        factory(args)
    except Exception as exc:  # noqa: BLE001 - any failure is the entry's arguments
        return [f"arguments {args!r} do not fit {predicate!r}: {exc!r}"]
    return []
