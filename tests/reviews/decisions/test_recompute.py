"""Recomputing a cycle's suggestions stores exactly what the engine says, on SQLite and
PostgreSQL alike (the write is a raw executemany, not `bulk_update`: see suggestions._write)."""

from __future__ import annotations

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.evaluations.engine import classify_rows, load_rows
from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions
from kiemdiem.reviews.models import Evaluation
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db


def test_recompute_stores_the_engines_level_base_flags_and_reasons_for_every_evaluation():
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
