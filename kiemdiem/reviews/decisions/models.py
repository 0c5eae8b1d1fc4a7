"""Petitions (kiến nghị) on a published evaluation, filed by its subject within the cycle's
period (`Cycle.petition_days`, default 15): a petition sends the evaluation back to verification
and decision, and is answered when it is decided again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews.evaluations.models import Evaluation


class Petition(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang xem xét")
        ANSWERED = "answered", _("Đã trả lời")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="petitions")
    text = models.TextField(_("nội dung kiến nghị"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.get_status_display()}"
