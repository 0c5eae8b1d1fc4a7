"""The heuristics over a generated province in the database (SQLite and PostgreSQL): a clean
province gives no flag at all; every planted case is found, naming its subject."""

from __future__ import annotations

import pytest

from kiemdiem.integrity.loading import load
from kiemdiem.integrity.models import Flag
from kiemdiem.integrity.services import compute
from tests.integrity.support import make_province

pytestmark = pytest.mark.django_db


def _by_code(cycle) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for f in Flag.objects.filter(cycle=cycle):
        out.setdefault(f.code, []).append(f)
    return out


def test_clean_province_gives_no_flag(cast):
    p = make_province(cast, plant=False)
    data = load(p.cycle, p.cycle.scope)
    assert len(data.evaluations) == 24 * 14 and len(data.previous) == 24 * 14
    assert len(data.tasks) == 24 * 14 * 2 and len(data.products) == len(data.tasks)
    counts = compute(cycle=p.cycle)
    assert counts["found"] == 0, [(f.code, f.numbers) for f in Flag.objects.all()]


SUBJECT = {
    "leniency": "organization_id",
    "levelling": "organization_id",
    "trend": "organization_id",
    "upward_decider": "decider_id",
    "low_evidence": "evaluation_id",
    "above_meeting": "evaluation_id",
    "late_registration": "person_id",
    "self_set_exceeded": "person_id",
    "ties_leaders": "decider_id",
    "out_of_order": "evaluation_id",
}


def test_planted_cases_are_found(cast):
    p = make_province(cast, plant=True)
    compute(cycle=p.cycle)
    flags = _by_code(p.cycle)
    missing = [code for code in p.planted if code not in flags]
    assert not missing, {c: [f.numbers for f in v] for c, v in flags.items()}
    for code, attr in SUBJECT.items():
        assert p.planted[code] in {getattr(f, attr) for f in flags[code]}, code
    assert flags["shared_document"][0].numbers["document"] == p.planted["shared_document"]
    assert flags["identical_files"][0].numbers["sha256"] == p.planted["identical_files"]
    assert flags["target_changed"][0].numbers["task"] == p.planted["target_changed"]
    assert flags["quota_ceiling"][0].numbers["group"] == "G0"
    # The invariant: a leader is never above their unit, planted province or not.
    assert "leader_above_unit" not in flags
