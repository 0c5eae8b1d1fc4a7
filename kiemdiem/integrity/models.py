"""Integrity flags and the thresholds a province tunes.

A flag is recomputed, not edited: each computation upserts flags by their fingerprint (the
heuristic and its subject), so a flag marked "checked, justified" keeps its status and note when
the same finding comes back, and stops asking to be looked at (it is listed apart, never lost).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Cần xem xét")
        JUSTIFIED = "justified", _("Đã kiểm tra, có lý do chính đáng")

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("dấu hiệu"), max_length=32)
    fingerprint = models.CharField(max_length=64)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    evaluation = models.ForeignKey(
        "reviews.Evaluation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    peer_group = models.ForeignKey(
        "reviews.PeerGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    numbers = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)
    # False when the last computation no longer found it (kept only if it was justified).
    active = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("ghi chú kiểm tra"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dấu hiệu bất thường")
        verbose_name_plural = _("dấu hiệu bất thường")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "fingerprint"], name="integrity_flag_once")
        ]
        indexes = [models.Index(fields=["cycle", "organization"])]

    def __str__(self) -> str:
        return f"{self.code} #{self.pk}"


class IntegritySettings(models.Model):
    """A province's thresholds (keys of `heuristics.base.Thresholds`; missing keys keep the
    defaults), set on the root of its tree and read for every cycle scoped under it."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    values = models.JSONField(_("ngưỡng"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngưỡng phân tích liêm chính")
        verbose_name_plural = _("ngưỡng phân tích liêm chính")

    def __str__(self) -> str:
        return str(self.organization)
