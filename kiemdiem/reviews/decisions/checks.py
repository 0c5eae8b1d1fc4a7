"""The hard limits of decisions.md §3, checked over a whole request before anything is written.

`check_request` reads the rows it needs (the request's evaluations, what they depend on, their
peer groups and the decided evaluations that depend on them) and raises `DecisionRefused` with
the first rule broken, in the order of `errors.CODES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kiemdiem.core.numbers import vn_number
from kiemdiem.engine import InvalidInput
from kiemdiem.engine.model import LEVEL_BY_NAME
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionRefused
from kiemdiem.reviews.evaluations.engine import LINK_FIELDS, Suggestion, classify_rows
from kiemdiem.reviews.evaluations.engine import dependency_closure as closure
from kiemdiem.reviews.evaluations.models import Evaluation, Level

#: The caps of classification.md §5: (field, the evaluation kinds it applies to).
CAP_FIELDS = ("state_evaluation", "head_of", "leadership_of")
HTXSNV, HTTNV = Level.HTXSNV.value, Level.HTTNV.value


def level_label(level: str) -> str:
    return str(Level(level).label) if level in Level.values else level


def name_of(ev: Evaluation) -> str:
    """How a message names an evaluation: the person or the collective, and its code."""
    who = ev.person.full_name if ev.person_id and ev.person else ev.organization.name
    return f"{who} ({ev.code})"


def depends_on(row: Mapping[str, Any], children: Mapping[int, list[int]]) -> list[int]:
    """classification.md §7: the evaluations `row` depends on (to be decided first)."""
    deps = [row[f"{f}_id"] for f in LINK_FIELDS if row.get(f"{f}_id")]
    deps += list(row.get("manages", ()))
    deps += children.get(row["id"], [])  # a sub-unit names its unit in `parent`
    return deps


def max_excellent(p: int, ratio: str) -> int:
    """floor(P × r / (1 + r)), exactly (classification.md §6)."""
    r = Fraction(Decimal(ratio))
    return int((p * r) // (1 + r))


@dataclass
class Context:
    """What the checks read: rows by id (with `decided_level`), the levels after the request."""

    cycle: Cycle
    evs: dict[int, Evaluation]
    rows: dict[int, dict[str, Any]]
    after: dict[int, str]
    children: dict[int, list[int]]


def check_order(ctx: Context, items: list[DecisionItem]) -> None:
    for item in items:
        for dep in depends_on(ctx.rows[item.evaluation], ctx.children):
            row = ctx.rows.get(dep)
            if row is None or row["excluded"] or ctx.after.get(dep):
                continue
            ev = ctx.evs[item.evaluation]
            raise DecisionRefused(
                "order",
                _(
                    "Chưa thể quyết định %(name)s: phiếu %(dep)s mà nó phụ thuộc chưa được "
                    "quyết định (thứ tự đánh giá); hãy quyết định phiếu đó trước hoặc cùng lúc."
                )
                % {"name": name_of(ev), "dep": row["code"]},
                {"evaluation": item.evaluation, "depends_on": dep},
            )


def check_levels(
    ctx: Context, items: list[DecisionItem], suggestions: Mapping[int, Suggestion]
) -> None:
    """above_rules, then cap (the request's own rows and the decided rows depending on them)."""
    for item in items:
        s = suggestions.get(item.evaluation)
        if s is None or not s.base_level or item.level == Level.NOT_RATED:
            continue
        if (
            LEVEL_BY_NAME[item.level] > LEVEL_BY_NAME[s.base_level]
            and "REVIEW_REQUIRED" not in s.flags
        ):
            raise DecisionRefused(
                "above_rules",
                _(
                    "Không thể quyết định %(name)s ở mức “%(level)s”: theo quy định, kết quả "
                    "cao nhất được phép là “%(base)s”."
                )
                % {
                    "name": name_of(ctx.evs[item.evaluation]),
                    "level": level_label(item.level),
                    "base": level_label(s.base_level),
                },
                {"evaluation": item.evaluation, "base_level": s.base_level},
            )
    for pk, level in sorted(ctx.after.items()):
        row = ctx.rows.get(pk)
        if row is None or not level or level == Level.NOT_RATED:
            continue
        for f in CAP_FIELDS:
            ref = row.get(f"{f}_id")
            cap = ctx.after.get(ref) if ref else None
            if not cap or cap == Level.NOT_RATED or LEVEL_BY_NAME[level] <= LEVEL_BY_NAME[cap]:
                continue
            raise_cap(ctx, items, pk, ref, level, cap)


def raise_cap(
    ctx: Context, items: list[DecisionItem], pk: int, ref: int, level: str, cap: str
) -> None:
    requested = {i.evaluation for i in items}
    if pk in requested:
        message = _(
            "Không thể quyết định %(name)s ở mức “%(level)s”: cao hơn mức “%(cap)s” đã quyết "
            "định cho %(ref)s (giới hạn chéo)."
        )
    else:
        message = _(
            "Không thể hạ %(ref)s xuống “%(cap)s”: %(name)s đã được quyết định ở mức "
            "“%(level)s”, sẽ cao hơn giới hạn chéo; hãy quyết định lại phiếu đó trước."
        )
    raise DecisionRefused(
        "cap",
        message
        % {
            "name": ctx.rows[pk]["label"],
            "ref": ctx.rows[ref]["label"],
            "level": level_label(level),
            "cap": level_label(cap),
        },
        {"evaluation": pk, "capped_by": ref},
    )


def check_quota(ctx: Context, items: list[DecisionItem], groups: Mapping[int, PeerGroup]) -> None:
    touched = {ctx.rows[i.evaluation]["peer_group_id"] for i in items} - {None}
    for gid in sorted(touched):
        members = [pk for pk, r in ctx.rows.items() if r["peer_group_id"] == gid]
        excellent = sum(1 for pk in members if ctx.after.get(pk) == HTXSNV)
        good = sum(1 for pk in members if ctx.after.get(pk) == HTTNV)
        group = groups[gid]
        allowed = max_excellent(excellent + good, group.ratio)
        if excellent > allowed:
            raise DecisionRefused(
                "quota",
                _(
                    "Vượt tỷ lệ HTXSNV của nhóm %(group)s: %(n)s phiếu HTXSNV, tối đa "
                    "%(max)s (tỷ lệ %(ratio)s trên %(p)s phiếu HTXSNV và HTTNV)."
                )
                % {
                    "group": group.name,
                    "n": excellent,
                    "max": allowed,
                    "ratio": vn_number(group.ratio),
                    "p": excellent + good,
                },
                {"peer_group": gid, "excellent": excellent, "max_excellent": allowed},
            )


def check_reasons(
    ctx: Context, items: list[DecisionItem], suggestions: Mapping[int, Suggestion]
) -> None:
    for item in items:
        s = suggestions.get(item.evaluation)
        suggested = s.level if s else ""
        if item.level != suggested and not item.reason.strip():
            raise DecisionRefused(
                "reason_required",
                _(
                    "Cần ghi lý do khi quyết định %(name)s ở mức “%(level)s”, khác với mức "
                    "gợi ý “%(suggested)s”."
                )
                % {
                    "name": name_of(ctx.evs[item.evaluation]),
                    "level": level_label(item.level),
                    "suggested": level_label(suggested) if suggested else _("(chưa có)"),
                },
                {"evaluation": item.evaluation, "suggested": suggested},
            )


def load_context(cycle: Cycle, evs: dict[int, Evaluation], items: list[DecisionItem]) -> Context:
    """The rows the checks need: the dependency closure (with peer groups), the sub-units, and
    the decided evaluations that depend on the request (their caps may break)."""
    ids = list(evs)
    capped = Q(pk__in=[])
    for f in CAP_FIELDS:
        capped |= Q(**{f"{f}_id__in": ids})
    dependents = {
        e.pk: e
        for e in Evaluation.objects.filter(capped, cycle=cycle)
        .exclude(decided_level="")
        .select_related("person", "organization")
    }
    children: dict[int, list[int]] = {}
    for pk, parent in Evaluation.objects.filter(cycle=cycle, parent_id__in=ids).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent, []).append(pk)
    seeds = set(ids) | set(dependents) | {c for cs in children.values() for c in cs}
    rows = closure(cycle, seeds)
    named = {**dependents, **evs}
    for pk, row in rows.items():
        row["label"] = name_of(named[pk]) if pk in named else row["code"]
    after = {pk: r["decided_level"] for pk, r in rows.items()}
    after.update({i.evaluation: i.level for i in items})
    return Context(cycle=cycle, evs=evs, rows=rows, after=after, children=children)


def check_request(
    cycle: Cycle, evs: dict[int, Evaluation], items: list[DecisionItem]
) -> dict[int, Suggestion]:
    """Every rule of §3 after `forbidden`, `state` and `conflict`; the suggestions it used."""
    ctx = load_context(cycle, evs, items)
    check_order(ctx, items)
    fixed = {pk: lv for pk, lv in ctx.after.items() if lv}
    try:
        suggestions, _doc = classify_rows(cycle, ctx.rows, fixed)
    except InvalidInput:
        suggestions = {}  # no suggestion: every level then needs a reason
    check_levels(ctx, items, suggestions)
    touched = {ctx.rows[i.evaluation]["peer_group_id"] for i in items} - {None}
    groups = {g.pk: g for g in PeerGroup.objects.filter(pk__in=touched)}
    check_quota(ctx, items, groups)
    check_reasons(ctx, items, suggestions)
    return suggestions
