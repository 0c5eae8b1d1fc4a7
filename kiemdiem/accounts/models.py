"""Roles bound to a place in the organization tree, and the named sets of roles rights use.

"The level that directly manages and assigns the work evaluates" (366-8): a right is a role at
an organization, reaching that organization's subtree — never a flat, global role list.

The organization is referenced by name ("orgs.Organization"), not imported: `accounts` sits
below `orgs` (the tree's pages and services ask it who holds which role), so it imports no app
but `core`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức, đảng viên")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    PERSONNEL = "personnel", _("Cơ quan tham mưu tổ chức, cán bộ")
    COMPETENT = "competent", _("Cấp có thẩm quyền")
    INSPECTOR = "inspector", _("Ủy ban kiểm tra")
    ADMIN = "admin", _("Quản trị hệ thống")


# The named role sets: each right asks for one of these by name (never an ad-hoc set), so that
# "who manages" cannot mean two things in two modules.

#: See the people of every unit in the subtree of their organization (read access).
SCOPE_ROLES = frozenset(
    {
        Role.UNIT_HEAD,
        Role.CELL_SECRETARY,
        Role.PERSONNEL,
        Role.COMPETENT,
        Role.INSPECTOR,
        Role.ADMIN,
    }
)
#: Keep the records of the subtree: the tree itself, people, posts, party membership, and the
#: review cycles over it (the personnel advisory body and the system administrator).
RECORD_ROLES = frozenset({Role.PERSONNEL, Role.ADMIN})
#: Manage the work of the subtree's people: assign and approve tasks, return a self-review —
#: every scope role but the inspection committee, which reads and writes nothing.
WORK_MANAGER_ROLES = SCOPE_ROLES - {Role.INSPECTOR}
#: Head a collective: draft its report, run its meeting (the unit head, the party-cell secretary).
HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.CELL_SECRETARY})
#: Look at the review cycles over the subtree (the record keepers, deciders and inspectors).
CYCLE_VIEWER_ROLES = RECORD_ROLES | {Role.COMPETENT, Role.INSPECTOR}
#: Sign in with a second factor (TOTP or a recovery code): those who decide levels, keep the
#: records and administer the system.
SECOND_FACTOR_ROLES = frozenset({Role.COMPETENT, Role.PERSONNEL, Role.ADMIN})
#: See the background jobs started for an organization of the subtree.
JOB_VIEWER_ROLES = frozenset({Role.ADMIN})


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
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
