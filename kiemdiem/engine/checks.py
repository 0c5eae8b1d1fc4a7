"""The checks of the predicate library (``predicates.CHECKS``): exclusions, knock-outs, own
caps and mitigations (contract sections 4 and 4.1). Each returns a short detail text when it
fires, else ``None``; shares compare by integer cross-multiplication (9.18).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiemdiem.engine.model import KHTNV, Evaluation
from kiemdiem.engine.predicates import (
    Check,
    arg,
    current_disciplines,
    is_own,
    managed_levels,
    number,
    register_check,
    share,
    unit_tasks,
)

if TYPE_CHECKING:
    from kiemdiem.engine.core import Context


@register_check("party_excluded")
def _party_excluded(args: tuple[str, ...]) -> Check:
    """366-3 / 124-2: exempt or suspended from party activities, or admitted after 30 June of
    the review year (less than 6 months; 9.8: an admission after the year excludes too)."""

    def check(ev: Evaluation, ctx: Context) -> str | None:
        parts = []
        if ev.party_status != "active":
            parts.append(f"party_status {ev.party_status}")
        adm = ev.party_admission
        if adm is not None and adm > ctx.mid_year:
            parts.append(f"admitted {adm}, after 30 June {ctx.year}")
        return "; ".join(parts) if parts else None

    return check


@register_check("months_below")
def _months_below(args: tuple[str, ...]) -> Check:
    """ND90-2: worked fewer than N months in the year and not on maternity leave."""
    bound = number(args[0])

    def check(ev: Evaluation, ctx: Context) -> str | None:
        m = ev.months_worked
        if m < bound and not ev.maternity:
            return f"worked {m} months < {bound}, not maternity"
        return None

    return check


@register_check("absent_at_least")
def _absent_at_least(args: tuple[str, ...]) -> Check:
    """ND90-3 (and the qd124 reading): lawful absence of N months or more caps the level."""
    bound = number(args[0])
    limit = arg(args, 1, "HTNV")

    def check(ev: Evaluation, ctx: Context) -> str | None:
        m = ev.absent_months
        if m >= bound:
            return f"absent {m} months ≥ {bound}: at most {limit}"
        return None

    return check


@register_check("degradation")
def _degradation(args: tuple[str, ...]) -> Check:
    def check(ev: Evaluation, ctx: Context) -> str | None:
        return "degradation concluded" if ev.degradation else None

    return check


@register_check("score_below")
def _score_below(args: tuple[str, ...]) -> Check:
    bound = number(args[0])

    def check(ev: Evaluation, ctx: Context) -> str | None:
        s = ev.score
        if s is not None and s < bound:
            return f"score {s} < {bound}"
        return None

    return check


@register_check("current_discipline")
def _current_discipline(args: tuple[str, ...]) -> Check:
    """A current-year discipline of the kind ``args[0]`` selects (9.15)."""
    mode = arg(args, 0, "any")
    label = {"any": "", "duty_related": "duty-related ", "not_self_remedied": ""}[mode]
    suffix = " not self-remedied" if mode == "not_self_remedied" else ""

    def check(ev: Evaluation, ctx: Context) -> str | None:
        if not ev.discipline:
            return None
        n, r = current_disciplines(ev, ctx, mode)
        if n == 0:
            return None
        text = f"{label}{n} current-year discipline(s){suffix}"
        return f"{text}, {r} self-remedied" if r else text

    return check


@register_check("self_remedied_discipline")
def _self_remedied_discipline(args: tuple[str, ...]) -> Check:
    """366-27: the discipline behind a knock-out was self-detected and remedied."""
    mode = arg(args, 0, "any")

    def check(ev: Evaluation, ctx: Context) -> str | None:
        if not ev.discipline or current_disciplines(ev, ctx, mode)[1] == 0:
            return None
        return "the knock-out comes from a self-remedied discipline: the competent level weighs the case"

    return check


@register_check("flag")
def _flag(args: tuple[str, ...]) -> Check:
    """A boolean fact of the evaluation (e.g. ``corruption_in_managed_unit``)."""
    field = args[0]
    if field not in Evaluation.__dataclass_fields__:
        raise ValueError(f"unknown field {field!r}")

    def check(ev: Evaluation, ctx: Context) -> str | None:
        return field if getattr(ev, field) else None

    return check


@register_check("grade_is")
def _grade_is(args: tuple[str, ...]) -> Check:
    field, grade = args[0], args[1]
    label = "results" if field == "results_grade" else field

    def check(ev: Evaluation, ctx: Context) -> str | None:
        return f"{label} {grade}" if getattr(ev, field) == grade else None

    return check


@register_check("failed_share_above")
def _failed_share_above(args: tuple[str, ...]) -> Check:
    """failed = a − c > p/q of a (366-26b, individuals of 124)."""
    own = is_own(args[0])
    p, q = share(args[1])

    def check(ev: Evaluation, ctx: Context) -> str | None:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        if t is not None and (t.assigned - t.completed) * q > p * t.assigned:
            return f"{t.assigned - t.completed} of {t.assigned} tasks not done > {args[1]}"
        return None

    return check


@register_check("late_or_failed_share_above")
def _late_or_failed_share_above(args: tuple[str, ...]) -> Check:
    """late + failed = a − t > p/q of a (ND90-16: more than half not on time or not done)."""
    own = is_own(args[0])
    p, q = share(args[1])

    def check(ev: Evaluation, ctx: Context) -> str | None:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        if t is not None and (t.assigned - t.on_time) * q > p * t.assigned:
            return f"{t.assigned - t.on_time} of {t.assigned} tasks late or not done > {args[1]}"
        return None

    return check


@register_check("done_share_below")
def _done_share_below(args: tuple[str, ...]) -> Check:
    """c < p/q of a, on the unit's tasks for leaders (366-24d, 366-25a, ND90-16)."""
    which = args[0]
    own = is_own(which)
    p, q = share(args[1])
    label = "unit " if which == "unit" else ""

    def check(ev: Evaluation, ctx: Context) -> str | None:
        t = ev.tasks if own else unit_tasks(ev, ctx)
        if t is not None and t.completed * q < p * t.assigned:
            return f"{label}{t.completed}/{t.assigned} done < {args[1]}"
        return None

    return check


@register_check("managed_knocked_out_over_half")
def _managed_knocked_out_over_half(args: tuple[str, ...]) -> Check:
    """366-25a: more than half of the managed units rated KHTNV: 2 × KHTNV > rated (9.17)."""

    def check(ev: Evaluation, ctx: Context) -> str | None:
        if not ev.manages:
            return None
        levels = managed_levels(ev, ctx)
        bad = sum(1 for lv in levels if lv == KHTNV)
        if 2 * bad > len(levels):
            return f"{bad} of {len(levels)} managed rated KHTNV"
        return None

    return check


@register_check("low_confidence_above")
def _low_confidence_above(args: tuple[str, ...]) -> Check:
    """366-25b: more than half "low confidence" votes."""
    bound = number(args[0])

    def check(ev: Evaluation, ctx: Context) -> str | None:
        s = ev.low_confidence_share
        if s is not None and s > bound:
            return f"low confidence share {s} > {bound}"
        return None

    return check
