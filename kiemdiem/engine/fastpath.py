"""A compiled fast path for the common case of one plan (performance, contract section 8).

The rule-set data and the predicate closures of ``predicates`` are the definition. For a
million evaluations, calling a dozen closures per evaluation dominates the run, so each
``Plan`` is also compiled into one Python function whose conditions are inlined expressions
(``INLINE`` below, one template per predicate; a predicate without a template is called as its
closure). The fast function answers only the common cases — not excluded, not knocked out, and
either some level's conditions all hold and no own cap lowers it, ``(level, (rule, "base",
detail))``, or no level's conditions hold, ``(-1, (lowest level's rule, "base", detail))`` (the
reason is the one the result keeps); for anything else it
returns ``None`` and the engine takes the interpreted path, which writes the
full reasons. ``tests/engine/test_fastpath.py`` checks, on generated evaluations, that both
paths agree.

The generated source contains no input data and no rule-set text: arguments are bound as
constants in the function's namespace (``_k0``, ``_k1`` …), field names are checked against
``Evaluation``'s fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiemdiem.engine import predicates as lib
from kiemdiem.engine.model import GRADES, Evaluation

if TYPE_CHECKING:
    from kiemdiem.engine.core import Context
    from kiemdiem.engine.ruleset import Plan

FastPath = Callable[[Evaluation, "Context"], "tuple[int, tuple[str, str, str]] | None"]


class _Src:
    """Collects namespace constants while templates are expanded."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "_unit": lib.unit_tasks,
            "_cd": lib.current_disciplines,
            "_tt": lib.tasks_text,
            "_tc": lib.TASKS_CACHE,  # tasks_text's cache, read inline (a call fewer)
        }
        self.uses_unit = False

    def const(self, value: object) -> str:
        name = f"_k{len(self.ns)}"
        self.ns[name] = value
        return name

    def tasks(self, which: str) -> str:
        if which == "unit":
            self.uses_unit = True
            return "U"
        if which != "own":
            raise ValueError(which)
        return "T"

    def field(self, name: str) -> str:
        if name not in Evaluation.__dataclass_fields__:
            raise ValueError(f"unknown field {name!r}")
        return f"ev.{name}"


def _share_expr(s: _Src, args: tuple[str, ...], lhs: str, op: str) -> str:
    src = s.tasks(args[0])
    p, q = lib.share(args[1])
    left = lhs.replace("S.", src + ".")
    # A factor 1 is left out: each multiplication is a step of every evaluation's path.
    left = f"({left}) * {q}" if q != 1 else f"({left})"
    right = f"{p} * {src}.assigned" if p != 1 else f"{src}.assigned"
    return f"({src} is not None and {left} {op} {right})"


def _grades_at_least(grade: str) -> frozenset[str]:
    return frozenset(g for g, v in GRADES.items() if v >= GRADES[grade])


Template = Callable[[_Src, tuple[str, ...]], str]

#: Inline expressions, equivalent to the closures of the same name in ``predicates``. For
#: conditions they are true when the condition holds; for checks, true when the check fires.
INLINE: dict[str, Template] = {
    "score_at_least": lambda s, a: (
        f"(ev.score is not None and ev.score >= {s.const(lib.number(a[0]))})"
    ),
    "score_above": lambda s, a: (
        f"(ev.score is not None and ev.score > {s.const(lib.number(a[0]))})"
    ),
    "all_on_time": lambda s, a: (lambda t: f"({t} is not None and {t}.on_time == {t}.assigned)")(
        s.tasks(a[0] if a else "own")
    ),
    "all_done": lambda s, a: (lambda t: f"({t} is not None and {t}.completed == {t}.assigned)")(
        s.tasks(a[0] if a else "own")
    ),
    "exceeded_share_at_least": lambda s, a: _share_expr(s, a, "S.exceeded", ">="),
    "on_time_share_at_least": lambda s, a: _share_expr(s, a, "S.on_time", ">="),
    "done_share_above": lambda s, a: _share_expr(s, a, "S.completed", ">"),
    "late_share_at_most": lambda s, a: _share_expr(s, a, "S.completed - S.on_time", "<="),
    "shortcomings_remedied": lambda s, a: (
        "(ev.shortcomings is None or ev.shortcomings.remedied == ev.shortcomings.previous)"
    ),
    "no_current_discipline": lambda s, a: "(not ev.discipline or _cd(ev, ctx, 'any')[0] == 0)",
    "general_at_least": lambda s, a: f"(ev.general in {s.const(_grades_at_least(a[0]))})",
    "results_at_least": lambda s, a: f"(ev.results_grade in {s.const(_grades_at_least(a[0]))})",
    "results_is": lambda s, a: f"(ev.results_grade == {s.const(a[0])})",
    # checks
    "party_excluded": lambda s, a: (
        "(ev.party_status != 'active' or "
        "(ev.party_admission is not None and ev.party_admission > ctx.mid_year))"
    ),
    "months_below": lambda s, a: (
        f"(ev.months_worked < {s.const(lib.number(a[0]))} and not ev.maternity)"
    ),
    "absent_at_least": lambda s, a: f"(ev.absent_months >= {s.const(lib.number(a[0]))})",
    "degradation": lambda s, a: "ev.degradation",
    "score_below": lambda s, a: (
        f"(ev.score is not None and ev.score < {s.const(lib.number(a[0]))})"
    ),
    # Conditions and checks only ever stand in an ``if`` (truth tests): no ``bool()`` calls.
    "current_discipline": lambda s, a: (
        f"(ev.discipline and _cd(ev, ctx, {s.const(a[0] if a else 'any')})[0] > 0)"
    ),
    "flag": lambda s, a: s.field(a[0]),
    "grade_is": lambda s, a: f"({s.field(a[0])} == {s.const(a[1])})",
    "failed_share_above": lambda s, a: _share_expr(s, a, "S.assigned - S.completed", ">"),
    "late_or_failed_share_above": lambda s, a: _share_expr(s, a, "S.assigned - S.on_time", ">"),
    "done_share_below": lambda s, a: _share_expr(s, a, "S.completed", "<"),
    "low_confidence_above": lambda s, a: (
        f"(ev.low_confidence_share is not None and "
        f"ev.low_confidence_share > {s.const(lib.number(a[0]))})"
    ),
}

#: Inline facts for ``base`` details, as pieces of one f-string (``st``: the level's score
#: comparison, a namespace constant): the detail is built at once, without intermediate strings.
INLINE_FACTS: dict[str, Callable[[_Src, str], str]] = {
    "score": lambda s, st: f"score {{ev.score}} {{{s.const(st)}}}" if st else "score {ev.score}",
    "general": lambda s, st: "general {ev.general}",
    "grades": lambda s, st: "general {ev.general}, results {ev.results_grade}",
    "own_tasks": lambda s, st: (
        "{(_tc.get((T.assigned, T.completed, T.on_time, T.exceeded)) or _tt(T))"
        " if T is not None else 'no tasks'}"
    ),
    "unit_tasks": lambda s, st: (
        s.tasks("unit")
        and "{'unit ' + (_tc.get((U.assigned, U.completed, U.on_time, U.exceeded)) or _tt(U))"
        " if U is not None else 'unit: no tasks'}"
    ),
}


def _condition(s: _Src, name: str, args: tuple[str, ...], fn: object) -> str:
    tpl = INLINE.get(name)
    if tpl is not None:
        return tpl(s, args)
    return f"{s.const(fn)}(ev, ctx)"


def _fires(s: _Src, name: str, args: tuple[str, ...], fn: object) -> str:
    tpl = INLINE.get(name)
    if tpl is not None:
        return tpl(s, args)
    return f"({s.const(fn)}(ev, ctx) is not None)"


_FIELD_READ = re.compile(r"\b(ev|T|U)\.([a-z_]+)\b")


def _hoist(body: list[str]) -> list[str]:
    """Read into a local, once, each field of the evaluation (``ev.score`` → ``ev_score``) or
    of its tasks (``T.assigned`` → ``T_assigned``) that more than one test reads, or the
    always-run first test reads twice: an attribute read costs a dictionary lookup, a local
    none. Returns the assignments; ``body`` is rewritten in place. The tasks' locals are only
    set when the tasks exist: every use is behind ``T is not None and``."""
    lines: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for n, line in enumerate(body):
        found = _FIELD_READ.findall(line)
        for read in set(found):
            lines[read] = lines.get(read, 0) + 1
        if n == 0:
            for read in found:
                first[read] = first.get(read, 0) + 1
    hoisted = sorted(r for r, c in lines.items() if c > 1 or first.get(r, 0) > 1)
    if not hoisted:
        return []
    names = "|".join(re.escape(f"{obj}.{field}") for obj, field in hoisted)
    swap = re.compile(r"\b(" + names + r")\b")
    body[:] = [swap.sub(lambda m: m.group(1).replace(".", "_"), line) for line in body]
    out = [f"    {obj}_{field} = {obj}.{field}" for obj, field in hoisted if obj == "ev"]
    for obj in ("T", "U"):
        mine = [f"{obj}_{field} = {obj}.{field}" for o, field in hoisted if o == obj]
        if mine:
            out.append(f"    if {obj} is not None:")
            out.extend(f"        {a}" for a in mine)
    return out


def build(plan: Plan, specs: Any) -> FastPath:
    """Compile ``plan`` (with the rule-set entries ``specs`` it came from) into one function.

    ``specs`` = (exclusions, knockouts, levels, own caps, facts) as lists of
    (predicate name, args, compiled closure) in the plan's order.
    """
    exclusions, knockouts, levels, own_caps, facts = specs
    s = _Src()
    lines = ["def fast(ev, ctx):", "    T = ev.tasks"]
    body: list[str] = []
    tests = [_fires(s, n, a, f) for n, a, f in exclusions + knockouts]
    if tests:
        body.append("    if " + " or ".join(tests) + ":")
        body.append("        return None")
    for (level, rule, conds, score_text), cond_specs in zip(plan.levels, levels, strict=True):
        exprs = [_condition(s, n, a, f) for n, a, f in cond_specs] or ["True"]
        body.append("    if " + " and ".join(exprs) + ":")
        caps = [_fires(s, n, a, f) for n, a, f, limit in own_caps if level > limit]
        if caps:
            body.append("        if " + " or ".join(caps) + ":")
            body.append("            return None")
        parts = []
        for name, fn in facts:
            tpl = INLINE_FACTS.get(name)
            parts.append(
                tpl(s, score_text) if tpl else f"{{{s.const(fn)}(ev, ctx, {s.const(score_text)})}}"
            )
        detail = "; ".join(parts)
        body.append(f'        return ({level}, ({s.const(rule)}, "base", f"""{detail}"""))')
        del conds
    if plan.levels:
        # No level's conditions all hold (9.12): the lowest level's rule and facts, level -1
        # (the engine adds the review reason and flag, as the interpreted path does).
        body.append(
            f'    return (-1, ({s.const(rule)}, "base", f"""no level\'s conditions all hold ({detail})"""))'
        )
    else:
        body.append("    return None")
    if s.uses_unit:
        lines.append("    U = _unit(ev, ctx)")
    lines.extend(_hoist(body))
    source = "\n".join(lines + body) + "\n"
    ns = dict(s.ns)
    # The source is generated from checked rule-set data only (see the module docstring).
    exec(compile(source, f"<fast path {plan.name}/{plan.role}>", "exec"), ns)  # noqa: S102
    fast: FastPath = ns["fast"]
    fast.__doc__ = source
    return fast
