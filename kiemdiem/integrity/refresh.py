"""Refresh after decisions: `reviews` announces that a cycle's levels changed; a computation of
the cycle's scope is enqueued (one waiting at a time per cycle, so a burst of decisions costs
one run)."""

from __future__ import annotations

from typing import Any

from kiemdiem.reviews.decisions.signals import levels_changed


def _on_levels_changed(sender: Any, cycle_id: int, **kwargs: Any) -> None:
    from kiemdiem.integrity.services import start
    from kiemdiem.reviews.cycles.models import Cycle

    cycle = Cycle.objects.filter(pk=cycle_id).select_related("scope").first()
    if cycle is not None:
        start(actor=None, cycle=cycle)


def connect() -> None:
    levels_changed.connect(_on_levels_changed, dispatch_uid="integrity-refresh")
