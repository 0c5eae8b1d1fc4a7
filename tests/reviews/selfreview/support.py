"""Shared builders of the self-review tests (imported by the tests of this folder, whose
conftest.py makes its fixtures theirs).

A 2026 cycle over the cast's tree (party `qd366`, state `nd335`), already open, with:
- the staff member's state-track evaluation in Phòng Công chức (NĐ 335 form: 30 general points
  typed, the 70-point results group from the ledger when it has tasks);
- the staff member's party-track evaluation in the cell (Mẫu 2B, every criterion typed);
- the collective evaluation of Phòng Công chức (Mẫu 01) and the head's leader evaluation.
Rows are created directly, as in tests/reviews/test_adapter.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from kiemdiem.ledger.models import Result, Task
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation

CRITERIA = Path(__file__).resolve().parents[3] / "kiemdiem/reviews/criteria"


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def load_template(code: str) -> CriteriaTemplate:
    data = json.loads((CRITERIA / f"{code}.v1.json").read_text())
    fields = {f.name for f in CriteriaTemplate._meta.get_fields()}
    values = {k: v for k, v in data.items() if k in fields and k not in {"code", "version"}}
    template, _ = CriteriaTemplate.objects.get_or_create(
        code=data["code"], version=data["version"], defaults=values
    )
    return template


def make_cycle(
    cast,
    *,
    year: int = 2026,
    party_rules: str = "qd366",
    state_rules: str = "nd335",
    min_quantification: int = 0,
    status: str = Cycle.Status.OPEN,
) -> Cycle:
    return Cycle.objects.create(
        name=f"Kiểm điểm năm {year}",
        year=year,
        scope=cast.province_party,
        party_rules=party_rules,
        state_rules=state_rules,
        state_deadline=dt.date(year, 12, 15),
        party_deadline=dt.date(year, 12, 31),
        min_quantification=min_quantification,
        status=status,
    )


@dataclass
class Setup:
    cast: object
    cycle: Cycle
    state: Evaluation
    party: Evaluation
    collective: Evaluation
    leader: Evaluation


def make_setup(cast, **cycle_kwargs) -> Setup:
    cycle = make_cycle(cast, **cycle_kwargs)
    state = Evaluation.objects.create(
        cycle=cycle,
        code="S-ANH",
        subject="individual",
        role="staff",
        track="state",
        person=cast.staff_person,
        organization=cast.division,
        template=load_template("nd335-cong-chuc"),
    )
    party = Evaluation.objects.create(
        cycle=cycle,
        code="P-ANH",
        subject="individual",
        role="staff",
        track="party",
        person=cast.staff_person,
        organization=cast.cell,
        state_evaluation=state,
        template=load_template("qd366-pl4-khong-chuc-vu"),
        party_admission=dt.date(2012, 3, 2),
        party_status="active",
    )
    collective = Evaluation.objects.create(
        cycle=cycle,
        code="O-PCC",
        subject="collective",
        role="organization",
        organization=cast.division,
        template=load_template("qd366-pl1-tap-the"),
    )
    leader = Evaluation.objects.create(
        cycle=cycle,
        code="S-DUC",
        subject="individual",
        role="leader",
        track="state",
        person=cast.head_person,
        organization=cast.division,
        leads=collective,
        head_of=collective,
        template=load_template("nd335-cong-chuc-lanh-dao"),
    )
    return Setup(cast, cycle, state, party, collective, leader)


@pytest.fixture
def setup(cast) -> Setup:
    return make_setup(cast)


def add_task(
    person,
    org,
    *,
    year: int = 2026,
    delivered: Decimal | None = Decimal(10),
    target: Decimal = Decimal(10),
    deadline: dt.date = dt.date(2026, 6, 30),
    completed_on: dt.date = dt.date(2026, 6, 1),
    quality: str = "meets",
    status: str = Task.Status.APPROVED,
) -> Task:
    """A ledger row written directly (the ledger's own tests cover its services)."""
    task = Task.objects.create(
        person=person,
        organization=org,
        year=year,
        title="Thẩm định hồ sơ",
        target_quantity=target,
        unit="hồ sơ",
        assigned_on=dt.date(year, 1, 5),
        deadline=deadline,
        source=Task.Source.ASSIGNED,
        status=status,
    )
    if delivered is not None:
        Result.objects.create(
            task=task, achieved_quantity=delivered, completed_on=completed_on, quality=quality
        )
    return task


GENERAL_FULL = {"1.1": "5", "1.2": "5", "1.3": "5", "1.4": "5", "1.5": "5", "1.6": "5"}
"""nd335-cong-chuc: the 30 general points, all full."""

PARTY_FULL = {
    "1.1": "4",
    "1.2": "4",
    "1.3": "4",
    "1.4": "5",
    "1.5": "4",
    "1.6": "3",
    "1.7": "6",
    "2.1": "30",
    "2.2": "20",
    "2.3": "20",
}
"""qd366-pl4 (Mẫu 2B): 100 points."""

RESULTS_TEXT = (
    "Chủ trì thẩm định 48 hồ sơ, ban hành 12 văn bản; 100% hồ sơ đúng hạn; "
    "tham mưu Quyết định số 123/QĐ-UBND ngày 15/3/2026 của UBND tỉnh."
)
VAGUE_TEXT = "Hoàn thành tốt các nhiệm vụ được giao. Luôn cố gắng trong công tác."


def sections_for(evaluation: Evaluation, text: str = RESULTS_TEXT) -> dict[str, str]:
    """Every section of the evaluation's template filled; the results ones with `text`."""
    return {
        s["code"]: (text if s["code"].startswith("ket_qua") else "Không có.")
        for s in evaluation.template.definition["sections"]
    }
