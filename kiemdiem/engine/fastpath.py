"""A compiled fast path for the common case of one plan (performance, contract section 8).

The rule-set data and the predicate closures of ``predicates`` are the definition. For a
million evaluations, calling a dozen closures per evaluation dominates the run, so each
``Plan`` is also compiled into one Python function whose conditions are inlined expressions
(``INLINE`` below, one template per predicate; a predicate without a template is called as its
closure). The fast function answers only the common cases — not excluded, not knocked out, and
either some level's conditions all hold and no own cap lowers it, ``(level, rule, detail)``, or
no level's conditions hold, ``(-1, lowest level's rule, detail)``; for anything else it
returns ``None`` and the engine takes the interpreted path, which writes the
full reasons. ``tests/engine/test_fastpath.py`` checks, on generated evaluations, that both
paths agree.

The generated source contains no input data and no rule-set text: arguments are bound as
constants in the function's namespace (``_k0``, ``_k1`` …), field names are checked against
``Evaluation``'s fields.
"""

from __future__ import annotations

import ast
import operator
import weakref
from collections.abc import Callable
from dataclasses import MISSING
from typing import TYPE_CHECKING, Any

from kiemdiem.engine import predicates as lib
from kiemdiem.engine.model import GRADES, Evaluation

if TYPE_CHECKING:
    from kiemdiem.engine.core import Context
    from kiemdiem.engine.ruleset import Plan

FastPath = Callable[[Evaluation, "Context"], "tuple[int, str, str] | None"]


class _Src:
    """Collects namespace constants while templates are expanded."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "_unit": lib.unit_tasks,
            "_cd": lib.current_disciplines,
            "_tt": lib.tasks_text,
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
    return f"({src} is not None and ({left}) * {q} {op} {p} * {src}.assigned)"


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
    "current_discipline": lambda s, a: (
        f"(bool(ev.discipline) and _cd(ev, ctx, {s.const(a[0] if a else 'any')})[0] > 0)"
    ),
    "flag": lambda s, a: f"bool({s.field(a[0])})",
    "grade_is": lambda s, a: f"({s.field(a[0])} == {s.const(a[1])})",
    "failed_share_above": lambda s, a: _share_expr(s, a, "S.assigned - S.completed", ">"),
    "late_or_failed_share_above": lambda s, a: _share_expr(s, a, "S.assigned - S.on_time", ">"),
    "done_share_below": lambda s, a: _share_expr(s, a, "S.completed", "<"),
    "low_confidence_above": lambda s, a: (
        f"(ev.low_confidence_share is not None and "
        f"ev.low_confidence_share > {s.const(lib.number(a[0]))})"
    ),
}

#: Inline facts for ``base`` details (``{st}`` is the level's score comparison).
INLINE_FACTS: dict[str, Callable[[_Src, str], str]] = {
    "score": lambda s, st: f"f'score {{ev.score}} {st}'" if st else "f'score {ev.score}'",
    "general": lambda s, st: "('general ' + ev.general)",
    "grades": lambda s, st: "('general ' + ev.general + ', results ' + ev.results_grade)",
    "own_tasks": lambda s, st: "(_tt(T) if T is not None else 'no tasks')",
    "unit_tasks": lambda s, st: (
        s.tasks("unit") and "('unit ' + _tt(U) if U is not None else 'unit: no tasks')"
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
                tpl(s, score_text) if tpl else f"{s.const(fn)}(ev, ctx, {s.const(score_text)})"
            )
        detail = " + '; ' + ".join(parts) if parts else "''"
        body.append(f"        return ({level}, {s.const(rule)}, {detail})")
        del conds
    if plan.levels:
        # No level's conditions all hold (9.12): the lowest level's rule and facts, level -1
        # (the engine adds the review reason and flag, as the interpreted path does).
        body.append(
            f"    return (-1, {s.const(rule)}, \"no level's conditions all hold (\" + {detail} + ')')"
        )
    else:
        body.append("    return None")
    if s.uses_unit:
        lines.append("    U = _unit(ev, ctx)")
    source = "\n".join(lines + body) + "\n"
    ns = dict(s.ns)
    # The source is generated from checked rule-set data only (see the module docstring).
    exec(compile(source, f"<fast path {plan.name}/{plan.role}>", "exec"), ns)  # noqa: S102
    fast: FastPath = ns["fast"]
    fast.__doc__ = source
    _SPECIAL[fast] = {}
    return fast


# --------------------------------------------------------------------------- per shape

#: Specialisations of each built fast path, by the set of keys an evaluation has.
_SPECIAL: weakref.WeakKeyDictionary[Any, dict[frozenset[str], FastPath]] = (
    weakref.WeakKeyDictionary()
)
_DEFAULTS: dict[str, Any] = {
    name: f.default
    for name, f in Evaluation.__dataclass_fields__.items()
    if f.default is not MISSING
    and (f.default is None or type(f.default) in (bool, int, str, tuple))
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def specialize(fast: FastPath, keys: frozenset[str]) -> FastPath:
    """``fast`` for evaluations with exactly the keys ``keys`` (performance, section 8).

    Only for evaluations checked by ``parse``: an absent key reads as its default
    (``Evaluation``'s class attribute) and a present one is never ``None``, so the generated
    source is rewritten with those facts and every test they decide is folded away (a missing ``discipline`` drops the discipline check, a missing ``tasks`` the task
    conditions …). The tests are pure expressions used only for their truth, so folding
    ``x and False`` to ``False`` changes no result. A function not made by ``build`` (say, a
    test's replacement) is returned as is."""
    cache = _SPECIAL.get(fast)
    if cache is None:
        return fast
    out = cache.get(keys)
    if out is None:
        tree = _Fold(keys, fast.__globals__).visit(ast.parse(fast.__doc__ or ""))
        _hoist(tree, keys)
        ast.fix_missing_locations(tree)
        code = compile(tree, fast.__code__.co_filename, "exec")
        made: dict[str, Any] = {}
        exec(code, fast.__globals__, made)  # noqa: S102 - the same checked source, folded
        out = cache[keys] = made["fast"]
    return out


class _Fold(ast.NodeTransformer):
    """Constant folding of the generated source for absent keys (see ``specialize``)."""

    def __init__(self, keys: frozenset[str], ns: dict[str, Any]) -> None:
        self.keys = keys
        self.absent: dict[str, Any] = {k: v for k, v in _DEFAULTS.items() if k not in keys}
        self.ns = ns

    def known(self, node: ast.AST) -> tuple[bool, object]:
        if isinstance(node, ast.Constant):
            return True, node.value
        if isinstance(node, ast.Name) and node.id.startswith("_k"):
            v = self.ns.get(node.id)
            if v is not None and not callable(v):
                return True, v
        return False, None

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == "ev" and node.attr in self.absent:
            return ast.Constant(self.absent[node.attr])
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "T" and isinstance(node.ctx, ast.Load) and "tasks" in self.absent:
            return ast.Constant(None)
        return node

    def present(self, node: ast.AST) -> bool:
        """A key the evaluation has: never ``None`` (a JSON null is invalid input, 9.2)."""
        if isinstance(node, ast.Attribute):
            return (
                isinstance(node.value, ast.Name)
                and node.value.id == "ev"
                and node.attr in self.keys
                and node.attr in Evaluation.__dataclass_fields__
            )
        return isinstance(node, ast.Name) and node.id == "T" and "tasks" in self.keys

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], ast.Is | ast.IsNot)
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
            and self.present(node.left)
        ):
            return ast.Constant(isinstance(node.ops[0], ast.IsNot))
        ok, left = self.known(node.left)
        if not ok:
            return node
        result = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            ok, right = self.known(right_node)
            if not ok:
                return node
            try:
                if not _COMPARE[type(op)](left, right):
                    result = False
            except Exception:  # noqa: BLE001 - leave it to run time
                return node
            left = right
        return ast.Constant(result)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "bool" and len(node.args) == 1:
            ok, v = self.known(node.args[0])
            if ok:
                return ast.Constant(bool(v))
        return node

    def truth(self, node: ast.expr) -> ast.expr:
        """Fold ``node`` where only its truth counts."""
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            kept: list[ast.expr] = []
            for value in node.values:
                value = self.truth(value)
                ok, v = self.known(value)
                if not ok:
                    kept.append(value)
                elif bool(v) != is_and:  # False in an and, True in an or decides
                    return ast.Constant(not is_and)
            if not kept:
                return ast.Constant(is_and)
            if len(kept) == 1:
                return kept[0]
            node.values = kept
            return node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self.truth(node.operand)
            ok, v = self.known(operand)
            if ok:
                return ast.Constant(not v)
            node.operand = operand
            return node
        out = self.visit(node)
        assert isinstance(out, ast.expr)
        return out

    def visit_If(self, node: ast.If) -> Any:
        node.test = self.truth(node.test)
        self.generic_visit(node)
        ok, v = self.known(node.test)
        if ok:
            return node.body if v else node.orelse
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        node.test = self.truth(node.test)
        self.generic_visit(node)
        ok, v = self.known(node.test)
        if ok:
            return node.body if v else node.orelse
        return node


def _hoist(tree: ast.Module, keys: frozenset[str]) -> None:
    """Read each field the function reads more than once into a local first: the evaluation's
    present keys and, when it has ``tasks``, the four counts of ``T`` (plain reads that cannot
    fail: a present key holds a checked value)."""
    fn = tree.body[0]
    if not isinstance(fn, ast.FunctionDef):  # pragma: no cover - build writes one function
        return
    counts: dict[tuple[str, str], int] = {}
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and isinstance(node.ctx, ast.Load)
        ):
            base, attr = node.value.id, node.attr
            if (base == "ev" and attr in keys and attr in Evaluation.__dataclass_fields__) or (
                base == "T" and "tasks" in keys and attr in _TASK_FIELDS
            ):
                counts[(base, attr)] = counts.get((base, attr), 0) + 1
    names = {k: f"_{k[0]}_{k[1]}" for k, c in counts.items() if c > 1 and k != ("ev", "tasks")}
    if not names:
        return

    class _Local(ast.NodeTransformer):
        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
                name = names.get((node.value.id, node.attr))
                if name is not None:
                    return ast.Name(name, ast.Load())
            return self.generic_visit(node)

    _Local().visit(fn)
    # After ``T = ev.tasks`` (always the first statement), the ev reads before the T reads.
    reads = [
        ast.Assign(
            [ast.Name(name, ast.Store())],
            ast.Attribute(ast.Name(base, ast.Load()), attr, ast.Load()),
        )
        for (base, attr), name in sorted(names.items(), key=lambda kv: kv[0][0] != "ev")
    ]
    fn.body[1:1] = reads


_TASK_FIELDS = frozenset({"assigned", "completed", "on_time", "exceeded"})
