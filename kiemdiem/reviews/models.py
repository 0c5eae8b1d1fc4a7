"""Review cycles, their evaluations (one subject on one track), criteria templates, self-reviews.

An `Evaluation` row carries exactly the facts the rules engine reads (classification.md 2.1),
so `kiemdiem.reviews.adapter` maps rows to engine input in one place.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kiemdiem.orgs.models import Organization, Person


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
        Organization, verbose_name=_("phạm vi"), on_delete=models.PROTECT, related_name="cycles"
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
    # sets' families at creation and editable until the cycle is opened (see reviews.cycles.SLOTS).
    templates = models.JSONField(_("mẫu tiêu chí theo đối tượng"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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


class PeerGroup(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="peer_groups")
    code = models.CharField(_("mã nhóm"), max_length=64)
    name = models.CharField(_("tên nhóm"), max_length=255)
    ratio = models.CharField(_("tỷ lệ HTXSNV/HTTNV"), max_length=8, default="0.20")
    derived = models.BooleanField(_("tự động"), default=True)

    class Meta:
        verbose_name = _("nhóm tương đồng")
        verbose_name_plural = _("nhóm tương đồng")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="peer_group_code_per_cycle")
        ]

    def __str__(self) -> str:
        return self.name


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

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evaluations")
    code = models.CharField(_("mã"), max_length=64)
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    track = models.CharField(_("bên"), max_length=8, choices=Track.choices, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức, đơn vị"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    peer_group = models.ForeignKey(
        PeerGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    template = models.ForeignKey(
        CriteriaTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
        indexes = [models.Index(fields=["cycle", "organization"])]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id and self.person else self.organization.name
        return f"{who} ({self.get_track_display() or self.get_role_display()})"


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
