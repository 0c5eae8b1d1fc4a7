"""Criteria templates: the versioned forms of the self-review (loaded by `criteria.loader`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CriteriaTemplate(models.Model):
    """A versioned criteria form (HD 43 annexes, HD 25 + Hậu Giang 3455, NĐ 90/48, NĐ 335).

    Loaded from `kiemdiem/reviews/criteria/*.json` by `kiemdiem load-criteria`; a province edits
    sub-point allocations by saving a new version, never by changing a version in use.
    """

    class Scoring(models.TextChoices):
        POINTS = "points", _("Chấm điểm (thang 100)")
        GRADES = "grades", _("Xếp mức từng tiêu chí")

    class SubjectKind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        LEADER = "leader", _("Cá nhân giữ chức vụ lãnh đạo, quản lý")
        STAFF = "staff", _("Cá nhân không giữ chức vụ")
        PARTY_OUTSIDE = "party_outside", _("Đảng viên ngoài hệ thống chính trị")

    code = models.CharField(_("mã"), max_length=64)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=255)
    family = models.CharField(_("bộ quy tắc"), max_length=32)
    track = models.CharField(_("bên"), max_length=8)  # party | state
    subject_kind = models.CharField(_("đối tượng"), max_length=16, choices=SubjectKind.choices)
    # State-track forms differ by category (NĐ 90: Mẫu 01 cán bộ, 02 công chức, 03 viên chức);
    # blank = any category.
    employment = models.CharField(_("áp dụng cho"), max_length=16, blank=True)
    form_code = models.CharField(_("mẫu"), max_length=32)
    scoring = models.CharField(_("cách chấm"), max_length=8, choices=Scoring.choices)
    source = models.CharField(_("căn cứ"), max_length=255)
    definition = models.JSONField(_("nội dung"))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("mẫu tiêu chí")
        verbose_name_plural = _("mẫu tiêu chí")
        ordering = ["family", "subject_kind", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.form_code} — {self.name} (v{self.version})"
