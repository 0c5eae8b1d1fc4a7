"""A generated province for the integrity heuristics: units deciding alike (a clean province),
and the same province with one planted case per heuristic."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from kiemdiem.core.models import AuditEvent
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Organization, OrgKind, Person
from kiemdiem.orgs.services import person_name_fields
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.models import SelfReview
from tests.conftest import make_identity_number, make_org
from tests.reviews.selfreview.support import make_cycle

UNITS = 24
SIZE = 14
LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
WEIGHTS = [0.04, 0.46, 0.45, 0.05]
RANKED = {"HTXSNV": 3, "HTTNV": 2, "HTNV": 1, "KHTNV": 0}


@dataclass
class Province:
    cycle: Cycle
    previous: Cycle
    units: list[Organization]
    deciders: list[object]
    planted: dict[str, object] = field(default_factory=dict)  # code → subject id


def _people(n: int, start: int) -> list[Person]:
    rows = [
        Person(
            **person_name_fields(f"Nguyễn Văn Số {start + i}"),
            gender="male",
            date_of_birth=dt.date(1980, 1, 1),
            identity_number=make_identity_number("male", dt.date(1980, 1, 1)),
            employment="cong_chuc",
        )
        for i in range(n)
    ]
    return Person.objects.bulk_create(rows)


def _draw(rng: random.Random) -> str:
    return rng.choices(LEVELS, WEIGHTS)[0]


def _eval(cycle: Cycle, person: Person, org: Organization, level: str, **kw) -> Evaluation:
    kw.setdefault("role", "staff")
    kw.setdefault("suggested_level", level)
    kw.setdefault("meeting_level", level)
    return Evaluation(
        cycle=cycle,
        code=f"C{cycle.pk}-P{person.pk}",
        subject="individual",
        track="state",
        person=person,
        organization=org,
        status="decided",
        decided_level=level,
        score=Decimal(85),
        **kw,
    )


def _fill(cycle: Cycle, units, people, rng, deciders, groups) -> list[Evaluation]:
    rows = []
    for u, unit in enumerate(units):
        for i in range(SIZE):
            person = people[u * SIZE + i]
            level = _draw(rng)
            suggested = level
            if rng.random() < 0.15:  # departures both ways, as a fair decider makes them
                suggested = rng.choice(LEVELS)
            rows.append(
                _eval(
                    cycle, person, unit, level, suggested_level=suggested,
                    decided_by=rng.choice(deciders), peer_group=groups[u % len(groups)],
                    role="leader" if i == 0 else "staff",
                )
            )  # fmt: skip
    return Evaluation.objects.bulk_create(rows)


def _ledger(year: int, people, units, rng) -> None:
    """Two assigned tasks per person, met, each with its own document."""
    tasks = []
    for n, person in enumerate(people):
        unit = units[n // SIZE]
        for k in range(2):
            tasks.append(
                Task(person=person, organization=unit, year=year, title=f"Nhiệm vụ {k}",
                     target_quantity=Decimal(2), unit="báo cáo", assigned_on=dt.date(year, 2, 1),
                     deadline=dt.date(year, 10, 1), source="assigned", status="approved")
            )  # fmt: skip
    tasks = Task.objects.bulk_create(tasks)
    results = Result.objects.bulk_create(
        Result(task=t, achieved_quantity=Decimal(2), completed_on=dt.date(year, 9, 1),
               quality="meets")
        for t in tasks
    )  # fmt: skip
    Product.objects.bulk_create(
        Product(result=r, kind="document", title="Báo cáo", doc_symbol=f"{r.pk}/BC-SNV",
                doc_date=dt.date(year, 9, 1))
        for r in results
    )  # fmt: skip


def make_province(cast, *, plant: bool, seed: int = 5) -> Province:
    rng = random.Random(seed)
    users = get_user_model().objects
    deciders = [users.create_user(username=f"quyetdinh{i}", password="x") for i in range(3)]
    units = [
        make_org(f"PX{i}", f"Phòng số {i}", OrgKind.DIVISION, cast.department) for i in range(UNITS)
    ]
    people = _people(UNITS * SIZE, 0)
    previous = make_cycle(cast, year=2025)
    cycle = make_cycle(cast, year=2026)
    # The units are in the People's Committee's tree: the cycles cover it.
    Cycle.objects.filter(pk__in=[previous.pk, cycle.pk]).update(scope=cast.province)
    previous.refresh_from_db()
    cycle.refresh_from_db()
    province = Province(cycle, previous, units, deciders)
    for c in (previous, cycle):
        groups = [
            PeerGroup.objects.create(cycle=c, code=f"G{i}", name=f"Nhóm {i}", ratio="0.25")
            for i in range(6)
        ]
        _fill(c, units, people, rng, deciders, groups)
    _ledger(2026, people, units, rng)
    if plant:
        from tests.integrity.planting import plant_all

        plant_all(province, cast, rng)
    return province


def set_levels(cycle: Cycle, unit: Organization, levels: list[str]) -> list[Evaluation]:
    evs = list(Evaluation.objects.filter(cycle=cycle, organization=unit).order_by("pk"))
    for ev, level in zip(evs, levels, strict=False):
        ev.decided_level = ev.suggested_level = ev.meeting_level = level
    Evaluation.objects.bulk_update(evs, ["decided_level", "suggested_level", "meeting_level"])
    return evs


def audit(action: str, obj_type: str, obj_id: int, before=None, after=None) -> AuditEvent:
    """An audit row stamped now (rows are immutable on PostgreSQL: order comes from creation)."""
    return AuditEvent.objects.create(
        action=action, object_type=obj_type, object_id=str(obj_id), before=before, after=after
    )


__all__ = ["SelfReview", "timezone"]
