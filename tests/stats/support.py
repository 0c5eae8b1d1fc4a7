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
    link(cycle, random.Random(12))
    return Generated(cast, cycle, previous)


def link(cycle: Cycle, rng: random.Random) -> None:
    """Dependencies and decision times at random, so that some caps and some of the order are
    broken (the compliance figures are cross-checked against a count made here in Python)."""
    evaluations = list(Evaluation.objects.filter(cycle=cycle).order_by("pk"))
    collectives = [e for e in evaluations if e.subject == "collective"]
    state = {e.person_id: e for e in evaluations if e.track == "state"}
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    for e in collectives:  # decided, so that the caps they set are checked
        e.status, e.decided_level = "decided", rng.choice(["HTXSNV", "HTTNV", "HTNV"])
    for e in evaluations:
        if e.status in ("decided", "published"):
            e.decided_at = start + dt.timedelta(hours=rng.randrange(48))
        if e.track == "party" and rng.random() < 0.7:
            e.state_evaluation = state[e.person_id]
            if rng.random() < 0.3:  # both rated: the party-below-state cap is checked
                for x in (e, e.state_evaluation):
                    x.status, x.decided_level = "decided", rng.choice(["HTXSNV", "HTTNV", "HTNV"])
                    x.decided_at = start + dt.timedelta(hours=rng.randrange(48))
        if e.subject == "individual" and rng.random() < 0.4:
            e.head_of = rng.choice(collectives)
        if e.subject == "individual" and rng.random() < 0.2:
            e.leads = rng.choice(collectives)
        if e.subject == "collective" and rng.random() < 0.5:
            e.parent = rng.choice([c for c in collectives if c is not e])
        if e.subject == "collective" and rng.random() < 0.6:
            e.leadership_of = rng.choice([c for c in collectives if c is not e])
    Evaluation.objects.bulk_update(
        evaluations,
        [
            "status",
            "decided_level",
            "decided_at",
            "state_evaluation",
            "head_of",
            "leads",
            "parent",
            "leadership_of",
        ],
    )
    managers = [e for e in evaluations if e.subject == "individual"][:6]
    for m in managers:
        m.manages.add(*rng.sample(evaluations, 2))


#: The statistics workbook's sheets, in order (one per view of the page).
SHEETS = [
    "Theo mức xếp loại",
    "Theo đối tượng",
    "Theo bên",
    "Đơn vị trực thuộc",
    "Tiến độ",
    "Nhóm tương đồng",
    "Tuân thủ",
    "Cá nhân, tập thể",
]
