"""Differential test: the engine against the clean-room reference (tests/engine/reference.py).

Random populations (tests/engine/population.py, seeded) and the shared examples must give the
same level, base level, flags, reasons (rule id and effect, in order), quota rows, and an
``order`` that respects every dependency.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kiemdiem.engine import InvalidInput, classify, dumps, load_json, parse_input
from tests.engine.population import generate, mutate, regroup
from tests.engine.reference import Invalid, check, reference

EXAMPLES = Path("/work/shared/domain/examples")
LOCAL_EXAMPLES = Path(__file__).resolve().parent / "examples"


def engine(text: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(dumps(classify(parse_input(load_json(text.encode())))))
    return out


def differences(text: str) -> list[str]:
    """What the engine and the reference disagree on, one line each."""
    got = engine(text)
    want, ref = reference(json.loads(text, parse_float=Decimal))
    diffs = []
    if got["rules"] != want["rules"]:
        diffs.append(f"rules {got['rules']} != {want['rules']}")
    for g, w in zip(got["results"], want["results"], strict=True):
        gv = (
            g["level"],
            g["base_level"],
            g["flags"],
            [(r["rule"], r["effect"]) for r in g["reasons"]],
        )
        wv = (w["level"], w["base_level"], w["flags"], w["reasons"])
        if gv != wv:
            diffs.append(f"{g['id']}: engine {gv} reference {wv}")
    if got["quota"] != want["quota"]:
        diffs.append(f"quota: engine {got['quota']} reference {want['quota']}")
    if set(got) != {"year", "rules", "results", "quota", "order"} or got["year"] != want["year"]:
        diffs.append(f"top-level keys {sorted(got)}")
    for g in got["results"]:
        if set(g) != {"id", "level", "base_level", "flags", "reasons"} or not g["reasons"]:
            diffs.append(f"{g['id']}: keys {sorted(g)}, {len(g['reasons'])} reasons")
        if any(not isinstance(r.get("detail"), str) or not r["detail"] for r in g["reasons"]):
            diffs.append(f"{g['id']}: a reason without a detail text")
    if not ref.order_ok(got["order"]):
        diffs.append(f"order {got['order']} breaks a dependency")
    return diffs


SEEDS = range(400)


@pytest.mark.parametrize("chunk", range(8))
def test_random_populations_agree(chunk: int) -> None:
    failures = []
    for seed in SEEDS[chunk::8]:
        text = json.dumps(generate(seed))
        check(json.loads(text, parse_float=Decimal))  # the generator makes valid input only
        diffs = differences(text)
        if diffs:
            failures.append(f"seed {seed}: " + "; ".join(diffs[:3]))
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize(
    ("make", "chunk"), [(make, chunk) for make in (regroup, mutate) for chunk in range(4)]
)
def test_random_validity_alike(make: Any, chunk: int) -> None:
    """Peer groups drawn across depths (9.7, also cycles through three groups), or one key set
    to an odd value: the engine refuses exactly what the reference refuses and agrees on the
    rest."""
    failures = []
    for seed in range(chunk, 600, 4):
        text = json.dumps(make(seed))
        try:
            check(json.loads(text, parse_float=Decimal))
            ref_error = None
        except Invalid as error:
            ref_error = str(error)
        try:
            classify(parse_input(load_json(text.encode())))
            engine_error = None
        except InvalidInput as error:
            engine_error = str(error)
        if (ref_error is None) != (engine_error is None):
            failures.append(f"seed {seed}: reference {ref_error!r}, engine {engine_error!r}")
        elif ref_error is None and (diffs := differences(text)):
            failures.append(f"seed {seed}: " + "; ".join(diffs[:3]))
    assert not failures, "\n".join(failures[:10])


def _example_inputs() -> list[Path]:
    paths = sorted(EXAMPLES.glob("*.json")) if EXAMPLES.is_dir() else []
    paths += sorted(LOCAL_EXAMPLES.glob("*.json")) if LOCAL_EXAMPLES.is_dir() else []
    return [p for p in paths if not p.name.endswith(".expected.json") and "invalid" not in p.name]


@pytest.mark.parametrize("path", _example_inputs(), ids=lambda p: p.name)
def test_examples_agree(path: Path) -> None:
    assert differences(path.read_text()) == []


@pytest.mark.parametrize("shapes", ["uniform", "random", "distinct"])
def test_benchmark_populations_agree(shapes: str, tmp_path: Path) -> None:
    """The benchmark's generator (bench/gen_population.py): 3,000 evaluations, each key shape."""
    import sys

    bench = str(Path(__file__).resolve().parents[2] / "bench")
    sys.path.insert(0, bench)
    try:
        from gen_population import write
    finally:
        sys.path.remove(bench)
    path = tmp_path / "in.json"
    write(str(path), 3000, 11, shapes=shapes)
    assert differences(path.read_text()) == []


def test_output_is_deterministic() -> None:
    text = json.dumps(generate(7))
    first = dumps(classify(parse_input(load_json(text.encode()))))
    assert dumps(classify(parse_input(load_json(text.encode())))) == first


# ---- invalid or not: one mutation of a small valid document each ----------------------------
def _base() -> dict[str, Any]:
    t = {"assigned": 10, "completed": 10, "on_time": 10, "exceeded": 5}
    return {
        "year": 2025,
        "rules": {"party": "qd366", "state": "nd90"},
        "peer_groups": {"S": {"ratio": "0.20"}},
        "evaluations": [
            {"id": "PO", "subject": "collective", "role": "party_organization", "score": 91, "tasks": t},
            {"id": "O", "subject": "collective", "role": "organization", "parent": "PO", "score": 91, "tasks": t},
            {"id": "U", "subject": "collective", "role": "organization", "parent": "O", "score": 80, "tasks": t},
            {"id": "LD", "subject": "collective", "role": "leadership", "leadership_of": "O", "score": 95, "tasks": t},
            {"id": "H", "subject": "individual", "role": "leader", "track": "state", "leads": "O",
             "head_of": "O", "manages": ["U"], "general": "good", "score": 91, "tasks": t},
            {"id": "H.d", "subject": "individual", "role": "leader", "track": "party", "leads": "PO",
             "state_evaluation": "H", "score": 92, "tasks": t},
            {"id": "S1", "subject": "individual", "role": "staff", "track": "state", "peer_group": "S",
             "general": "excellent", "score": 99, "tasks": t},
            {"id": "S2", "subject": "individual", "role": "staff", "track": "state", "peer_group": "S",
             "general": "good", "score": 91, "tasks": t},
            {"id": "S1.d", "subject": "individual", "role": "staff", "track": "party",
             "state_evaluation": "S1", "score": 88, "tasks": t},
            {"id": "X", "subject": "individual", "role": "party_outside", "track": "party", "score": 70, "tasks": t},
        ],
    }  # fmt: skip


def _ev(doc: dict[str, Any], i: str) -> dict[str, Any]:
    ev: dict[str, Any] = next(e for e in doc["evaluations"] if e["id"] == i)
    return ev


def _set(i: str, **kw: Any) -> Any:
    return lambda d: _ev(d, i).update(kw)


def _del(i: str, key: str) -> Any:
    return lambda d: _ev(d, i).pop(key)


def _top(**kw: Any) -> Any:
    return lambda d: d.update(kw)


def _tasks(i: str, **kw: Any) -> Any:
    return lambda d: _ev(d, i).__setitem__("tasks", {**_ev(d, i)["tasks"], **kw})


MUTATIONS: dict[str, tuple[bool, Any]] = {
    # (valid?, mutation)
    "unchanged": (True, lambda d: None),
    "year 2017": (False, _top(year=2017)),
    "year 2101": (False, _top(year=2101)),
    "year as a string": (False, _top(year="2025")),
    "year 2022 without rules": (False, lambda d: (d.pop("rules"), d.update(year=2022))),
    "year 2022 with one track": (False, _top(year=2022, rules={"party": "qd366"})),
    "year 2022 with both tracks": (True, _top(year=2022)),
    "state set under party": (False, _top(rules={"party": "nd90"})),
    "party set under state": (False, _top(rules={"state": "qd124"})),
    "unknown rule set": (False, _top(rules={"party": "qd999"})),
    "haiphong212 on the state track": (True, _top(rules={"state": "haiphong212"})),
    "one track named": (True, _top(rules={"state": "nd335"})),
    "unknown top-level key": (False, _top(extra=1)),
    "unknown evaluation key": (False, _set("S1", colour="red")),
    "duplicate id": (False, _set("S2", id="S1")),
    "unknown reference": (False, _set("H", leads="NOPE")),
    "parent cycle": (False, _set("PO", parent="U")),
    "score above 100": (False, _set("X", score=100.01)),
    "score below 0": (False, _set("X", score=-1)),
    "score as a string": (False, _set("X", score="70")),
    "score missing under qd366": (False, _del("X", "score")),
    "general missing under nd90": (False, _del("S2", "general")),
    "unknown grade": (False, _set("S2", general="bad")),
    "completed above assigned": (False, _tasks("S2", completed=11)),
    "on_time above completed": (False, _tasks("S2", completed=9)),
    "exceeded above completed": (False, _tasks("S2", exceeded=11, assigned=20, completed=10)),
    "assigned 0": (False, _tasks("S2", assigned=0, completed=0, on_time=0, exceeded=0)),
    "tasks key missing": (False, lambda d: _ev(d, "S2")["tasks"].pop("exceeded")),
    "tasks count as a float": (False, _tasks("S2", assigned=10.0)),
    "tasks missing under qd366": (False, _del("X", "tasks")),
    "tasks missing on a qd366 collective": (False, _del("U", "tasks")),
    "track on a collective": (False, _set("U", track="party")),
    "party_outside on the state track": (False, _set("X", track="state", general="good")),
    "ratio above 0.25": (False, _top(peer_groups={"S": {"ratio": "0.26"}})),
    "ratio 0.25": (True, _top(peer_groups={"S": {"ratio": "0.25"}})),
    "ratio .2": (True, _top(peer_groups={"S": {"ratio": ".2"}})),
    "ratio with a sign": (False, _top(peer_groups={"S": {"ratio": "-0.1"}})),
    "ratio with an exponent": (False, _top(peer_groups={"S": {"ratio": "2e-1"}})),
    "ratio as a number": (False, _top(peer_groups={"S": {"ratio": 0.2}})),
    "peer group entry with another key": (False, _top(peer_groups={"S": {"ratio": "0.2", "x": 1}})),
    "peer group without members": (True, _top(peer_groups={"S": {}, "EMPTY": {"ratio": "0.1"}})),
    "unknown cap": (False, _top(caps=["party_le_state", "nope"])),
    "no caps": (True, _top(caps=[])),
    "duplicate caps": (True, _top(caps=["head_le_unit", "head_le_unit"])),
    "manages twice the same id": (False, _set("H", manages=["U", "U"])),
    "manages an individual": (False, _set("H", manages=["S1"])),
    "leads a leadership collective": (False, _set("H", leads="LD")),
    "head_of an individual": (False, _set("H", head_of="S1")),
    "state_evaluation a party-track individual": (False, _set("S1.d", state_evaluation="X")),
    "state_evaluation a collective": (False, _set("S1.d", state_evaluation="U")),
    "leadership_of a leadership collective": (False, _set("LD", leadership_of="LD")),
    "parent an individual": (False, _set("U", parent="S1")),
    "dependency inside a peer group": (False, _set("S1.d", peer_group="S")),
    "mixed point and grade group": (False, _set("X", peer_group="S")),
    "groups depending on each other": (
        False,
        lambda d: (_set("S1.d", peer_group="P")(d), _set("S1", peer_group="P2")(d),
                   _set("H", peer_group="P2")(d), _set("U", peer_group="P")(d)),
    ),  # fmt: skip
    "discipline without year": (False, _set("S2", discipline=[{"duty_related": True}])),
    "discipline year 1899": (False, _set("S2", discipline=[{"year": 1899}])),
    "discipline with only a year": (True, _set("S2", discipline=[{"year": 2025}])),
    "discipline flag not a bool": (False, _set("S2", discipline=[{"year": 2025, "duty_related": 1}])),
    "shortcomings remedied above previous": (False, _set("S2", shortcomings={"previous": 1, "remedied": 2})),
    "shortcomings one key": (False, _set("S2", shortcomings={"previous": 1})),
    "low_confidence_share 1.5": (False, _set("H", low_confidence_share=1.5)),
    "months_worked 13": (False, _set("S2", months_worked=13)),
    "absent_months -1": (False, _set("S2", absent_months=-1)),
    "absent above worked": (True, _set("S2", months_worked=6, absent_months=7)),
    "null optional key": (False, _set("S2", degradation=None)),
    "bool as a string": (False, _set("S2", degradation="true")),
    "party_status unknown": (False, _set("S1.d", party_status="left")),
    "party_admission not a date": (False, _set("S1.d", party_admission="2025-13-01")),
    "keys a role does not use": (True, _set("S2", low_confidence_share=0.9, cadre_work_wrongdoing=True,
                                            party_admission="2025-12-01", leadership_of="O")),
    "tasks absent under nd335": (True, lambda d: (_top(rules={"state": "nd335"})(d),
                                                  _set("S2", score=80)(d), _set("S1", score=99)(d),
                                                  _set("H", score=91)(d), _del("S2", "tasks")(d))),
    "empty evaluations": (True, _top(evaluations=[])),
    "party_admission as an ISO week date": (False, _set("S1.d", party_admission="2025-W01-1")),
    "party_admission on 29 February of a leap year": (True, _set("S1.d", party_admission="2024-02-29")),
    "empty id (the engine's reading)": (False, _set("X", id="")),
    "caps not a list": (False, _top(caps="head_le_unit")),
    "empty rules": (True, _top(rules={})),
    "undeclared peer group": (True, _set("X", peer_group="NEW")),
    "discipline entry with an unknown key": (False, _set("S2", discipline=[{"year": 2025, "form": "x"}])),
    "tasks with an extra key": (False, _tasks("S2", late=0)),
    "score true": (False, _set("X", score=True)),
    "year as a float": (False, _top(year=2025.0)),
    "months_worked 12.5": (False, _set("S2", months_worked=12.5)),
    "unused key out of range (staff low_confidence_share 1.5)": (False, _set("S2", low_confidence_share=1.5)),
    "unused key out of range (score 150 under nd90)": (False, _set("S2", score=150)),
    "unused key out of range (general on qd366)": (False, _set("X", general="great")),
    "unused key of the wrong kind (staff leads an individual)": (False, _set("S2", leads="S1")),
    "unused reference on a collective (state_evaluation)": (True, _set("U", state_evaluation="S2")),
    "bad tasks under nd335 (optional, still checked)": (
        False,
        lambda d: (_top(rules={"state": "nd335"})(d), _tasks("S2", completed=11)(d)),
    ),
    "dependency inside a group through an outside evaluation": (
        False,
        lambda d: (_set("LD", peer_group="L")(d), _set("U", peer_group="L")(d)),
    ),
    "mixed qd366 and nd335 points group": (
        True,
        lambda d: (_top(rules={"state": "nd335"})(d), _set("X", peer_group="S")(d)),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_validity_agrees(name: str) -> None:
    import copy

    from kiemdiem.engine import InvalidInput
    from tests.engine.reference import Invalid, check

    valid, mutate = MUTATIONS[name]
    doc = _base()
    mutate(doc)
    text = json.dumps(doc)
    try:
        check(json.loads(text, parse_float=Decimal))
        ref_valid = True
    except Invalid:
        ref_valid = False
    assert ref_valid == valid, "the reference disagrees with the mutation's expectation"
    try:
        classify(parse_input(load_json(text.encode())))
        engine_valid = True
    except InvalidInput:
        engine_valid = False
    assert engine_valid == valid
    if valid:
        assert differences(copy.deepcopy(text)) == []


def test_populations_cover_the_contract() -> None:
    """The seeds reach every rule set, effect, rule id, flag and quota shape the test relies on."""
    seen: set[Any] = set()
    for seed in SEEDS:
        doc = generate(seed)
        out, _ = reference(json.loads(json.dumps(doc), parse_float=Decimal))
        seen.add(("rules", out["rules"]["party"], out["rules"]["state"]))
        for r in out["results"]:
            seen.add(("level", r["level"]))
            seen.update(("flag", f) for f in r["flags"])
            seen.update(("reason", *x) for x in r["reasons"])
        for q in out["quota"]:
            seen.add(("ratio", q["ratio"]))
            if q["max_excellent"] == 0 and q["demoted"]:
                seen.add("k = 0 demotes all")
            if q["excellent"] < q["max_excellent"]:
                seen.add("tie leaves excellent below max")
        big = any(e.get("tasks", {}).get("assigned", 0) > 2**53 for e in doc["evaluations"])
        seen.add(("big tasks", big))
    expected = {
        ("rules", p, s) for p in ("qd124", "qd366") for s in ("nd90", "nd335", "haiphong212")
    }
    expected |= {("level", x) for x in ("HTXSNV", "HTTNV", "HTNV", "KHTNV", "NOT_RATED")}
    expected |= {("flag", "QUOTA_TIE"), ("flag", "REVIEW_REQUIRED"), ("big tasks", True)}
    expected |= {("ratio", r) for r in ("0.20", "0.25", "0", "0.2")}
    expected |= {"k = 0 demotes all", "tie leaves excellent below max"}
    reasons = {
        "exclusion": ["366-3", "124-2", "ND90-2", "HP212-3"],
        "knockout": ["366-24", "366-25", "366-26", "366-28", "124-13", "ND90-6", "ND90-16",
                     "ND335-4", "HP212-6", "HP212-7"],
        "base": ["366-15", "366-16", "366-17", "366-20", "366-21", "366-22", "366-23", "124-9",
                 "124-10", "124-11", "124-12", "124-15", "ND90-11", "ND90-12", "ND90-13",
                 "ND90-14", "ND90-15", "ND335-4", "HP212-6", "HP212-7"],
        "review": ["366-27", "366-34", "124-8", "ND90-17", "HP212-8"],
        "cap": ["ND90-3", "124-18", "HP212-3", "X-3", "X-4", "X-5"],
        "quota": ["366-19", "124-14", "ND90-9", "ND335-5", "HP212-3"],
    }  # fmt: skip
    expected |= {("reason", rule, effect) for effect, rules in reasons.items() for rule in rules}
    assert expected - seen == set()
