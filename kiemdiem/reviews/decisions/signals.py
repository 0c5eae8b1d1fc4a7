"""`levels_changed(cycle_id)` is sent after a transaction that decided, published, reopened or
annulled levels commits: later apps (integrity analytics) refresh from it without `reviews`
importing them."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

levels_changed = Signal()


def announce(cycle_id: int) -> None:
    transaction.on_commit(lambda: levels_changed.send(sender=None, cycle_id=cycle_id))
