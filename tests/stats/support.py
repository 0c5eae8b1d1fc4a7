"""Generated evaluations over the shared cast, for cross-checking every figure."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation
from tests.conftest import make_person
from tests.reviews.selfreview.support import make_cycle

STATUSES = [s for s, _ in Evaluation.Status.choices]
LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV", "NOT_RATED"]


@dataclass
class Generated:
    cast: object
    cycle: Cycle
    previous: Cycle


def fill(cycle: Cycle, cast, people, rng: random.Random, prefix: str) -> None:
    groups = [
        PeerGroup.objects.create(cycle=cycle, code=f"{prefix}G{i}", name=f"Nhóm {i}", ratio=r)
        for i, r in enumerate(["0.20", "0.25"])
    ]
    units = [cast.division, cast.sibling, cast.board, cast.department]
    rows = []
    for i, person in enumerate(people):
        for track, org in (("state", rng.choice(units)), ("party", cast.cell)):
            status = rng.choice(STATUSES)
            decided = rng.choice(LEVELS) if status in ("decided", "published") else ""
            if status in ("decided", "published") and rng.random() < 0.1:
                decided = ""
            rows.append(
                Evaluation(
                    cycle=cycle,
                    code=f"{prefix}{track}{i}",
                    subject="individual",
                    role=rng.choice(["leader", "staff", "party_outside"]),
                    track=track,
                    person=person,
                    organization=org,
                    status=status,
                    decided_level=decided,
                    excluded=rng.random() < 0.1,
                    peer_group=rng.choice([*groups, None]),
                )
            )
    for org in [*units, cast.cell]:
        status = rng.choice(STATUSES)
        rows.append(
            Evaluation(
                cycle=cycle,
                code=f"{prefix}O{org.pk}",
                subject="collective",
                role="organization",
                organization=org,
                status=status,
                decided_level=rng.choice(LEVELS) if status in ("decided", "published") else "",
            )
        )
    Evaluation.objects.bulk_create(rows)


def make_generated(cast) -> Generated:
    rng = random.Random(11)
    names = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga"]
    people = [
        make_person(f"Nguyễn {a} {b}", born=dt.date(1980, 1, 1) + dt.timedelta(days=i))
        for i, (a, b) in enumerate((a, b) for a in names[:5] for b in names[5:] + names[:1])
    ]
    previous = make_cycle(cast, year=2025)
    cycle = make_cycle(cast, year=2026)
    fill(previous, cast, people, rng, "A")
    fill(cycle, cast, people, rng, "B")
    return Generated(cast, cycle, previous)
