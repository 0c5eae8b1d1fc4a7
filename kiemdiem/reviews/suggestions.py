"""Suggested levels for a whole cycle, recomputed in the background (Django Tasks)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kiemdiem.core.audit import audit_record
from kiemdiem.core.jobs import job_progress
from kiemdiem.reviews.adapter import classify_rows, load_rows
from kiemdiem.reviews.models import Cycle, Evaluation

BATCH = 2000


def cycle_recompute_suggestions(
    *, actor: Any, cycle: Cycle, progress: Any = None
) -> dict[str, int]:
    """Classify every evaluation of the cycle in one engine run and store the suggestions.

    One run, not one per evaluation: quotas and caps couple evaluations, and the engine decides
    a country in seconds. Writes are batched and committed batch by batch.
    """
    rows = load_rows(cycle)
    suggestions, _document = classify_rows(cycle, rows)
    now = timezone.now()
    ids = sorted(suggestions)
    counts: dict[str, int] = {}
    if progress:
        progress.update(0, len(ids), "Đang ghi kết quả gợi ý…")
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        objs = []
        for pk in chunk:
            s = suggestions[pk]
            counts[s.level or "missing"] = counts.get(s.level or "missing", 0) + 1
            objs.append(
                Evaluation(
                    pk=pk,
                    suggested_level=s.level,
                    suggested_base_level=s.base_level,
                    suggested_flags=s.flags,
                    suggested_reasons=s.reasons,
                    suggested_at=now,
                )
            )
        with transaction.atomic():
            Evaluation.objects.bulk_update(
                objs,
                [
                    "suggested_level",
                    "suggested_base_level",
                    "suggested_flags",
                    "suggested_reasons",
                    "suggested_at",
                ],
            )
        if progress:
            progress.update(start + len(chunk), message=f"Đã ghi {start + len(chunk)}/{len(ids)}")
    with transaction.atomic():
        audit_record(actor=actor, action="cycle.recompute", obj=cycle, after=counts)
    return counts


@task()
def recompute_cycle(job_id: int, cycle_id: int) -> dict[str, int]:
    with job_progress(job_id) as progress:
        cycle = Cycle.objects.get(pk=cycle_id)
        counts = cycle_recompute_suggestions(actor=None, cycle=cycle, progress=progress)
        progress.result(counts)
        return counts
