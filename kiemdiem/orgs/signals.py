"""`tree_moved` is sent once a transaction that moved a subtree (new paths) commits: apps
holding data derived from the tree (the statistics summary) refresh it without `orgs`
importing them."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

tree_moved = Signal()


def announce_move(organization_id: int) -> None:
    transaction.on_commit(lambda: tree_moved.send(sender=None, organization_id=organization_id))
