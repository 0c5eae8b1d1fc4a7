"""The ledger of tasks and the concrete products that fulfil them (lượng hóa bằng sản phẩm).

Tasks belong to a person and a year (the ledger runs all year, independent of cycles); a
cycle's evaluation reads the task counts and the NĐ 335 results score from it. On time, late
and exceeded are derived from the results, never typed (`kiemdiem.ledger.scoring`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemdiem.orgs.models import Organization, Person


class Task(models.Model):
    class Source(models.TextChoices):
        ASSIGNED = "assigned", _("Được giao")
        SELF_REGISTERED = "self", _("Tự đăng ký")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")
        CANCELLED = "cancelled", _("Đã hủy")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tasks")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tasks")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    target_quantity = models.DecimalField(
        _("số lượng yêu cầu"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("đơn vị tính"), max_length=64)
    assigned_on = models.DateField(
        _("ngày giao"),
        help_text=_("Ngày giao hoặc ngày đăng ký; kết quả không thể hoàn thành trước ngày này."),
    )
    deadline = models.DateField(_("thời hạn"))
    quality_requirement = models.TextField(_("yêu cầu chất lượng"), blank=True)
    weight = models.DecimalField(
        _("hệ số quy đổi"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_reason = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["person", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(target_quantity__gt=0), name="task_target_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="task_weight_positive"),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("assigned_on")), name="task_deadline_after_assignment"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Result(models.Model):
    """One delivery against a task (a task may be delivered in several parts).

    NĐ 335 (ND335-2): each major error in content takes 25% of the item's quality points, each
    delay 25% of its progress points, unless the manager confirms an objective cause.
    """

    class Quality(models.TextChoices):
        EXCEEDS = "exceeds", _("Vượt yêu cầu")
        MEETS = "meets", _("Đạt yêu cầu")
        BELOW = "below", _("Chưa đạt yêu cầu")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="results")
    achieved_quantity = models.DecimalField(_("số lượng đạt được"), max_digits=12, decimal_places=2)
    completed_on = models.DateField(_("ngày hoàn thành"))
    quality = models.CharField(_("chất lượng"), max_length=16, choices=Quality.choices)
    major_errors = models.PositiveSmallIntegerField(_("số lỗi lớn về nội dung"), default=0)
    delays = models.PositiveSmallIntegerField(_("số lần chậm tiến độ"), default=0)
    objective_cause = models.BooleanField(
        _("nguyên nhân khách quan đã được xác nhận"), default=False
    )
    objective_cause_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective_cause_reason = models.TextField(_("nguyên nhân khách quan"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        ordering = ["completed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(achieved_quantity__gte=0), name="result_quantity_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.achieved_quantity}"


def evidence_path(instance: Product, filename: str) -> str:
    """A random stored name (the original name is kept in `file_name`, shown on download):
    user-chosen names never reach the file system."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Product(models.Model):
    """Evidence of a result: a document, an attached file, a link or a count."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản")
        FILE = "file", _("Tệp đính kèm")
        LINK = "link", _("Đường dẫn")
        COUNT = "count", _("Sản phẩm đếm được")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("tên sản phẩm"), max_length=500)
    doc_kind = models.CharField(_("loại văn bản"), max_length=16, blank=True)
    doc_kind_name = models.CharField(_("tên loại văn bản"), max_length=64, blank=True)
    doc_number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    doc_symbol = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    doc_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    doc_issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_path, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=128, blank=True)
    # SHA-256 of a stored file: identical evidence across people is an integrity signal.
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="document") | ~Q(doc_symbol=""), name="product_document_symbol"
            ),
            models.CheckConstraint(
                condition=~Q(kind="file") | ~Q(file=""), name="product_file_present"
            ),
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="product_link_url"),
            models.CheckConstraint(
                condition=~Q(kind="count") | Q(quantity__gt=0), name="product_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.doc_symbol or self.title
