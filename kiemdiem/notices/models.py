"""In-app notifications: one row per recipient, read or not.

`key` names the occasion a notice belongs to (e.g. "deadline:<cycle>:<track>:<date>"); the
unique constraint on (recipient, key) makes a reminder for the same deadline and person
impossible to send twice, even from two workers at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Kind(models.TextChoices):
        REVIEW_RETURNED = "review_returned", _("Bản tự kiểm điểm bị trả lại")
        REVIEW_APPROVED = "review_approved", _("Bản tự kiểm điểm được chấp nhận")
        DEADLINE = "deadline", _("Nhắc hạn kiểm điểm")
        DECISION = "decision", _("Kết quả xếp loại")
        OTHER = "other", _("Thông báo khác")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("loại"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    key = models.CharField(_("khóa chống trùng"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    read_at = models.DateTimeField(_("thời điểm đọc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notice_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title
