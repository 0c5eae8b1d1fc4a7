"""Leniency and levelling (nể nang, cào bằng).

Method (README "Integrity analytics"): for each unit and kind of subject (track + role for
people, the collective's role), k of the n decided subjects got HTXSNV or HTTNV. Under the
hypothesis that the unit decides like the whole province for that kind (share p₀, the unit itself
included), X ~ Binomial(n, p₀); the p-value is P(X ≥ k), exact. All units are one family,
controlled by Benjamini–Hochberg at the false discovery rate `fdr`; a flag also needs the
unit's share to exceed p₀ by `min_excess`. A unit of 3 at 100% against p₀ = 0,5 has p = 0,125:
weak evidence, never a flag on its own. Against the unit's own previous year (k′ of n′) the test is
Fisher's exact test, one-sided (both years are samples), a second family, and "everyone at one
level" a third (p = the province's share of that level to the power n).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kiemdiem.integrity.heuristics.base import GOOD, RANK, Data, EvalRow, Found, Thresholds
from kiemdiem.integrity.heuristics.stattest import (
    benjamini_hochberg,
    binomial_sf,
    fisher_greater,
)

Cell = tuple[int, str]  # (organization id, kind)


def _decided(rows: Iterable[EvalRow]) -> list[EvalRow]:
    return [r for r in rows if r.level in RANK]


def _cells(rows: list[EvalRow]) -> dict[Cell, list[EvalRow]]:
    cells: dict[Cell, list[EvalRow]] = defaultdict(list)
    for r in rows:
        cells[(r.org_id, r.kind)].append(r)
    return cells


def _base(rows: list[EvalRow]) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """The province's share of HTXSNV+HTTNV per kind, and of each level per kind."""
    total: dict[str, int] = defaultdict(int)
    good: dict[str, int] = defaultdict(int)
    level: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        total[r.kind] += 1
        good[r.kind] += r.level in GOOD
        level[(r.kind, r.level)] += 1
    return (
        {k: good[k] / total[k] for k in total},
        {key: n / total[key[0]] for key, n in level.items()},
    )


def _family(tests: list[tuple[float, Found]], q: float) -> list[Found]:
    keep = benjamini_hochberg([p for p, _ in tests], q)
    return [f for (_, f), k in zip(tests, keep, strict=True) if k]


def leniency(data: Data, t: Thresholds) -> list[Found]:
    rows = _decided(data.evaluations)
    share, _ = _base(rows)
    tests: list[tuple[float, Found]] = []
    for (org, kind), members in _cells(rows).items():
        n, k = len(members), sum(r.level in GOOD for r in members)
        p0 = share[kind]
        if n < t.min_unit_size or k / n - p0 < t.min_excess:
            # Not tested is not "passed": it keeps the family honest (BH counts only real tests
            # of units large enough), and a small unit's 100% is never evidence alone.
            continue
        p = binomial_sf(k, n, p0)
        numbers = {"n": n, "k": k, "share": k / n, "province_share": p0, "p_value": p}
        found = Found("leniency", org, f"{org}:{kind}", {"kind": kind, **numbers})
        found.evidence = [("evaluation", r.id) for r in members[:20]]
        tests.append((p, found))
    return _family(tests, t.fdr)


def trend(data: Data, t: Thresholds) -> list[Found]:
    """This year's share against the unit's own previous year for the same kind."""
    before = _cells(_decided(data.previous))
    tests: list[tuple[float, Found]] = []
    for (org, kind), members in _cells(_decided(data.evaluations)).items():
        last = before.get((org, kind), [])
        n, k = len(members), sum(r.level in GOOD for r in members)
        n0, k0 = len(last), sum(r.level in GOOD for r in last)
        if n < t.min_unit_size or n0 < t.min_previous_size:
            continue
        if k / n - k0 / n0 < t.min_excess:
            continue
        p = fisher_greater(k, n, k0, n0)
        numbers = {"kind": kind, "n": n, "k": k, "share": k / n, "previous_n": n0}
        numbers |= {"previous_k": k0, "previous_share": k0 / n0, "p_value": p}
        tests.append((p, Found("trend", org, f"{org}:{kind}", numbers)))
    return _family(tests, t.fdr)


def levelling(data: Data, t: Thresholds) -> list[Found]:
    """Everyone of one kind in a unit at one level, unlikely under the province's shares."""
    rows = _decided(data.evaluations)
    _, level_share = _base(rows)
    tests: list[tuple[float, Found]] = []
    for (org, kind), members in _cells(rows).items():
        levels = {r.level for r in members}
        n = len(members)
        if n < t.min_unit_size or len(levels) != 1:
            continue
        level = levels.pop()
        p0 = level_share[(kind, level)]
        p = p0**n
        numbers = {"kind": kind, "n": n, "level": level, "province_share": p0, "p_value": p}
        found = Found("levelling", org, f"{org}:{kind}", numbers)
        found.evidence = [("evaluation", r.id) for r in members[:20]]
        tests.append((p, found))
    return _family(tests, t.fdr)


def upward_deciders(data: Data, t: Thresholds) -> list[Found]:
    """Deciders whose departures from the engine's suggestion all go upward."""
    departures: dict[int, list[EvalRow]] = defaultdict(list)
    for r in _decided(data.evaluations):
        if r.decider_id is not None and r.suggested in RANK and r.suggested != r.level:
            departures[r.decider_id].append(r)
    found = []
    for decider, rows in departures.items():
        up = sum(RANK[r.level] > RANK[r.suggested] for r in rows)
        if len(rows) >= t.min_departures and up == len(rows):
            org = _common_org(rows)
            f = Found("upward_decider", org, str(decider), {"departures": len(rows), "up": up})
            f.decider_id = decider
            f.evidence = [("evaluation", r.id) for r in rows[:20]]
            found.append(f)
    return found


def _common_org(rows: list[EvalRow]) -> int:
    """The deepest organization above every row (its path's longest common id prefix)."""
    parts = [r.org_path.strip(".").split(".") for r in rows]
    common: list[str] = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return int(common[-1]) if common else rows[0].org_id


common_org = _common_org
