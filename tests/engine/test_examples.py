"""The shared examples (classification.md section 10) pass exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.conftest import cli, examples_dir, run

NAMES = ["01-xa-2025-qd366-nd90", "02-so-2024-qd124-nd90", "03-truong-2026-qd366-nd335"]


def _load(name: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    d = examples_dir()
    return (
        json.loads((d / f"{name}.json").read_text(encoding="utf-8")),
        json.loads((d / f"{name}.expected.json").read_text(encoding="utf-8")),
    )


def _essentials(out: dict) -> list:  # type: ignore[type-arg]
    return [
        (
            r["id"],
            r["level"],
            r["base_level"],
            r["flags"],
            [(x["rule"], x["effect"]) for x in r["reasons"]],
        )
        for r in out["results"]
    ]


@pytest.mark.parametrize("name", NAMES)
def test_example_levels_flags_and_reasons_match(name: str) -> None:
    given, expected = _load(name)
    out = run(given)
    assert _essentials(out) == _essentials(expected)
    assert out["year"] == expected["year"]
    assert out["rules"] == expected["rules"]


@pytest.mark.parametrize("name", NAMES)
def test_example_quota_table_matches(name: str) -> None:
    given, expected = _load(name)
    assert run(given)["quota"] == expected["quota"]


@pytest.mark.parametrize("name", NAMES)
def test_example_order_matches_exactly(name: str) -> None:
    given, expected = _load(name)
    assert run(given)["order"] == expected["order"]


@pytest.mark.parametrize("name", NAMES)
def test_example_details_match_the_expected_texts(name: str) -> None:
    given, expected = _load(name)
    got = [[x["detail"] for x in r["reasons"]] for r in run(given)["results"]]
    assert got == [[x["detail"] for x in r["reasons"]] for r in expected["results"]]


@pytest.mark.parametrize("name", NAMES)
def test_example_through_the_command_gives_the_same_document(name: str) -> None:
    given, expected = _load(name)
    proc = cli(str(examples_dir() / f"{name}.json"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == run(given)


def test_invalid_example_exits_2_and_names_each_place() -> None:
    proc = cli(str(examples_dir() / "04-invalid.json"))
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert any('evaluations[1] (id "B")' in x and "tasks.completed" in x for x in lines)
    assert any('evaluations[2] (id "C")' in x and "state_evaluation" in x for x in lines)


def test_examples_copy_in_the_repository_is_complete_and_up_to_date() -> None:
    """The suite runs on the repository's copy when ../shared is absent: the copy must hold
    every example (an input beside each expected output), and equal ../shared where it exists."""
    copy = Path(__file__).resolve().parent / "examples"
    for expected in copy.glob("*.expected.*"):
        assert (
            copy
            / expected.name.replace(".expected.txt", ".json").replace(".expected.json", ".json")
        ).is_file(), expected.name
    assert len(list(copy.glob("*.expected.*"))) >= 4
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "domain" / "examples"
    if shared.is_dir():
        for f in shared.iterdir():
            assert (copy / f.name).read_bytes() == f.read_bytes(), f.name
