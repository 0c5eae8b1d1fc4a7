"""Planted anomalies in the demo cycle (`kiemdiem demo-integrity`, DEBUG only), so that the
inspection committee's page has something to show after `make run`.

Party-track evaluations of about twenty party cells are taken through the workflow to a
decision at the engine's suggestion (audited, like the rest of the demo); then one cell is
decided leniently (everyone HTXSNV or HTTNV, above the suggestion), one cell levelled (everyone
HTNV), one decision is above its meeting's vote, one HTXSNV rests on a 25% quantification, and
four members claim the same document. The demo accounts' own evaluations are left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction

from kiemdiem.integrity.services import compute
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions.demo import advance
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.stats.summary import request_refresh

CELLS = 20
MIN_CELL = 8
DOCUMENT = "88/QĐ-TU"


def _cells(cycle: Cycle, skip_people: set[int]) -> list[list[Evaluation]]:
    cells: dict[int, list[Evaluation]] = defaultdict(list)
    rows = (
        Evaluation.objects.filter(
            cycle=cycle, subject="individual", track="party", status="draft", excluded=False
        )
        .exclude(person_id__in=skip_people)
        .select_related("organization")
        .order_by("organization__path", "pk")
    )
    for ev in rows:
        cells[ev.organization_id].append(ev)
    big = [members for members in cells.values() if len(members) >= MIN_CELL]
    return big[:CELLS]


def _set(evs: list[Evaluation], **fields: Any) -> None:
    for ev in evs:
        for name, value in fields.items():
            setattr(ev, name, value)
    Evaluation.objects.bulk_update(evs, list(fields))


def _ledger(evs: list[Evaluation]) -> None:
    for ev in evs:
        task = Task.objects.create(
            person=ev.person, organization=ev.organization, year=ev.cycle.year,
            title="Tham mưu văn bản của Tỉnh ủy", target_quantity=Decimal(1), unit="văn bản",
            assigned_on=dt.date(ev.cycle.year, 2, 1), deadline=dt.date(ev.cycle.year, 6, 30),
            source="assigned", status="approved",
        )  # fmt: skip
        result = Result.objects.create(
            task=task, achieved_quantity=Decimal(1), completed_on=dt.date(ev.cycle.year, 6, 1),
            quality="meets",
        )  # fmt: skip
        Product.objects.create(
            result=result, kind="document", title="Quyết định của Ban Thường vụ Tỉnh ủy",
            doc_symbol=DOCUMENT, doc_date=dt.date(ev.cycle.year, 5, 28),
            doc_issuer="Tỉnh ủy",
        )  # fmt: skip


@transaction.atomic
def plant(cycle: Cycle, decider: Any, skip_people: set[int]) -> dict[str, int]:
    cells = _cells(cycle, skip_people)
    if len(cells) < 6:
        return {}
    for members in cells:
        for ev in members:
            advance(ev, "decided", reason="Dữ liệu mẫu")
    decided = [ev for members in cells for ev in members]
    _set(decided, decided_by=decider)
    lenient = cells[0]
    for i, ev in enumerate(lenient):
        level = "HTXSNV" if i % 4 == 0 else "HTTNV"
        ev.decided_level = ev.meeting_level = ev.proposed_level = level
        ev.suggested_level = "HTNV"
    Evaluation.objects.bulk_update(
        lenient, ["decided_level", "meeting_level", "proposed_level", "suggested_level"]
    )
    _set(cells[1], decided_level="HTNV", meeting_level="HTNV", suggested_level="HTNV")
    above = cells[2][0]
    _set([above], decided_level="HTTNV", meeting_level="HTNV", suggested_level="HTTNV")
    weak = cells[3][0]
    _set([weak], decided_level="HTXSNV", meeting_level="HTXSNV", suggested_level="HTXSNV")
    SelfReview.objects.update_or_create(
        evaluation=weak, defaults={"status": "submitted", "quantification": 25}
    )
    _ledger(cells[4][:4])
    _cap_heads(decided)
    # The plants write levels in bulk, past the services' signals: the statistics summary is
    # asked for a refresh here, or the dashboard would keep the pre-plant counts.
    request_refresh(cycle.pk)
    return compute(cycle=cycle)


def _cap_heads(evs: list[Evaluation]) -> None:
    """Levels set here bypass decide(): keep its cap (a head never above the unit they head)."""
    rank = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
    heads = [ev for ev in evs if ev.head_of_id]
    units = dict(
        Evaluation.objects.filter(pk__in=[ev.head_of_id for ev in heads]).values_list(
            "pk", "decided_level"
        )
    )
    capped = []
    for ev in heads:
        unit = units.get(ev.head_of_id, "")
        if unit in rank and rank.get(ev.decided_level, 0) > rank[unit]:
            ev.decided_level = ev.meeting_level = ev.suggested_level = unit
            capped.append(ev)
    Evaluation.objects.bulk_update(capped, ["decided_level", "meeting_level", "suggested_level"])
