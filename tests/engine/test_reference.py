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

from kiemdiem.engine import classify, dumps, load_json, parse_input
from tests.engine.population import generate
from tests.engine.reference import reference

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
    if not ref.order_ok(got["order"]):
        diffs.append(f"order {got['order']} breaks a dependency")
    return diffs


SEEDS = range(400)


@pytest.mark.parametrize("chunk", range(8))
def test_random_populations_agree(chunk: int) -> None:
    failures = []
    for seed in SEEDS[chunk::8]:
        text = json.dumps(generate(seed))
        diffs = differences(text)
        if diffs:
            failures.append(f"seed {seed}: " + "; ".join(diffs[:3]))
    assert not failures, "\n".join(failures[:10])


def _example_inputs() -> list[Path]:
    paths = sorted(EXAMPLES.glob("*.json")) if EXAMPLES.is_dir() else []
    paths += sorted(LOCAL_EXAMPLES.glob("*.json")) if LOCAL_EXAMPLES.is_dir() else []
    return [p for p in paths if not p.name.endswith(".expected.json") and "invalid" not in p.name]


@pytest.mark.parametrize("path", _example_inputs(), ids=lambda p: p.name)
def test_examples_agree(path: Path) -> None:
    assert differences(path.read_text()) == []
