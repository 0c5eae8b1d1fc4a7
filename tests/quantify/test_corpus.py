"""The checker against a corpus of realistic sentences from self-reviews.

Each entry in corpus.json gives the text, the role whose report it comes from, the findings
expected (kind and matched text, in order) and whether every clause is quantified.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kiemdiem.quantify import check_text

CORPUS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "corpus.json").read_text(encoding="utf-8")
)


def _input(entry: dict[str, Any]) -> str:
    text: str = entry["text"]
    return unicodedata.normalize(entry.get("unicode", "NFC"), text)


def _ids() -> list[str]:
    return [f"{index:02d}-{entry['role']}" for index, entry in enumerate(CORPUS)]


def test_the_corpus_is_large_and_covers_every_role() -> None:
    assert len(CORPUS) >= 60
    roles = {entry["role"] for entry in CORPUS}
    assert {
        "commune_civil_servant",
        "teacher",
        "department_head",
        "party_cell_secretary",
        "boilerplate",
        "mixed",
        "tricky_numbers",
        "unicode",
    } <= roles
    assert any(entry.get("unicode") == "NFD" for entry in CORPUS)
    kinds = {kind for entry in CORPUS for kind, _ in entry["findings"]}
    assert kinds == {
        "quantity",
        "percentage",
        "document",
        "date",
        "named_output",
        "ranking",
        "vague",
    }


@pytest.mark.parametrize("entry", CORPUS, ids=_ids())
def test_each_corpus_sentence_yields_the_expected_findings(entry: dict[str, Any]) -> None:
    report = check_text(_input(entry))
    found = [[finding.kind, finding.text] for finding in report.findings]
    assert found == entry["findings"], entry.get("note", "")


@pytest.mark.parametrize("entry", CORPUS, ids=_ids())
def test_each_corpus_sentence_is_judged_quantified_or_not(entry: dict[str, Any]) -> None:
    report = check_text(_input(entry))
    scored = [sentence for sentence in report.sentences if sentence.scored]
    assert scored, "every corpus entry is a substantive sentence"
    assert all(sentence.quantified for sentence in scored) is entry["quantified"]


@pytest.mark.parametrize("entry", CORPUS, ids=_ids())
def test_each_finding_span_points_at_its_text_in_the_original_input(
    entry: dict[str, Any],
) -> None:
    original = _input(entry)
    for finding in check_text(original).findings:
        start, end = finding.span
        shown = unicodedata.normalize("NFC", original[start:end]).replace("\u00d0", "Đ")
        assert shown == finding.text
