"""The Python API used by the web application (package docstring of kiemdiem.engine)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from kiemdiem.engine import (
    ClassifyInput,
    Evaluation,
    InvalidInput,
    Tasks,
    classify,
    dumps,
    load_json,
    parse_input,
    to_json,
)
from tests.engine.conftest import doc, staff, tasks


def _people() -> tuple[Evaluation, ...]:
    return (
        Evaluation(
            "S", "individual", "staff", track="state", general="good", tasks=Tasks(10, 10, 10, 5)
        ),
        Evaluation(
            "S.d",
            "individual",
            "staff",
            track="party",
            score=Decimal("95"),
            tasks=Tasks(10, 10, 10, 5),
            state_evaluation="S",
        ),
    )


def test_a_request_built_from_dataclasses_is_classified() -> None:
    out = classify(ClassifyInput(year=2025, evaluations=_people()))
    assert [r.level for r in out.results] == ["HTXSNV", "HTXSNV"]
    assert out.results[1].reasons[0].rule == "366-17"
    assert to_json(out)["rules"] == {"party": "qd366", "state": "nd90"}


def test_a_hand_built_request_with_a_bad_reference_raises_invalid_input() -> None:
    bad = (
        Evaluation(
            "X",
            "individual",
            "staff",
            track="party",
            score=80,
            tasks=Tasks(1, 1, 1, 0),
            state_evaluation="nobody",
        ),
    )
    with pytest.raises(InvalidInput) as info:
        classify(ClassifyInput(year=2025, evaluations=bad))
    assert "state_evaluation" in info.value.messages[0]


def test_parse_input_does_not_modify_the_callers_document() -> None:
    d = doc(2025, staff("S", general="good", tasks=tasks(10, e=5)))
    before = copy.deepcopy(d)
    parse_input(d)
    assert d == before


def test_parse_input_gives_the_same_result_as_the_dataclass_route() -> None:
    d = doc(
        2025,
        staff("S", general="good", tasks=tasks(10, e=5)),
        staff("S.d", track="party", score=95, tasks=tasks(10, e=5), state_evaluation="S"),
    )
    assert to_json(classify(parse_input(d))) == to_json(classify(ClassifyInput(2025, _people())))


def test_parsed_evaluations_are_frozen_dataclasses_with_defaults() -> None:
    req = parse_input(doc(2025, staff("S", general="good")))
    ev = req.evaluations[0]
    assert ev.months_worked == 12 and ev.discipline == () and ev.tasks == Tasks(10, 10, 10, 0)
    with pytest.raises(AttributeError):
        ev.score = 1  # type: ignore[misc]


def test_load_json_reads_decimals_exactly() -> None:
    d = load_json(b'{"x": 89.999, "y": 90}')
    assert d == {"x": Decimal("89.999"), "y": 90}


def test_python_floats_are_read_as_the_decimal_written() -> None:
    r = to_json(classify(parse_input(doc(2026, staff("S", score=89.999)))))["results"][0]
    assert r["level"] == "HTTNV" and r["reasons"][0]["detail"] == "score 89.999 ≥ 70"


def test_dumps_is_the_text_of_to_json() -> None:
    import json

    out = classify(parse_input(doc(2025, staff("S", general="good"))))
    assert json.loads(dumps(out)) == to_json(out)
