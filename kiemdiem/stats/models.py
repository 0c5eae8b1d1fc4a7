"""The per-cycle statistics summary the page reads instead of scanning the evaluations.

Derived data only, rebuilt whole for one cycle by `kiemdiem.stats.summary.rebuild` (one
set-based INSERT … SELECT … GROUP BY per table, in one transaction); never edited row by row.
Rows name the evaluation's organization, not its path: the subtree filter joins the
organization's current path, so moving a unit never leaves a summary counting it in the old place.
"""

from __future__ import annotations

from django.db import models


class CycleSummary(models.Model):
    """How many evaluations of a cycle share one organization, role, track, status and counted
    level (decided or published: the decided level; excluded: NOT_RATED; else "undecided"),
    and, for decided HTXSNV/HTTNV only, the peer group (the quota's figures)."""

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=24)
    track = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16)
    level = models.CharField(max_length=16)
    peer_group_id = models.BigIntegerField(null=True, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["cycle", "organization"], name="stats_summary_cycle_org")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.organization_id} {self.role} {self.status} {self.level}"


class ComplianceSummary(models.Model):
    """`kiemdiem.stats.compliance`'s counts per organization of the evaluation checked."""

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    party_le_state_n = models.PositiveIntegerField(default=0)
    party_le_state_x = models.PositiveIntegerField(default=0)
    head_le_unit_n = models.PositiveIntegerField(default=0)
    head_le_unit_x = models.PositiveIntegerField(default=0)
    leadership_le_unit_n = models.PositiveIntegerField(default=0)
    leadership_le_unit_x = models.PositiveIntegerField(default=0)
    order_n = models.PositiveIntegerField(default=0)
    order_x = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "organization"], name="stats_compliance_cycle_org")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.organization_id}"


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
