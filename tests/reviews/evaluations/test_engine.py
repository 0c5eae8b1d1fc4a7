"""The suggested levels the pages show are what `kiemdiem classify` says on the same facts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kiemdiem.orgs.models import OrgKind
from kiemdiem.reviews.evaluations.engine import classify_rows, document_dumps, load_rows, suggest
from kiemdiem.reviews.models import Cycle, Evaluation, PeerGroup
from tests.conftest import make_org, make_person

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = [
    "01-xa-2025-qd366-nd90",
    "02-so-2024-qd124-nd90",
    "03-truong-2026-qd366-nd335",
]


GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Khoa",
    "Lan",
    "Minh",
    "Nga",
    "Oanh",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Uyên",
    "Vy",
    "Xuân",
    "Yến",
]


def example_path(name: str) -> Path:
    shared = REPO.parent / "shared/domain/examples" / name
    return shared if shared.exists() else REPO / "tests/engine/examples" / name


def rows_from_document(document: dict) -> Cycle:
    """Store an engine input document as a cycle with evaluation rows (what opening creates)."""
    root = make_org("ROOT", "Tỉnh ủy thử nghiệm", OrgKind.PARTY_PROVINCE)
    rules = document.get("rules", {})
    year = document["year"]
    defaults = {
        "party": "qd124" if year < 2025 else "qd366",
        "state": "nd90" if year < 2026 else "nd335",
    }
    cycle = Cycle.objects.create(
        name=f"Đợt {year}",
        year=year,
        scope=root,
        party_rules=rules.get("party", defaults["party"]),
        state_rules=rules.get("state", defaults["state"]),
        state_deadline=dt.date(year, 12, 15),
        party_deadline=dt.date(year, 12, 31),
    )
    groups = {}
    for code in sorted({e["peer_group"] for e in document["evaluations"] if "peer_group" in e}):
        ratio = document.get("peer_groups", {}).get(code, {}).get("ratio", "0.20")
        groups[code] = PeerGroup.objects.create(cycle=cycle, code=code, name=code, ratio=ratio)
    people: dict[str, object] = {}
    by_code: dict[str, Evaluation] = {}
    for i, e in enumerate(document["evaluations"]):
        person = None
        if e["subject"] == "collective":
            org = make_org(f"O{i}", f"Tập thể {e['id']}", OrgKind.DEPARTMENT, root)
        else:
            org = root
            key = e.get("state_evaluation") or e["id"]
            if key not in people:
                n = len(people)
                people[key] = make_person(
                    f"Nguyễn Văn {GIVEN[n % len(GIVEN)]} {GIVEN[n // len(GIVEN)]}"
                )
            person = people[key]
        tasks = e.get("tasks", {})
        shortcomings = e.get("shortcomings", {})
        by_code[e["id"]] = Evaluation.objects.create(
            cycle=cycle,
            code=e["id"],
            subject=e["subject"],
            role=e["role"],
            track=e.get("track", ""),
            person=person,
            organization=org,
            peer_group=groups.get(e.get("peer_group")),
            score=Decimal(str(e["score"])) if "score" in e else None,
            general=e.get("general", ""),
            results_grade=e.get("results_grade", ""),
            tasks_assigned=tasks.get("assigned", 0),
            tasks_completed=tasks.get("completed", 0),
            tasks_on_time=tasks.get("on_time", 0),
            tasks_exceeded=tasks.get("exceeded", 0),
            shortcomings_previous=shortcomings.get("previous", 0),
            shortcomings_remedied=shortcomings.get("remedied", 0),
            discipline=e.get("discipline", []),
            degradation=e.get("degradation", False),
            prohibition_violation=e.get("prohibition_violation", False),
            low_confidence_share=e.get("low_confidence_share"),
            socioeconomic_targets_failed=e.get("socioeconomic_targets_failed", False),
            corruption_in_managed_unit=e.get("corruption_in_managed_unit", False),
            cadre_work_wrongdoing=e.get("cadre_work_wrongdoing", False),
            months_worked=Decimal(str(e.get("months_worked", 12))),
            absent_months=Decimal(str(e.get("absent_months", 0))),
            maternity=e.get("maternity", False),
            party_admission=dt.date.fromisoformat(e["party_admission"])
            if "party_admission" in e
            else None,
            party_status=e.get("party_status", ""),
        )
    for e in document["evaluations"]:
        ev = by_code[e["id"]]
        for name in ("leads", "head_of", "leadership_of", "state_evaluation", "parent"):
            if name in e:
                setattr(ev, name, by_code[e[name]])
        ev.save()
        ev.manages.set([by_code[m] for m in e.get("manages", [])])
    return cycle


@pytest.mark.parametrize("name", EXAMPLES)
def test_whole_cycle_suggestions_equal_the_classify_command_on_the_same_facts(db, name):
    document = json.loads(example_path(f"{name}.json").read_text())
    expected = json.loads(example_path(f"{name}.expected.json").read_text())
    cycle = rows_from_document(document)
    suggestions, built = classify_rows(cycle, load_rows(cycle))
    command = subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", "classify", "-"],
        input=document_dumps(built),
        capture_output=True,
        text=True,
        check=True,
    )
    from_command = {r["id"]: r for r in json.loads(command.stdout)["results"]}
    codes = dict(Evaluation.objects.filter(cycle=cycle).values_list("pk", "code"))
    for pk, s in suggestions.items():
        assert (s.level, s.base_level, s.flags) == (
            from_command[codes[pk]]["level"],
            from_command[codes[pk]]["base_level"],
            from_command[codes[pk]]["flags"],
        )
    levels = {codes[pk]: s.level for pk, s in suggestions.items()}
    assert levels == {r["id"]: r["level"] for r in expected["results"]}


@pytest.mark.parametrize("name", EXAMPLES)
def test_one_evaluation_classified_on_its_closure_gets_the_whole_cycle_level(db, name):
    document = json.loads(example_path(f"{name}.json").read_text())
    cycle = rows_from_document(document)
    whole, _ = classify_rows(cycle, load_rows(cycle))
    for ev in Evaluation.objects.filter(cycle=cycle):
        single = suggest(ev)
        assert (single.level, single.flags) == (whole[ev.pk].level, whole[ev.pk].flags), ev.code


def test_unsaved_form_values_change_the_suggestion_without_being_saved(db):
    document = json.loads(example_path("03-truong-2026-qd366-nd335.json").read_text())
    cycle = rows_from_document(document)
    teacher = Evaluation.objects.get(cycle=cycle, code="GV-16")
    assert suggest(teacher).level == "HTNV"
    assert suggest(teacher, {"score": Decimal("75")}).level == "HTTNV"
    teacher.refresh_from_db()
    assert teacher.score == Decimal("69.99")


def test_an_evaluation_missing_its_score_gets_no_level_and_names_what_is_missing(db):
    document = json.loads(example_path("03-truong-2026-qd366-nd335.json").read_text())
    cycle = rows_from_document(document)
    teacher = Evaluation.objects.get(cycle=cycle, code="GV-16")
    suggestion = suggest(teacher, {"score": None})
    assert suggestion.level == ""
    assert suggestion.missing == ["tổng điểm"]
