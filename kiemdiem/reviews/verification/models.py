"""The advisory body's verification (thẩm định) of an evaluation: the level it proposes to the
competent level, its notes and the opinions of related bodies (decisions.md §1 `verified`).
A petition sends a published evaluation back here; every verification is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews.evaluations.models import Evaluation, Level


class Verification(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="verifications"
    )
    proposed_level = models.CharField(
        _("cơ quan tham mưu đề xuất"), max_length=16, choices=Level.choices
    )
    notes = models.TextField(_("nhận xét thẩm định"), blank=True)
    opinions = models.TextField(_("ý kiến của các cơ quan liên quan"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thẩm định")
        verbose_name_plural = _("thẩm định")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.proposed_level}"
