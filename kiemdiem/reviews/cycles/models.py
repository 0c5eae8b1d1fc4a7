"""Review cycles and their peer groups (nhóm tương đồng, the quota pools)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Cycle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        OPENING = "opening", _("Đang mở đợt")
        OPEN = "open", _("Đang diễn ra")
        CLOSED = "closed", _("Đã kết thúc")

    name = models.CharField(_("tên đợt"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("năm đánh giá"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    scope = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("phạm vi"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    party_rules = models.CharField(_("bộ quy tắc bên Đảng"), max_length=32)
    state_rules = models.CharField(_("bộ quy tắc bên chính quyền"), max_length=32)
    state_deadline = models.DateField(_("hạn xếp loại CBCCVC"))
    party_deadline = models.DateField(_("hạn xếp loại đảng viên, tổ chức đảng"))
    special_deadline = models.DateField(_("hạn của đơn vị đặc thù"), null=True, blank=True)
    min_quantification = models.PositiveSmallIntegerField(
        _("mức lượng hóa tối thiểu để nộp"), default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Criteria template per kind of subject ("slot" → CriteriaTemplate id), chosen from the rule
    # sets' families at creation and editable until the cycle is opened
    # (`kiemdiem.reviews.criteria.slots`).
    templates = models.JSONField(_("mẫu tiêu chí theo đối tượng"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    petition_days = models.PositiveSmallIntegerField(
        _("số ngày được kiến nghị sau công bố"), default=15
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt kiểm điểm, đánh giá")
        verbose_name_plural = _("đợt kiểm điểm, đánh giá")
        ordering = ["-year", "quarter", "name"]
        constraints = [
            # Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["scope", "year"],
                condition=Q(quarter__isnull=True),
                name="one_yearly_cycle_per_scope",
            ),
            models.UniqueConstraint(
                fields=["scope", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="one_quarterly_cycle_per_scope",
            ),
            models.CheckConstraint(
                condition=Q(party_deadline__gte=F("state_deadline")),
                name="cycle_party_after_state",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeerGroup(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="peer_groups")
    code = models.CharField(_("mã nhóm"), max_length=64)
    name = models.CharField(_("tên nhóm"), max_length=255)
    ratio = models.CharField(_("tỷ lệ HTXSNV/HTTNV"), max_length=8, default="0.20")
    derived = models.BooleanField(_("tự động"), default=True)
    # Why the competent level granted the 0.25 ratio (decisions.md §3 `quota`); audited too.
    ratio_reason = models.TextField(_("lý do áp dụng tỷ lệ"), blank=True)

    class Meta:
        verbose_name = _("nhóm tương đồng")
        verbose_name_plural = _("nhóm tương đồng")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="peer_group_code_per_cycle")
        ]

    def __str__(self) -> str:
        return self.name
