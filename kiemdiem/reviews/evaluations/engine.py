"""Map evaluation rows to the rules engine and its results back (STYLE practice 2: once, here).

The engine input is built in the exact JSON shape of `classification.md`, so what the pages
suggest is, by construction, what `kiemdiem classify` says on the same facts (tested).

An evaluation is *ready* when it has every fact its rule set requires (`RuleSet.requires`, asked
through `kiemdiem.reviews.rules`: a score, grades, at least one assigned task …).
Evaluations that are not ready stay out of the engine input and references to them are dropped;
for an evaluation excluded at opening this changes nothing (a cap never reads NOT_RATED, and
NOT_RATED managed units count in neither part, 9.17), otherwise the suggestion is marked
provisional.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kiemdiem.core.memo import remembered
from kiemdiem.engine import InvalidInput, classify, parse_input, to_json
from kiemdiem.engine.model import LEVEL_BY_NAME
from kiemdiem.reviews import rules
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation

LINK_FIELDS = ("leads", "head_of", "leadership_of", "state_evaluation")
LINK_IDS = tuple((name, f"{name}_id") for name in LINK_FIELDS)


def ruleset_for(cycle: Cycle, ev: Evaluation | Mapping[str, Any]) -> str:
    """Collectives are always rated under the party-side rule set (contract 2.1)."""
    track = ev["track"] if isinstance(ev, Mapping) else ev.track
    return cycle.state_rules if track == Evaluation.Track.STATE else cycle.party_rules


def _num_of(value: Decimal | int | None) -> Decimal | int | None:
    """A decimal as the contract writes it: integral ones as ints, others normalized."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value.normalize() if isinstance(value, Decimal) else value


#: `_num_of` remembered per value and type: a province holds a few hundred distinct numbers.
_num = remembered(_num_of, limit=10_000)


def missing_facts(cycle: Cycle, row: Mapping[str, Any]) -> list[str]:
    """The facts the evaluation's rule set requires and the row lacks (labels for the pages)."""
    return rules.missing_facts(ruleset_for(cycle, row), row)


def engine_evaluation(row: Mapping[str, Any], codes: Mapping[int, str]) -> dict[str, Any]:
    """One evaluation in the contract's JSON shape; `codes` maps included row ids to codes."""
    doc: dict[str, Any] = {"id": row["code"], "subject": row["subject"], "role": row["role"]}
    if row["subject"] == Evaluation.Subject.INDIVIDUAL:
        doc["track"] = row["track"]
    if row.get("peer_group_code"):
        doc["peer_group"] = row["peer_group_code"]
    if row.get("score") is not None:
        doc["score"] = _num(row["score"])
    if row.get("general"):
        doc["general"] = row["general"]
    if row.get("results_grade"):
        doc["results_grade"] = row["results_grade"]
    if row.get("tasks_assigned"):
        doc["tasks"] = {
            "assigned": row["tasks_assigned"],
            "completed": row["tasks_completed"],
            "on_time": row["tasks_on_time"],
            "exceeded": row["tasks_exceeded"],
        }
    for name, attname in LINK_IDS:
        target = row.get(attname)
        if target is not None and target in codes:
            doc[name] = codes[target]
    parent = row.get("parent_id")
    if parent is not None and parent in codes:
        doc["parent"] = codes[parent]
    managed = [codes[m] for m in row.get("manages", ()) if m in codes]
    if managed:
        doc["manages"] = managed
    if row.get("discipline"):
        doc["discipline"] = list(row["discipline"])
    for flag in (
        "degradation",
        "prohibition_violation",
        "socioeconomic_targets_failed",
        "corruption_in_managed_unit",
        "cadre_work_wrongdoing",
        "maternity",
    ):
        if row.get(flag):
            doc[flag] = True
    if row.get("shortcomings_previous"):
        doc["shortcomings"] = {
            "previous": row["shortcomings_previous"],
            "remedied": row["shortcomings_remedied"],
        }
    if row.get("low_confidence_share") is not None:
        doc["low_confidence_share"] = _num(row["low_confidence_share"])
    if row["subject"] == Evaluation.Subject.INDIVIDUAL:
        doc["months_worked"] = _num(row["months_worked"])
        doc["absent_months"] = _num(row["absent_months"])
        if row["track"] == Evaluation.Track.PARTY:
            if row.get("party_admission"):
                doc["party_admission"] = row["party_admission"].isoformat()
            if row.get("party_status"):
                doc["party_status"] = row["party_status"]
    return doc


ROW_FIELDS = [
    "id",
    "code",
    "subject",
    "role",
    "track",
    "peer_group_id",
    "score",
    "general",
    "results_grade",
    "tasks_assigned",
    "tasks_completed",
    "tasks_on_time",
    "tasks_exceeded",
    "leads_id",
    "head_of_id",
    "leadership_of_id",
    "state_evaluation_id",
    "parent_id",
    "discipline",
    "degradation",
    "prohibition_violation",
    "shortcomings_previous",
    "shortcomings_remedied",
    "low_confidence_share",
    "socioeconomic_targets_failed",
    "corruption_in_managed_unit",
    "cadre_work_wrongdoing",
    "months_worked",
    "absent_months",
    "maternity",
    "party_admission",
    "party_status",
    "excluded",
    "exclusion_reason",
    "decided_level",
    "status",
]


def load_rows(cycle: Cycle, ids: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
    """Evaluation rows as dicts with their `manages` ids and peer-group codes (3 queries)."""
    qs = Evaluation.objects.filter(cycle=cycle)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = {r["id"]: {**r, "manages": []} for r in fetch_values(qs, ROW_FIELDS)}
    through = Evaluation.manages.through
    links = through.objects.filter(from_evaluation__cycle=cycle)
    if ids is not None:
        links = links.filter(from_evaluation_id__in=list(rows))
    for src, dst in links.values_list("from_evaluation_id", "to_evaluation_id"):
        if src in rows:
            rows[src]["manages"].append(dst)
    groups = dict(cycle.peer_groups.values_list("id", "code"))
    for row in rows.values():
        row["peer_group_code"] = groups.get(row["peer_group_id"])
    return rows


def fetch_values(qs: Any, fields: Sequence[str]) -> list[dict[str, Any]]:
    """`qs.values(*fields)`, with each column's conversion from the database remembered per raw
    value: a province's 140,000 rows hold a few hundred distinct scores, dates and booleans,
    and converting each cell anew (SQLite hands decimals, dates and booleans over raw) cost
    more than the query. A conversion giving a list or dict (JSON) is run per cell, so no two
    rows share a mutable value."""
    compiler = qs.values_list(*fields).query.get_compiler(qs.db)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    connection = compiler.connection
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    if not converters:
        return [dict(zip(fields, r, strict=True)) for r in raw]
    columns = [
        (index, _remembered(convs, expression, connection))
        for index, (convs, expression) in converters.items()
    ]
    out = []
    for r in raw:
        values = list(r)
        for index, convert in columns:
            values[index] = convert(values[index])
        out.append(dict(zip(fields, values, strict=True)))
    return out


def _remembered(convs: Sequence[Any], expression: Any, connection: Any) -> Any:
    """A column's conversions from the database, remembered per raw value (the column's own
    values: one type each)."""

    def convert(value: Any) -> Any:
        for c in convs:
            value = c(value, expression, connection)
        return value

    return remembered(convert, key=lambda value: value)


def dependency_closure(cycle: Cycle, seeds: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The rows a classification of `seeds` needs: what they depend on (caps, unit tasks,
    managed units) and every member of their peer groups, transitively."""
    rows: dict[int, dict[str, Any]] = {}
    frontier = set(seeds)
    seen_groups: set[int] = set()
    while frontier:
        loaded = load_rows(cycle, frontier)
        rows.update(loaded)
        wanted: set[int] = set()
        new_groups = set()
        for row in loaded.values():
            for name in LINK_FIELDS:
                if row.get(f"{name}_id"):
                    wanted.add(row[f"{name}_id"])
            wanted.update(row["manages"])
            if row["peer_group_id"] and row["peer_group_id"] not in seen_groups:
                new_groups.add(row["peer_group_id"])
        if new_groups:
            seen_groups |= new_groups
            wanted.update(
                Evaluation.objects.filter(peer_group_id__in=new_groups).values_list("id", flat=True)
            )
        frontier = wanted - rows.keys()
    return rows


@dataclass
class Suggestion:
    level: str
    base_level: str
    flags: list[str]
    reasons: list[dict[str, str]]
    provisional: bool = False
    missing: list[str] = field(default_factory=list)


def classify_rows(
    cycle: Cycle,
    rows: Mapping[int, Mapping[str, Any]],
    fixed: Mapping[int, str] | None = None,
) -> tuple[dict[int, Suggestion], dict[str, Any]]:
    """Classify the ready rows; return suggestions by row id and the engine document used.

    `fixed` maps row ids to levels the competent level decided (or is deciding): the rows that
    depend on them read those levels (decisions.md §3).
    """
    missing = {pk: missing_facts(cycle, r) for pk, r in rows.items()}
    ready = {pk: r for pk, r in rows.items() if not missing[pk]}
    codes = {pk: r["code"] for pk, r in ready.items()}
    evaluations = [engine_evaluation(r, codes) for r in ready.values()]
    group_ids = {r["peer_group_id"] for r in ready.values() if r["peer_group_id"]}
    ratios = dict(cycle.peer_groups.filter(pk__in=group_ids).values_list("code", "ratio"))
    document: dict[str, Any] = {
        "year": cycle.year,
        "rules": {"party": cycle.party_rules, "state": cycle.state_rules},
        "evaluations": evaluations,
    }
    if ratios:
        document["peer_groups"] = {code: {"ratio": ratio} for code, ratio in sorted(ratios.items())}
    by_code = {codes[pk]: LEVEL_BY_NAME[lv] for pk, lv in (fixed or {}).items() if pk in codes}
    output = (
        to_json(classify(parse_input(document), by_code or None))
        if evaluations
        else {"results": []}
    )
    by_code = {r["id"]: r for r in output["results"]}
    # Left out for want of facts, not excluded: what depends on them is provisional.
    lacking = {pk for pk, r in rows.items() if pk not in ready and not r["excluded"]}
    suggestions: dict[int, Suggestion] = {}
    for pk, row in rows.items():
        if pk in ready:
            result = by_code[row["code"]]
            depends_on_missing = bool(lacking) and (
                any(row.get(attname) in lacking for _name, attname in LINK_IDS)
                or any(m in lacking for m in row["manages"])
            )
            suggestions[pk] = Suggestion(
                level=result["level"],
                base_level=result["base_level"],
                flags=result["flags"],
                reasons=result["reasons"],
                provisional=depends_on_missing,
            )
        elif row["excluded"]:
            suggestions[pk] = Suggestion(
                level="NOT_RATED",
                base_level="NOT_RATED",
                flags=[],
                reasons=[{"rule": "", "effect": "exclusion", "detail": row["exclusion_reason"]}],
            )
        else:
            suggestions[pk] = Suggestion(
                level="",
                base_level="",
                flags=[],
                reasons=[],
                provisional=True,
                missing=missing[pk],
            )
    return suggestions, document


def suggest(evaluation: Evaluation, overrides: Mapping[str, Any] | None = None) -> Suggestion:
    """The engine's level for one evaluation now, with `overrides` (unsaved form values)."""
    cycle = evaluation.cycle
    rows = dependency_closure(cycle, [evaluation.pk])
    if overrides:
        rows[evaluation.pk] = {**rows[evaluation.pk], **overrides}
    try:
        suggestions, _doc = classify_rows(cycle, rows)
    except InvalidInput as exc:
        return Suggestion(
            level="",
            base_level="",
            flags=[],
            reasons=[{"rule": "", "effect": "review", "detail": m} for m in exc.messages],
            provisional=True,
        )
    return suggestions[evaluation.pk]


def document_dumps(document: Mapping[str, Any]) -> str:
    """The engine document as JSON text (e.g. to hand to `kiemdiem classify`).

    Decimals are written through float: every stored fact has at most 6 significant digits, and
    Python's shortest float repr gives back exactly those digits.
    """

    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    return json.dumps(document, ensure_ascii=False, default=default)
