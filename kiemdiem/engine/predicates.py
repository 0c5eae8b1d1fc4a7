"""The library of named predicates that rule-set files refer to (contract sections 4 and 5).

A rule set is data: it names predicates from this library with string arguments (thresholds
such as ``"90"``, shares such as ``"30%"`` or ``"7/10"``, a task source ``"own"``/``"unit"``).
Each factory turns those arguments into a small function once, when the rule set is compiled,
so the per-evaluation work is a plain call.

Three families:

* **conditions** (``CONDITIONS``) return ``bool``: the level conditions of section 4.2;
* **checks** (``CHECKS``) return a short detail text when they fire, else ``None``: exclusions,
  knock-outs, own caps and mitigations (sections 4 and 4.1);
* **facts** (``FACTS``) format what a ``base`` reason shows.

All shares compare by integer cross-multiplication and all scores as ``int``/``Decimal``
(contract 9.18: no rounding anywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from kiemdiem.engine.model import (
    GRADES,
    HTNV,
    HTTNV,
    KHTNV,
    LEVEL_BY_NAME,
    LEVEL_NAMES,
    NOT_RATED,
    Evaluation,
    Number,
    Tasks,
)

if TYPE_CHECKING:
    from kiemdiem.engine.core import Context

Condition = Callable[[Evaluation, "Context"], bool]
Check = Callable[[Evaluation, "Context"], "str | None"]
Fact = Callable[[Evaluation, "Context", str], str]

CONDITIONS: dict[str, Callable[[tuple[str, ...]], Condition]] = {}
CHECKS: dict[str, Callable[[tuple[str, ...]], Check]] = {}
FACTS: dict[str, Fact] = {}

#: Conditions on the score, with the comparison a ``base`` detail shows ("score 91 ≥ 90").
SCORE_OPS: dict[str, str] = {"score_at_least": "≥", "score_above": ">"}


def _condition(
    name: str,
) -> Callable[[Callable[[tuple[str, ...]], Condition]], Callable[[tuple[str, ...]], Condition]]:
    def register(
        factory: Callable[[tuple[str, ...]], Condition],
    ) -> Callable[[tuple[str, ...]], Condition]:
        CONDITIONS[name] = factory
        return factory

    return register


def register_check(
    name: str,
) -> Callable[[Callable[[tuple[str, ...]], Check]], Callable[[tuple[str, ...]], Check]]:
    def register(factory: Callable[[tuple[str, ...]], Check]) -> Callable[[tuple[str, ...]], Check]:
        CHECKS[name] = factory
        return factory

    return register


def _fact(name: str) -> Callable[[Fact], Fact]:
    def register(fn: Fact) -> Fact:
        FACTS[name] = fn
        return fn

    return register


# --------------------------------------------------------------------------- argument parsing


def share(text: str) -> tuple[int, int]:
    """``"30%"`` → (30, 100); ``"7/10"`` → (7, 10); ``"0.5"`` → (1, 2). Exact."""
    f = Fraction(Decimal(text[:-1])) / 100 if text.endswith("%") else Fraction(text)
    return f.numerator, f.denominator


def number(text: str) -> Number:
    """A threshold from a rule-set file, exact; integral values become ``int`` (faster)."""
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else d


def arg(args: tuple[str, ...], i: int, default: str) -> str:
    return args[i] if len(args) > i else default


# --------------------------------------------------------------------------- task sources


def unit_tasks(ev: Evaluation, ctx: Context) -> Tasks | None:
    """Unit tasks (section 4 notation): the tasks of the evaluation named by ``leads`` (for a
    ``leadership`` collective by ``leadership_of``); without that key, the own tasks (9.16)."""
    ref = ev.leadership_of if ev.role == "leadership" else ev.leads
    if ref is None:
        return ev.tasks
    t = ctx.evaluations[ctx.index[ref]].tasks
    return ev.tasks if t is None else t


def is_own(which: str) -> bool:
    if which not in ("own", "unit"):
        raise ValueError(f"task source must be 'own' or 'unit', not {which!r}")
    return which == "own"


def current_disciplines(ev: Evaluation, ctx: Context, mode: str) -> tuple[int, int]:
    """(count, self-remedied count) of the current-year disciplines that ``mode`` selects.

    "Current-year" = ``year`` equals the review year and not ``already_counted`` (9.15; ND90-7,
    ND90-8, 366-29). ``mode``: ``any``, ``duty_related`` or ``not_self_remedied``.
    """
    n = r = 0
    year = ctx.year
    for d in ev.discipline:
        if d.year != year or d.already_counted:
            continue
        if mode == "duty_related" and not d.duty_related:
            continue
        if mode == "not_self_remedied" and d.self_remedied:
            continue
        n += 1
        if d.self_remedied:
            r += 1
    return n, r


def managed_levels(ev: Evaluation, ctx: Context) -> list[int]:
    """Final levels of the rated evaluations named in ``manages`` (9.17: NOT_RATED ignored)."""
    levels = ctx.levels
    index = ctx.index
    return [lv for lv in (levels[index[m]] for m in ev.manages) if lv != NOT_RATED]


# --------------------------------------------------------------------------- conditions


@_condition("score_at_least")
def _score_at_least(args: tuple[str, ...]) -> Condition:
    floor = number(args[0])

    def test(ev: Evaluation, ctx: Context) -> bool:
        s = ev.score
        return s is not None and s >= floor

    return test


@_condition("score_above")
def _score_above(args: tuple[str, ...]) -> Condition:
    floor = number(args[0])

    def test(ev: Evaluation, ctx: Context) -> bool:
        s = ev.score
        return s is not None and s > floor

    return test


@_condition("all_on_time")
def _all_on_time(args: tuple[str, ...]) -> Condition:
    """t = a."""
    own = is_own(arg(args, 0, "own"))

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and t.on_time == t.assigned

    return test


@_condition("all_done")
def _all_done(args: tuple[str, ...]) -> Condition:
    """c = a."""
    own = is_own(arg(args, 0, "own"))

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and t.completed == t.assigned

    return test


@_condition("exceeded_share_at_least")
def _exceeded_share_at_least(args: tuple[str, ...]) -> Condition:
    """e ≥ p/q of a."""
    own = is_own(args[0])
    p, q = share(args[1])

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and t.exceeded * q >= p * t.assigned

    return test


@_condition("on_time_share_at_least")
def _on_time_share_at_least(args: tuple[str, ...]) -> Condition:
    """t ≥ p/q of a."""
    own = is_own(args[0])
    p, q = share(args[1])

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and t.on_time * q >= p * t.assigned

    return test


@_condition("done_share_above")
def _done_share_above(args: tuple[str, ...]) -> Condition:
    """c > p/q of a."""
    own = is_own(args[0])
    p, q = share(args[1])

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and t.completed * q > p * t.assigned

    return test


@_condition("late_share_at_most")
def _late_share_at_most(args: tuple[str, ...]) -> Condition:
    """late = c − t ≤ p/q of a."""
    own = is_own(args[0])
    p, q = share(args[1])

    def test(ev: Evaluation, ctx: Context) -> bool:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        return t is not None and (t.completed - t.on_time) * q <= p * t.assigned

    return test


@_condition("shortcomings_remedied")
def _shortcomings_remedied(args: tuple[str, ...]) -> Condition:
    """366-18: every shortcoming found at the last review is remedied (if any)."""

    def test(ev: Evaluation, ctx: Context) -> bool:
        s = ev.shortcomings
        return s is None or s.remedied == s.previous

    return test


@_condition("no_current_discipline")
def _no_current_discipline(args: tuple[str, ...]) -> Condition:
    """No current-year discipline (9.15), whatever its kind (124-9, 124-10, 366-15)."""

    def test(ev: Evaluation, ctx: Context) -> bool:
        return not ev.discipline or current_disciplines(ev, ctx, "any")[0] == 0

    return test


def _grade_condition(field: str, at_least: bool) -> Callable[[tuple[str, ...]], Condition]:
    def factory(args: tuple[str, ...]) -> Condition:
        bound = GRADES[args[0]]

        def test(ev: Evaluation, ctx: Context) -> bool:
            g = getattr(ev, field)
            if g is None:
                return False
            v = GRADES[g]
            return v >= bound if at_least else v == bound

        return test

    return factory


CONDITIONS["general_at_least"] = _grade_condition("general", True)
CONDITIONS["results_at_least"] = _grade_condition("results_grade", True)
CONDITIONS["results_is"] = _grade_condition("results_grade", False)


@_condition("managed_all_at_least")
def _managed_all_at_least(args: tuple[str, ...]) -> Condition:
    """Every rated managed evaluation at or above a level (ND90-12, ND90-14; 9.17)."""
    bound = LEVEL_BY_NAME[args[0]]

    def test(ev: Evaluation, ctx: Context) -> bool:
        if not ev.manages:
            return True
        return all(lv >= bound for lv in managed_levels(ev, ctx))

    return test


@_condition("managed_share_at_least")
def _managed_share_at_least(args: tuple[str, ...]) -> Condition:
    """At least p/q of the rated managed evaluations at or above a level; none rated → holds
    (ND90-12, ND90-14, ND90-15; 9.17)."""
    bound = LEVEL_BY_NAME[args[0]]
    p, q = share(args[1])

    def test(ev: Evaluation, ctx: Context) -> bool:
        if not ev.manages:
            return True
        levels = managed_levels(ev, ctx)
        if not levels:
            return True
        good = sum(1 for lv in levels if lv >= bound)
        return good * q >= p * len(levels)

    return test


# --------------------------------------------------------------------------- facts

_PCT_CACHE: dict[tuple[int, int], str] = {}


def pct(n: int, d: int) -> str:
    """A share for display only ("37.5%"), 4 significant digits; decisions never use it."""
    key = (n, d)
    s = _PCT_CACHE.get(key)
    if s is None:
        s = format(100 * n / d, ".4g") + "%"
        if len(_PCT_CACHE) < 100_000:
            _PCT_CACHE[key] = s
    return s


TASKS_CACHE: dict[tuple[int, int, int, int], str] = {}


def tasks_text(t: Tasks) -> str:
    """ "24/24 done, 24/24 on time (100%), 9 exceeded (37.5%)"."""
    key = (t.assigned, t.completed, t.on_time, t.exceeded)
    s = TASKS_CACHE.get(key)
    if s is None:
        a = t.assigned
        s = (
            f"{t.completed}/{a} done, {t.on_time}/{a} on time ({pct(t.on_time, a)}), "
            f"{t.exceeded} exceeded ({pct(t.exceeded, a)})"
        )
        if len(TASKS_CACHE) < 100_000:
            TASKS_CACHE[key] = s
    return s


@_fact("score")
def _fact_score(ev: Evaluation, ctx: Context, score_text: str) -> str:
    return f"score {ev.score} {score_text}" if score_text else f"score {ev.score}"


@_fact("general")
def _fact_general(ev: Evaluation, ctx: Context, score_text: str) -> str:
    return f"general {ev.general}"


@_fact("grades")
def _fact_grades(ev: Evaluation, ctx: Context, score_text: str) -> str:
    return f"general {ev.general}, results {ev.results_grade}"


@_fact("own_tasks")
def _fact_own_tasks(ev: Evaluation, ctx: Context, score_text: str) -> str:
    t = ev.tasks
    return "no tasks" if t is None else tasks_text(t)


@_fact("unit_tasks")
def _fact_unit_tasks(ev: Evaluation, ctx: Context, score_text: str) -> str:
    t = unit_tasks(ev, ctx)
    return "unit: no tasks" if t is None else "unit " + tasks_text(t)


@_fact("managed")
def _fact_managed(ev: Evaluation, ctx: Context, score_text: str) -> str:
    if not ev.manages:
        return "managed none"
    levels = managed_levels(ev, ctx)
    if not levels:
        return "managed none rated"
    counts = [sum(1 for lv in levels if lv == x) for x in (4, HTTNV, HTNV, KHTNV)]
    names = LEVEL_NAMES[4], LEVEL_NAMES[HTTNV], LEVEL_NAMES[HTNV], LEVEL_NAMES[KHTNV]
    return "managed " + ", ".join(f"{c} {n}" for c, n in zip(counts, names, strict=True))


# The checks live in their own module; importing it registers them in ``CHECKS``.
from kiemdiem.engine import checks as _checks  # noqa: E402, F401
