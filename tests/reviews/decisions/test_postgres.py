"""PostgreSQL only: two real connections deciding the same evaluation at once (one wins, the
other gets `conflict`, exactly one audit event), and the immutable audit table."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionRefused
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.models import Evaluation
from tests.reviews.decisions.support import make_setup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def test_two_connections_deciding_at_once_one_wins_one_conflicts():
    s = make_setup()
    ev = Evaluation.objects.get(pk=s.ev["U"].pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(level: str) -> None:
        try:
            barrier.wait()
            decide(
                actor=s.competent,
                cycle=s.cycle,
                items=[DecisionItem(ev.pk, level, ev.version, "quyết định")],
            )
            outcomes.append("ok")
        except DecisionRefused as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(lv,)) for lv in ("HTXSNV", "HTTNV")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="evaluation.decide", object_id=str(ev.pk)).count() == 1
    assert Evaluation.objects.get(pk=ev.pk).version == 2


def test_audit_rows_cannot_be_updated_or_deleted():
    s = make_setup()
    decide(
        actor=s.competent,
        cycle=s.cycle,
        items=[DecisionItem(s.ev["U"].pk, "HTXSNV", 1)],
    )
    event = AuditEvent.objects.filter(action="evaluation.decide").get()
    for write in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(reason="sửa"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            write()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    # Deleting a user account still works: its events keep everything but the actor.
    s.competent.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor is None
