"""The organization tree and its people: what rights, cycles and statistics hang off.

Derived columns (tree path and depth, name parts, collation and search keys) are written by the
services in `kiemdiem.orgs.services`, never typed by users and never computed in `save()`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TreePathField(models.CharField):
    """A materialized path ("0000001.0000042."); `path__under=p` selects a subtree.

    SQLite's LIKE is case-insensitive and cannot use the index, so there the prefix becomes an
    index range (p ≤ path < p with its final "." replaced by "/", the next character); on
    PostgreSQL it stays a LIKE, which the varchar_pattern_ops index Django adds serves.
    """


@TreePathField.register_lookup
class Under(models.Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} LIKE %s", [*lhs_params, connection.ops.prep_for_like_query(prefix) + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [
            *lhs_params,
            prefix,
            *lhs_params,
            prefix[:-1] + "/",
        ]


class Sector(models.TextChoices):
    PARTY = "party", _("Đảng")
    STATE = "state", _("Nhà nước")
    FRONT = "front", _("Mặt trận, đoàn thể")
    LEADERSHIP = "leadership", _("Tập thể lãnh đạo, quản lý")


class OrgKind(models.TextChoices):
    PARTY_PROVINCE = "party_province", _("Đảng bộ tỉnh")
    PARTY_ADVISORY = "party_advisory", _("Cơ quan tham mưu, giúp việc của Tỉnh ủy")
    PARTY_COMMUNE = "party_commune", _("Đảng bộ xã, phường")
    PARTY_BASE = "party_base", _("Đảng bộ cơ sở")
    PARTY_SUB = "party_sub", _("Đảng bộ bộ phận")
    CELL_BASE = "cell_base", _("Chi bộ cơ sở")
    CELL_SUB = "cell_sub", _("Chi bộ trực thuộc")
    PEOPLES_COMMITTEE_PROVINCE = "pc_province", _("Ủy ban nhân dân tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    PEOPLES_COMMITTEE_COMMUNE = "pc_commune", _("Ủy ban nhân dân xã, phường")
    DIVISION = "division", _("Phòng, ban chuyên môn")
    PUBLIC_UNIT = "public_unit", _("Đơn vị sự nghiệp công lập")
    FRONT = "front", _("Ủy ban Mặt trận Tổ quốc")
    MASS_ORG = "mass_org", _("Tổ chức chính trị - xã hội")
    LEADERSHIP = "leadership", _("Tập thể lãnh đạo, quản lý")

    @classmethod
    def sector_of(cls, kind: str) -> str:
        return _SECTORS[kind]

    @classmethod
    def party_kinds(cls) -> list[str]:
        return [k for k, s in _SECTORS.items() if s == Sector.PARTY]

    @classmethod
    def cell_kinds(cls) -> list[str]:
        return [cls.CELL_BASE, cls.CELL_SUB, cls.PARTY_BASE, cls.PARTY_COMMUNE, cls.PARTY_SUB]


_SECTORS = {
    OrgKind.PARTY_PROVINCE: Sector.PARTY,
    OrgKind.PARTY_ADVISORY: Sector.PARTY,
    OrgKind.PARTY_COMMUNE: Sector.PARTY,
    OrgKind.PARTY_BASE: Sector.PARTY,
    OrgKind.PARTY_SUB: Sector.PARTY,
    OrgKind.CELL_BASE: Sector.PARTY,
    OrgKind.CELL_SUB: Sector.PARTY,
    OrgKind.PEOPLES_COMMITTEE_PROVINCE: Sector.STATE,
    OrgKind.DEPARTMENT: Sector.STATE,
    OrgKind.PEOPLES_COMMITTEE_COMMUNE: Sector.STATE,
    OrgKind.DIVISION: Sector.STATE,
    OrgKind.PUBLIC_UNIT: Sector.STATE,
    OrgKind.FRONT: Sector.FRONT,
    OrgKind.MASS_ORG: Sector.FRONT,
    OrgKind.LEADERSHIP: Sector.LEADERSHIP,
}


class Organization(models.Model):
    """A node of the tree: a party organization, an agency or unit, or a leadership collective.

    Any depth (after the 2025 reform a province has two administrative tiers, party committees
    nest deeper). `path` is the materialized path of zero-padded ids ("000001.000042."), so a
    subtree is one indexed prefix query on either database.
    """

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cấp trên trực tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    party_organization = models.ForeignKey(
        "self",
        verbose_name=_("tổ chức đảng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agencies",
        help_text=_("Tổ chức đảng lãnh đạo cơ quan, đơn vị này."),
    )
    leads = models.ForeignKey(
        "self",
        verbose_name=_("lãnh đạo tổ chức"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="leadership_collectives",
        help_text=_("Với tập thể lãnh đạo, quản lý: tổ chức mà tập thể này lãnh đạo."),
    )
    path = TreePathField(max_length=512, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name_key = models.CharField(max_length=600, editable=False, default="")
    search_key = models.CharField(max_length=255, editable=False, default="", db_index=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ chức, cơ quan, đơn vị")
        verbose_name_plural = _("tổ chức, cơ quan, đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="organization_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(leads__isnull=True) | Q(kind="leadership"),
                name="organization_only_leadership_leads",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return OrgKind.sector_of(self.kind)

    @property
    def is_party(self) -> bool:
        return self.sector == Sector.PARTY

    @property
    def is_leadership(self) -> bool:
        return self.kind == OrgKind.LEADERSHIP


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class EmploymentCategory(models.TextChoices):
    CADRE = "can_bo", _("Cán bộ")
    CIVIL_SERVANT = "cong_chuc", _("Công chức")
    PUBLIC_EMPLOYEE = "vien_chuc", _("Viên chức")
    WORKER = "nguoi_lao_dong", _("Người lao động")
    NONE = "none", _("Không thuộc diện")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=120)
    family_name = models.CharField(_("họ"), max_length=40, editable=False)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True, editable=False)
    given_name = models.CharField(_("tên"), max_length=40, editable=False)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    search_key = models.CharField(max_length=120, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    identity_number = models.CharField(_("số CCCD"), max_length=12, unique=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    employment = models.CharField(
        _("đối tượng"),
        max_length=16,
        choices=EmploymentCategory.choices,
        default=EmploymentCategory.NONE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(identity_number__regex=r"^[0-9]{12}$"),
                name="person_identity_number_12_digits",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class PartyStatus(models.TextChoices):
    ACTIVE = "active", _("Đang sinh hoạt")
    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")


class PartyMembership(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="party"
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("chi bộ, đảng bộ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    admitted_on = models.DateField(_("ngày vào Đảng"))
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=PartyStatus.choices, default=PartyStatus.ACTIVE
    )
    outside_system = models.BooleanField(
        _("đảng viên ngoài hệ thống chính trị"),
        default=False,
        help_text=_("Hưu trí, sinh viên, làm việc ở doanh nghiệp tư nhân…"),
    )

    class Meta:
        verbose_name = _("đảng tịch")
        verbose_name_plural = _("đảng tịch")
        constraints = [
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=F("admitted_on")),
                name="party_official_after_admission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cell}"


class PostLevel(models.IntegerChoices):
    """Seniority of a post; the person's highest post is the one with the highest level."""

    STAFF = 0, _("Không giữ chức vụ")
    DEPUTY_DIVISION = 10, _("Cấp phó cấp phòng")
    HEAD_DIVISION = 20, _("Cấp trưởng cấp phòng")
    DEPUTY_COMMUNE = 30, _("Cấp phó cấp xã, đơn vị cơ sở")
    HEAD_COMMUNE = 40, _("Cấp trưởng cấp xã, đơn vị cơ sở")
    DEPUTY_DEPARTMENT = 50, _("Cấp phó sở, ngành")
    HEAD_DEPARTMENT = 60, _("Cấp trưởng sở, ngành")
    DEPUTY_PROVINCE = 70, _("Cấp phó cấp tỉnh")
    HEAD_PROVINCE = 80, _("Cấp trưởng cấp tỉnh")


class Position(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức, đơn vị"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(_("chức danh"), max_length=160)
    level = models.PositiveSmallIntegerField(
        _("cấp chức vụ"), choices=PostLevel.choices, default=PostLevel.STAFF
    )
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("chức vụ, vị trí công tác")
        verbose_name_plural = _("chức vụ, vị trí công tác")
        ordering = ["-level", "start_date", "id"]
        indexes = [models.Index(fields=["organization", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(is_head=False) | Q(level__gt=0),
                name="position_head_is_leadership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"

    @property
    def is_leadership(self) -> bool:
        """A leadership/management post (giữ chức vụ lãnh đạo, quản lý)."""
        return self.level > PostLevel.STAFF


class CadreManagement(models.Model):
    """Diện quản lý: which competent level manages a person or a collective.

    Later issues route decisions through it; without a row, the competent level is derived from
    the tree (the parent of the unit), see `selectors.competent_level_for_*`.
    """

    manager = models.ForeignKey(
        Organization,
        verbose_name=_("cấp quản lý"),
        on_delete=models.CASCADE,
        related_name="managed_cadres",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="management"
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="management",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("diện quản lý cán bộ")
        verbose_name_plural = _("diện quản lý cán bộ")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=True) & Q(organization__isnull=False))
                | (Q(person__isnull=False) & Q(organization__isnull=True)),
                name="cadre_management_one_subject",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(person__isnull=False), name="one_manager_per_person"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(organization__isnull=False),
                name="one_manager_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager}: {self.person or self.organization}"
