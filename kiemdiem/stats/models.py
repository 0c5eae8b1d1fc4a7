"""The per-cycle statistics summary the page reads instead of scanning the evaluations.

Derived data only, rebuilt whole for one cycle by `kiemdiem.stats.summary.rebuild` (one
set-based INSERT … SELECT … GROUP BY per table, in one transaction); never edited row by row.
Rows are kept for every unit of the tree, not only the evaluation's own: an evaluation counts in
a row of each of its ancestors (`unit`), under the child unit it lies beneath (`child_id`; NULL
for the unit's own evaluations). A unit's page thus reads its own rows (an index lookup, a few
thousand rows for a province), never its subtree. Moving a unit changes ancestries: the move
asks for a refresh of every cycle (`kiemdiem.stats.refresh`).
"""

from __future__ import annotations

from django.db import models


class CycleSummary(models.Model):
    """How many evaluations of a cycle in the subtree of `unit`, beneath its child unit
    `child_id` (NULL: the unit's own), share one role, track, status and counted level (decided
    or published: the decided level; excluded: NOT_RATED; else "undecided") and, for decided
    HTXSNV/HTTNV only, the peer group (the quota's figures)."""

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    # Organization ids read from the evaluation's organization path (no foreign key: derived
    # rows, replaced whole by each rebuild).
    unit = models.BigIntegerField()
    child_id = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(max_length=24)
    track = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16)
    level = models.CharField(max_length=16)
    peer_group_id = models.BigIntegerField(null=True, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["cycle", "unit"], name="stats_summary_cycle_unit")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit}/{self.child_id} {self.role} {self.status} {self.level}"


class ComplianceSummary(models.Model):
    """`kiemdiem.stats.compliance`'s counts over the subtree of `unit` (one row per unit and
    compliance query)."""

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    unit = models.BigIntegerField()
    party_le_state_n = models.PositiveIntegerField(default=0)
    party_le_state_x = models.PositiveIntegerField(default=0)
    head_le_unit_n = models.PositiveIntegerField(default=0)
    head_le_unit_x = models.PositiveIntegerField(default=0)
    leadership_le_unit_n = models.PositiveIntegerField(default=0)
    leadership_le_unit_x = models.PositiveIntegerField(default=0)
    order_n = models.PositiveIntegerField(default=0)
    order_x = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["cycle", "unit"], name="stats_compliance_cycle_unit")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit}"


class SummaryState(models.Model):
    """When a cycle's summary was built (the moment its reads began) and when a change that
    moves its counts was last committed: a change after the build means a refresh is pending."""

    cycle = models.OneToOneField(
        "reviews.Cycle", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    built_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    build_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.built_at}"
