"""Quota and order: peer groups decided at exactly their HTXSNV ceiling this year and last;
ties for HTXSNV settled the same way (always for the leaders, or for the same people as last
year); decisions made out of order, then corrected."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from kiemdiem.integrity.heuristics.base import Data, EvalRow, Found, GroupRow, Thresholds
from kiemdiem.integrity.heuristics.leniency import common_org


def ceiling(excellent: int, good: int, ratio: str) -> int:
    """floor(P×r/(1+r)), P = HTXSNV + HTTNV (the same quota as decide() and the statistics)."""
    try:
        r = Decimal(ratio)
    except InvalidOperation:
        return 0
    return 0 if r <= 0 else math.floor(Decimal(excellent + good) * r / (1 + r))


def _members(rows: list[EvalRow]) -> dict[int, list[EvalRow]]:
    members: dict[int, list[EvalRow]] = defaultdict(list)
    for r in rows:
        if r.peer_group_id is not None:
            members[r.peer_group_id].append(r)
    return members


def _at_ceiling(group: GroupRow, rows: list[EvalRow]) -> tuple[bool, int, int]:
    excellent = sum(r.level == "HTXSNV" for r in rows)
    good = sum(r.level == "HTTNV" for r in rows)
    top = ceiling(excellent, good, group.ratio)
    return top > 0 and excellent == top, excellent, top


def quota_ceiling(data: Data, t: Thresholds) -> list[Found]:
    if not data.previous_groups:
        return []
    now, before = _members(data.evaluations), _members(data.previous)
    last = {g.code: g for g in data.previous_groups}
    found = []
    for group in data.groups:
        old = last.get(group.code)
        if old is None or not now.get(group.id) or not before.get(old.id):
            continue
        hit, excellent, top = _at_ceiling(group, now[group.id])
        hit_before, excellent_before, _ = _at_ceiling(old, before[old.id])
        if hit and hit_before:
            numbers = {"group": group.code, "excellent": excellent, "ceiling": top}
            numbers |= {"previous_excellent": excellent_before, "ratio": group.ratio}
            f = Found("quota_ceiling", common_org(now[group.id]), group.code, numbers)
            f.peer_group_id = group.id
            found.append(f)
    return found


def _ties(rows: list[EvalRow]) -> tuple[list[EvalRow], list[EvalRow]] | None:
    """Candidates the engine suggested HTXSNV, more than got it: (winners, losers)."""
    candidates = [r for r in rows if r.suggested == "HTXSNV" and r.level]
    winners = [r for r in candidates if r.level == "HTXSNV"]
    if not winners or len(winners) == len(candidates):
        return None
    return winners, [r for r in candidates if r.level != "HTXSNV"]


def ties(data: Data, t: Thresholds) -> list[Found]:
    """Per decider, the peer groups where they settled a tie (more candidates than HTXSNV
    given): flagged when every one of at least `min_tie_groups` went to the leaders over
    non-leaders."""
    cells: dict[tuple[int, int], list[EvalRow]] = defaultdict(list)
    for group, rows in _members(data.evaluations).items():
        for r in rows:
            if r.decider_id is not None:
                cells[(r.decider_id, group)].append(r)
    by_decider: dict[int, list[tuple[list[EvalRow], list[EvalRow]]]] = defaultdict(list)
    for (decider, _group), rows in cells.items():
        if settled := _ties(rows):
            by_decider[decider].append(settled)
    found = []
    for decider, groups in by_decider.items():
        leaders = [
            g
            for g in groups
            if all(r.role == "leader" for r in g[0]) and any(r.role != "leader" for r in g[1])
        ]
        if len(groups) >= t.min_tie_groups and len(leaders) == len(groups):
            rows = [r for g in groups for r in g[0]]
            numbers = {"tie_groups": len(groups), "won_by_leaders": len(leaders)}
            f = Found("ties_leaders", common_org(rows), str(decider), numbers)
            f.decider_id = decider
            f.evidence = [("evaluation", r.id) for r in rows[:20]]
            found.append(f)
    return found


def out_of_order(data: Data, t: Thresholds) -> list[Found]:
    """Decided, then decided again at another level, the first time before the unit it heads
    was (finally) decided: the order of evaluation was broken and patched afterwards."""
    events: dict[int, list[tuple[object, str]]] = defaultdict(list)
    for e in data.decide_events:
        events[e.object_id].append((e.at, (e.after or {}).get("level", "")))
    found = []
    for r in data.evaluations:
        mine = sorted(events.get(r.id, []), key=lambda x: x[0])  # type: ignore[arg-type,return-value]
        unit = sorted(events.get(r.head_of_id or 0, []), key=lambda x: x[0])  # type: ignore[arg-type,return-value]
        if len(mine) < 2 or not unit or len({lvl for _, lvl in mine}) < 2:
            continue
        if mine[0][0] < unit[-1][0]:  # type: ignore[operator]
            numbers = {"decisions": len(mine), "levels": [lvl for _, lvl in mine]}
            f = Found("out_of_order", r.org_id, str(r.id), numbers)
            f.person_id, f.evaluation_id = r.person_id, r.id
            f.evidence = [("evaluation", r.id), ("evaluation", r.head_of_id or r.id)]
            found.append(f)
    return found
