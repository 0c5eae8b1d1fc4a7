"""Roles bound to a place in the organization tree.

"The level that directly manages and assigns the work evaluates" (366-8): a right is a role at
an organization, reaching that organization's subtree — never a flat, global role list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdiem.orgs.models import Organization


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức, đảng viên")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    PERSONNEL = "personnel", _("Cơ quan tham mưu tổ chức, cán bộ")
    COMPETENT = "competent", _("Cấp có thẩm quyền")
    INSPECTOR = "inspector", _("Ủy ban kiểm tra")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles whose holder sees the people of every unit in the subtree of their organization.
SCOPE_ROLES = {
    Role.UNIT_HEAD,
    Role.CELL_SECRETARY,
    Role.PERSONNEL,
    Role.COMPETENT,
    Role.INSPECTOR,
    Role.ADMIN,
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("phạm vi"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
