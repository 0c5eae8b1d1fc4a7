"""Which changes move the statistics' counts, each answered by `summary.request_refresh` (one
refresh task per cycle once the change commits; none while one is still waiting):

- `levels_changed` from `reviews` (decide, publish, reopen, annul: written in bulk);
- any save or delete of an evaluation (every status transition — submit, return, review,
  verify, petition — saves the row; so do exclusions and peer-group moves);
- any save of a cycle (opening ends with its `opened` transition, after the evaluations are
  written; closing and archiving too);
- a restore (`core.signals.restored`, sent by backup): every summary is dropped, each cycle's is rebuilt on
  its first view.
- a move of a unit (`orgs.signals.tree_moved`): ancestries changed, every cycle with a summary
  is refreshed.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from kiemdiem.core.signals import restored
from kiemdiem.orgs.signals import tree_moved
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions.signals import levels_changed
from kiemdiem.reviews.evaluations.models import Evaluation


def _on_levels_changed(sender: Any, cycle_id: int, **kwargs: Any) -> None:
    from kiemdiem.stats.summary import request_refresh

    request_refresh(cycle_id)


def _on_evaluation(sender: Any, instance: Evaluation, **kwargs: Any) -> None:
    from kiemdiem.stats.summary import request_refresh

    if instance.cycle_id is not None:
        request_refresh(instance.cycle_id)


def _on_cycle(sender: Any, instance: Cycle, created: bool = False, **kwargs: Any) -> None:
    from kiemdiem.stats.summary import request_refresh

    if not created:  # a new cycle has no evaluation yet
        request_refresh(instance.pk)


def _on_tree_moved(sender: Any, **kwargs: Any) -> None:
    from kiemdiem.stats.models import SummaryState
    from kiemdiem.stats.summary import request_refresh

    for cycle_id in SummaryState.objects.values_list("cycle_id", flat=True):
        request_refresh(cycle_id)


def _on_restored(sender: Any, **kwargs: Any) -> None:
    from kiemdiem.stats.models import SummaryState

    SummaryState.objects.all().delete()


def connect() -> None:
    levels_changed.connect(_on_levels_changed, dispatch_uid="stats-levels")
    post_save.connect(_on_evaluation, sender=Evaluation, dispatch_uid="stats-evaluation-save")
    post_delete.connect(_on_evaluation, sender=Evaluation, dispatch_uid="stats-evaluation-delete")
    post_save.connect(_on_cycle, sender=Cycle, dispatch_uid="stats-cycle-save")
    restored.connect(_on_restored, dispatch_uid="stats-restored")
    tree_moved.connect(_on_tree_moved, dispatch_uid="stats-tree-moved")
