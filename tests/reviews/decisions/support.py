"""A small verified cycle for the decision tests: a unit U, its head H (head_of U), the party
evaluation H.d of the head (state_evaluation H), and a peer group G of seven staff (quota
floor(7 × 0.20 / 1.20) = 1). Every evaluation is verified; `thamquyen` holds the competent role
at the root, which manages all of them (cadre-management rows for the people)."""

from __future__ import annotations

from dataclasses import dataclass

from kiemdiem.accounts.models import Role
from kiemdiem.orgs.models import CadreManagement, OrgKind
from kiemdiem.reviews.evaluations.engine import classify_rows, load_rows
from kiemdiem.reviews.models import Cycle, Evaluation
from tests.conftest import make_org, make_user
from tests.reviews.evaluations.test_engine import rows_from_document

TASKS = {"assigned": 20, "completed": 20, "on_time": 20}


def document(staff: int = 7) -> dict:
    evs: list[dict] = [
        {
            "id": "U",
            "subject": "collective",
            "role": "organization",
            "score": 91,
            "tasks": {"assigned": 24, "completed": 24, "on_time": 24, "exceeded": 9},
        },
        {
            "id": "H",
            "subject": "individual",
            "role": "leader",
            "track": "state",
            "head_of": "U",
            "general": "excellent",
            "tasks": {"assigned": 10, "completed": 10, "on_time": 10, "exceeded": 6},
        },
    ]
    for n in range(staff):
        evs.append(
            {
                "id": f"S{n + 1}",
                "subject": "individual",
                "role": "staff",
                "track": "state",
                "peer_group": "G",
                "general": "excellent",
                "tasks": {**TASKS, "exceeded": 18 - (n % 10)},
            }
        )
    return {"year": 2025, "rules": {"party": "qd366", "state": "nd90"}, "evaluations": evs}


@dataclass
class Setup:
    cycle: Cycle
    ev: dict[str, Evaluation]
    suggested: dict[str, str]
    base: dict[str, str]
    competent: object
    other_competent: object


def make_setup(staff: int = 7) -> Setup:
    cycle = rows_from_document(document(staff))
    root = cycle.scope
    evs = {e.code: e for e in Evaluation.objects.filter(cycle=cycle).select_related("person")}
    for e in evs.values():
        if e.person_id:
            CadreManagement.objects.create(manager=root, person=e.person)
    suggestions, _doc = classify_rows(cycle, load_rows(cycle))
    Evaluation.objects.filter(cycle=cycle).update(status=Evaluation.Status.VERIFIED)
    evs = {e.code: e for e in Evaluation.objects.filter(cycle=cycle)}
    other = make_org("KHAC", "Đơn vị khác", OrgKind.DEPARTMENT)
    return Setup(
        cycle=cycle,
        ev=evs,
        suggested={e.code: suggestions[e.pk].level for e in evs.values()},
        base={e.code: suggestions[e.pk].base_level for e in evs.values()},
        competent=make_user("thamquyen", role=Role.COMPETENT, org=root),
        other_competent=make_user("thamquyenkhac", role=Role.COMPETENT, org=other),
    )
