"""Recomputing a cycle's suggestions stores exactly what the engine says, on SQLite and
PostgreSQL alike (the write is a raw executemany, not `bulk_update`: see suggestions._write)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kiemdiem.core import bulk
from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.evaluations.engine import ROW_FIELDS, classify_rows, load_rows
from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions
from kiemdiem.reviews.models import Evaluation
from tests.reviews.decisions.support import make_setup
from tests.reviews.evaluations.test_engine import EXAMPLES, example_path, rows_from_document

pytestmark = pytest.mark.django_db


# core.bulk writes a few rows by executemany, more (PostgreSQL) by COPY and UPDATE … FROM.
WRITE_PATHS = pytest.mark.parametrize("small", [1, 10_000], ids=["copy", "executemany"])


@WRITE_PATHS
def test_recompute_stores_the_engines_level_base_flags_and_reasons_for_every_evaluation(
    monkeypatch, small
):
    monkeypatch.setattr(bulk, "SMALL", small)
    s = make_setup()
    Evaluation.objects.filter(cycle=s.cycle).update(
        suggested_level="", suggested_base_level="", suggested_flags=[], suggested_reasons=[]
    )
    expected, _document = classify_rows(s.cycle, load_rows(s.cycle))
    counts = cycle_recompute_suggestions(actor=None, cycle=s.cycle, progress=None)

    stored = {
        e.pk: e
        for e in Evaluation.objects.filter(cycle=s.cycle).only(
            "suggested_level",
            "suggested_base_level",
            "suggested_flags",
            "suggested_reasons",
            "suggested_at",
        )
    }
    assert set(stored) == set(expected) and len(stored) > 8
    assert any(x.reasons for x in expected.values())  # reasons are JSON lists worth comparing
    for pk, suggestion in expected.items():
        row = stored[pk]
        assert row.suggested_level == suggestion.level
        assert row.suggested_base_level == suggestion.base_level
        assert row.suggested_flags == suggestion.flags
        assert row.suggested_reasons == suggestion.reasons
        assert row.suggested_at is not None
    assert sum(counts.values()) == len(expected)
    assert AuditEvent.objects.filter(action="cycle.recompute").count() == 1


@pytest.mark.parametrize("name", EXAMPLES)
def test_load_rows_gives_the_values_and_types_of_a_plain_values_query(name):
    """`load_rows` converts each column's raw values once per distinct value: the rows are
    still exactly `.values()`'s, types included, and no two rows share a JSON list."""
    document = json.loads(example_path(f"{name}.json").read_text())
    cycle = rows_from_document(document)
    Evaluation.objects.filter(cycle=cycle, subject="individual").update(
        discipline=[{"year": cycle.year, "duty_related": True}]
    )
    plain = {r["id"]: r for r in Evaluation.objects.filter(cycle=cycle).values(*ROW_FIELDS)}
    rows = load_rows(cycle)
    assert set(rows) == set(plain) and len(rows) > 5
    for pk, row in rows.items():
        for name_ in ROW_FIELDS:
            assert row[name_] == plain[pk][name_], (pk, name_)
            assert type(row[name_]) is type(plain[pk][name_]), (pk, name_)
    lists = [id(r["discipline"]) for r in rows.values()]
    assert len(set(lists)) == len(lists)


@WRITE_PATHS
def test_a_second_recompute_writes_only_the_evaluations_whose_suggestion_changed(
    monkeypatch, small
):
    monkeypatch.setattr(bulk, "SMALL", small)
    s = make_setup()
    cycle_recompute_suggestions(actor=None, cycle=s.cycle)
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Evaluation.objects.filter(cycle=s.cycle).update(suggested_at=long_ago)
    staff = s.ev["S7"]
    before = Evaluation.objects.get(pk=staff.pk).suggested_level
    Evaluation.objects.filter(pk=staff.pk).update(general="poor")  # knocked out: KHTNV
    # A row without a stamp (never written) is written even though its suggestion is unchanged.
    Evaluation.objects.filter(pk=s.ev["S6"].pk).update(suggested_at=None)

    cycle_recompute_suggestions(actor=None, cycle=s.cycle)

    expected, _document = classify_rows(s.cycle, load_rows(s.cycle))
    stored = {e.pk: e for e in Evaluation.objects.filter(cycle=s.cycle)}
    assert expected[staff.pk].level == "KHTNV" != before
    changed = {pk for pk, e in stored.items() if e.suggested_at != long_ago}
    assert staff.pk in changed and s.ev["S6"].pk in changed
    for pk, suggestion in expected.items():
        row = stored[pk]
        assert (row.suggested_level, row.suggested_flags, row.suggested_reasons) == (
            suggestion.level,
            suggestion.flags,
            suggestion.reasons,
        )
        assert row.suggested_at is not None
    # The peer group's quota may move others; everything unchanged kept its stamp.
    untouched = set(stored) - changed
    assert untouched and all(stored[pk].suggested_at == long_ago for pk in untouched)
