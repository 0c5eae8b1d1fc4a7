"""One planted case per heuristic over the generated province (`support.make_province`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.reviews.cycles.models import PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.models import SelfReview
from tests.integrity.support import SIZE, Province, audit, set_levels


def plant_all(p: Province, cast, rng) -> None:
    cycle, prev = p.cycle, p.previous
    # leniency: 14 of 14 HTXSNV/HTTNV against a province at about half.
    set_levels(cycle, p.units[0], ["HTXSNV", "HTXSNV"] + ["HTTNV"] * 12)
    p.planted["leniency"] = p.units[0].pk
    # levelling: a whole unit at HTNV.
    set_levels(cycle, p.units[1], ["HTNV"] * SIZE)
    p.planted["levelling"] = p.units[1].pk
    # trend: 2/14 good last year, 12/14 this year (near the province, not a leniency case).
    set_levels(prev, p.units[2], ["HTTNV"] * 2 + ["HTNV"] * 12)
    set_levels(cycle, p.units[2], ["HTTNV"] * 11 + ["HTNV"] * 3)
    p.planted["trend"] = p.units[2].pk
    _decider(p)
    _unsupported(p)
    _ledger(p)
    _quota(p)
    _order(p)


def _decider(p: Province) -> None:
    """A new decider raising every departure, over six units."""
    from django.contrib.auth import get_user_model

    lenient = get_user_model().objects.create_user(username="nangmuc", password="x")
    evs = []
    for unit in p.units[10:16]:
        ev = Evaluation.objects.filter(
            cycle=p.cycle, organization=unit, decided_level="HTNV"
        ).first()
        ev.suggested_level, ev.decided_level, ev.decided_by = "HTNV", "HTTNV", lenient
        evs.append(ev)
    Evaluation.objects.bulk_update(evs, ["suggested_level", "decided_level", "decided_by"])
    p.planted["upward_decider"] = lenient.pk


def _unsupported(p: Province) -> None:
    ev = Evaluation.objects.filter(cycle=p.cycle, organization=p.units[5]).order_by("pk")[3]
    ev.decided_level = ev.suggested_level = ev.meeting_level = "HTXSNV"
    ev.save()
    SelfReview.objects.create(evaluation=ev, status="submitted", quantification=20)
    p.planted["low_evidence"] = ev.pk
    ev = Evaluation.objects.filter(cycle=p.cycle, organization=p.units[6]).order_by("pk")[4]
    ev.decided_level, ev.suggested_level, ev.meeting_level = "HTTNV", "HTTNV", "HTNV"
    ev.save()
    p.planted["above_meeting"] = ev.pk


def _task(person, unit, **kw) -> Task:
    kw.setdefault("source", "self")
    return Task.objects.create(
        person=person, organization=unit, year=2026, title="Tự đăng ký", unit="việc",
        target_quantity=Decimal(1), assigned_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 12, 1), status="approved", **kw,
    )  # fmt: skip


def _ledger(p: Province) -> None:
    evs = list(Evaluation.objects.filter(cycle=p.cycle, organization=p.units[7]).order_by("pk"))
    # shared document: five people of two units claim the same decision.
    for ev in [*evs[:3], *Evaluation.objects.filter(cycle=p.cycle, organization=p.units[8])[:2]]:
        result = Result.objects.filter(task__person=ev.person).first()
        Product.objects.create(result=result, kind="document", title="QĐ",
                               doc_symbol="125/QĐ-UBND", doc_date=dt.date(2026, 5, 5))  # fmt: skip
    p.planted["shared_document"] = "125/QĐ-UBND 2026-05-05"
    # identical files: two people, one file.
    for ev in evs[3:5]:
        result = Result.objects.filter(task__person=ev.person).first()
        Product.objects.create(result=result, kind="file", title="Ảnh", file="evidence/a.pdf",
                               sha256="ab" * 32)  # fmt: skip
    p.planted["identical_files"] = "ab" * 32
    # late registration: four self-registered tasks in the last two weeks before 15/12.
    person = evs[5].person
    late = [_task(person, p.units[7]) for _ in range(4)]
    Task.objects.filter(pk__in=[t.pk for t in late]).update(
        created_at=timezone.make_aware(dt.datetime(2026, 12, 5, 9))
    )
    p.planted["late_registration"] = person.pk
    # self-set targets always exceeded.
    person = evs[6].person
    for _ in range(5):
        task = _task(person, p.units[7])
        Result.objects.create(task=task, achieved_quantity=Decimal(3),
                              completed_on=dt.date(2026, 6, 1), quality="meets")  # fmt: skip
    p.planted["self_set_exceeded"] = person.pk
    # target lowered after the result.
    task = Task.objects.filter(person=evs[7].person, source="assigned").first()
    Result.objects.filter(task=task).update(
        created_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9))
    )
    audit("task.update", "ledger.task", task.pk, {"target_quantity": "2.00"},
          {"target_quantity": "1.00"})  # fmt: skip
    p.planted["target_changed"] = task.pk


def _quota(p: Province) -> None:
    """Group G0 at its ceiling both years; decider 0 settles three ties for the leaders."""
    for cycle in (p.previous, p.cycle):
        group = PeerGroup.objects.get(cycle=cycle, code="G0")
        members = list(Evaluation.objects.filter(peer_group=group).order_by("pk"))
        good = [m for m in members if m.decided_level in ("HTXSNV", "HTTNV")]
        top = len(good) // 5  # floor(P × 0,25 / 1,25)
        for i, m in enumerate(good):
            m.decided_level = "HTXSNV" if i < top else "HTTNV"
            m.suggested_level = m.decided_level
        Evaluation.objects.bulk_update(good, ["decided_level", "suggested_level"])
    p.planted["quota_ceiling"] = "G0"
    from django.contrib.auth import get_user_model

    favourer = get_user_model().objects.create_user(username="uutien", password="x")
    for unit in (p.units[19], p.units[21], p.units[22]):
        leader = Evaluation.objects.get(cycle=p.cycle, organization=unit, role="leader")
        staff = list(Evaluation.objects.filter(cycle=p.cycle, organization=unit, role="staff")[:2])
        leader.decided_level, leader.suggested_level, leader.decided_by = (
            "HTXSNV",
            "HTXSNV",
            favourer,
        )
        leader.save()
        for s in staff:
            s.decided_level, s.suggested_level, s.decided_by = "HTTNV", "HTXSNV", favourer
            s.save()
    p.planted["ties_leaders"] = favourer.pk


def _order(p: Province) -> None:
    unit = p.units[20]
    collective = Evaluation.objects.create(
        cycle=p.cycle, code="COL-20", subject="collective", role="organization",
        organization=unit, status="decided", decided_level="HTTNV",
    )  # fmt: skip
    head = Evaluation.objects.filter(cycle=p.cycle, organization=unit, role="leader").first()
    head.head_of = collective
    head.decided_level = head.suggested_level = head.meeting_level = "HTTNV"
    head.save()
    audit("evaluation.decide", "reviews.evaluation", head.pk, after={"level": "HTXSNV"})
    audit("evaluation.decide", "reviews.evaluation", collective.pk, after={"level": "HTTNV"})
    audit("evaluation.decide", "reviews.evaluation", head.pk, after={"level": "HTTNV"})
    p.planted["out_of_order"] = head.pk
