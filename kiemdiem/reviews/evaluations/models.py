"""The evaluation: one subject rated on one track in one cycle, and the levels and grades.

An `Evaluation` row carries exactly the facts the rules engine reads (classification.md 2.1),
so `kiemdiem.reviews.evaluations.engine` maps rows to engine input in one place. Its status
moves only through `kiemdiem.reviews.evaluations.transitions.EVALUATION`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    HTXSNV = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    HTTNV = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    HTNV = "HTNV", _("Hoàn thành nhiệm vụ")
    KHTNV = "KHTNV", _("Không hoàn thành nhiệm vụ")
    NOT_RATED = "NOT_RATED", _("Không xếp loại")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Kém")


class Evaluation(models.Model):
    """One subject rated on one track in one cycle (classification.md 2.1)."""

    class Subject(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")

    class Role(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo, quản lý")
        STAFF = "staff", _("Không giữ chức vụ")
        PARTY_OUTSIDE = "party_outside", _("Đảng viên ngoài hệ thống chính trị")
        ORGANIZATION = "organization", _("Tổ chức, cơ quan, đơn vị")
        PARTY_ORGANIZATION = "party_organization", _("Cấp ủy, tổ chức đảng")
        LEADERSHIP = "leadership", _("Tập thể lãnh đạo, quản lý")

    class Track(models.TextChoices):
        STATE = "state", _("Chính quyền (CBCCVC)")
        PARTY = "party", _("Đảng")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa nộp tự đánh giá")
        SUBMITTED = "submitted", _("Đã nộp tự đánh giá")
        RETURNED = "returned", _("Bị trả lại")
        # decisions.md §1: the decision workflow's states (its table adds the moves).
        REVIEWED = "reviewed", _("Đã họp kiểm điểm")
        VERIFIED = "verified", _("Đã thẩm định")
        DECIDED = "decided", _("Đã quyết định")
        PUBLISHED = "published", _("Đã công bố")
        ANNULLED = "annulled", _("Đã hủy bỏ")

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="evaluations")
    code = models.CharField(_("mã"), max_length=64)
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    track = models.CharField(_("bên"), max_length=8, choices=Track.choices, blank=True)
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("tổ chức, đơn vị"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    peer_group = models.ForeignKey(
        "reviews.PeerGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    template = models.ForeignKey(
        "reviews.CriteriaTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # References the engine follows (ids of other evaluations of the same cycle).
    leads = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    head_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leadership_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_evaluation = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manages = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")

    # Exclusions are applied at opening and shown, never silently dropped.
    excluded = models.BooleanField(_("không xếp loại"), default=False)
    exclusion_reason = models.CharField(_("lý do không xếp loại"), max_length=255, blank=True)
    # Why a derived peer-group assignment was dropped (classification.md 9.7), shown with the group.
    peer_group_note = models.CharField(_("ghi chú nhóm tương đồng"), max_length=255, blank=True)

    # Facts of the year (classification.md 2.1).
    months_worked = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(12))
    absent_months = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(0))
    maternity = models.BooleanField(default=False)
    party_admission = models.DateField(null=True, blank=True)
    party_status = models.CharField(max_length=16, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    general = models.CharField(max_length=16, choices=Grade.choices, blank=True)
    results_grade = models.CharField(max_length=16, choices=Grade.choices, blank=True)
    tasks_assigned = models.PositiveIntegerField(default=0)
    tasks_completed = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    tasks_exceeded = models.PositiveIntegerField(default=0)
    shortcomings_previous = models.PositiveIntegerField(default=0)
    shortcomings_remedied = models.PositiveIntegerField(default=0)
    discipline = models.JSONField(default=list, blank=True)
    degradation = models.BooleanField(default=False)
    prohibition_violation = models.BooleanField(default=False)
    low_confidence_share = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True
    )
    socioeconomic_targets_failed = models.BooleanField(default=False)
    corruption_in_managed_unit = models.BooleanField(default=False)
    cadre_work_wrongdoing = models.BooleanField(default=False)

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic concurrency (decisions.md §3 `conflict`): bumped by every change of state or
    # level, compared with the version a client read.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    # The four levels of decisions.md §4: self-assessed, the meeting's, the advisory body's
    # proposal, and the competent level's decision (blank until set).
    self_level = models.CharField(
        _("tự xếp loại"), max_length=16, choices=Level.choices, blank=True
    )
    meeting_level = models.CharField(
        _("hội nghị đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_level = models.CharField(
        _("cơ quan tham mưu đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("cấp có thẩm quyền quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("lý do quyết định"), blank=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    # The engine's suggestion frozen at submission: later ledger changes do not move it, the
    # pages show "changed since submission" against the live suggestion.
    submitted_suggestion = models.JSONField(default=dict, blank=True)
    suggested_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    suggested_base_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    suggested_flags = models.JSONField(default=list, blank=True)
    suggested_reasons = models.JSONField(default=list, blank=True)
    suggested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["cycle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="evaluation_code_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle", "person", "track"],
                condition=Q(person__isnull=False),
                name="one_evaluation_per_person_track",
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                condition=Q(subject="collective"),
                name="one_evaluation_per_collective",
            ),
            models.CheckConstraint(
                condition=(Q(subject="collective") & Q(track="") & Q(person__isnull=True))
                | (Q(subject="individual") & ~Q(track="") & Q(person__isnull=False)),
                name="evaluation_subject_shape",
            ),
            models.CheckConstraint(
                condition=Q(tasks_completed__lte=F("tasks_assigned"))
                & Q(tasks_on_time__lte=F("tasks_completed"))
                & Q(tasks_exceeded__lte=F("tasks_completed")),
                name="evaluation_task_counts_consistent",
            ),
        ]
        indexes = [
            # The unit progress page (bench/bench_progress.py) counts a subtree's evaluations
            # by state from this index alone (an index-only scan per organization); its first
            # two columns serve every lookup of a cycle's evaluations of one organization.
            models.Index(
                fields=["cycle", "organization", "status", "track", "excluded"],
                name="evaluation_cycle_progress",
            ),
            # The cycle page (bench/bench_progress.py): its state counts read this index
            # alone; the exclusions and "outside its group" tabs read only their few rows.
            models.Index(
                fields=["cycle", "status", "track", "role", "excluded"],
                name="evaluation_cycle_counts",
            ),
            models.Index(
                fields=["cycle", "organization"],
                condition=Q(excluded=True),
                name="evaluation_cycle_excluded",
            ),
            models.Index(
                fields=["cycle", "code"],
                condition=~Q(peer_group_note=""),
                name="evaluation_cycle_outside",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id and self.person else self.organization.name
        return f"{who} ({self.get_track_display() or self.get_role_display()})"

    @property
    def deadline(self) -> Any:
        """The classification deadline this evaluation answers to: its track's (a date)."""
        party = self.track == self.Track.PARTY
        return self.cycle.party_deadline if party else self.cycle.state_deadline
