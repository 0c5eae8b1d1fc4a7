"""The self-review (bản tự kiểm điểm) of an evaluation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews.evaluations.models import Evaluation, Level


class SelfReview(models.Model):
    """The self-review form of one evaluation; autosaved, locked on submission.

    `version` increases with every save: a save carrying an older version is a concurrent edit
    and is refused rather than silently overwriting the newer text.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Bị trả lại")

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="self_review"
    )
    sections = models.JSONField(_("nội dung"), default=dict, blank=True)
    criteria = models.JSONField(_("tự chấm theo tiêu chí"), default=dict, blank=True)
    proposed_level = models.CharField(
        _("tự xếp loại"), max_length=16, choices=Level.choices, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    quantification = models.PositiveSmallIntegerField(_("mức lượng hóa"), default=0)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản tự kiểm điểm")
        verbose_name_plural = _("bản tự kiểm điểm")

    def __str__(self) -> str:
        return f"{self.evaluation} — {self.get_status_display()}"
