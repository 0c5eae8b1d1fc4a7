"""Writes to the role assignments: grant and revoke a role at an organization, audited.

Roles are rights over a subtree, so they are granted by a superuser (the system
administrator, in the admin) or by the system itself (`actor=None`: a command run on the
server, such as the demo accounts); a role held somewhere does not let its holder hand out
roles.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import is_superuser
from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.core.audit import audit_record

Actor = AbstractBaseUser | AnonymousUser | None


def _require_granter(actor: Actor) -> None:
    if actor is not None and not is_superuser(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới được phân quyền."))


def role_assignment_errors(*, user: AbstractBaseUser | None, role: str) -> dict[str, str]:
    """What is wrong with a grant, by field (shared with the admin's form)."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Vai trò “%(role)s” không hợp lệ.") % {"role": role}
    if user is not None and not user.is_active:
        errors["user"] = _("Tài khoản “%(user)s” đã bị khóa.") % {"user": user.get_username()}
    return errors


@transaction.atomic
def role_assign(
    *, actor: Actor, user: AbstractBaseUser, role: str, organization: models.Model
) -> RoleAssignment:
    """Grant `role` at `organization` (its subtree); granting a role held already changes
    nothing."""
    _require_granter(actor)
    errors = role_assignment_errors(user=user, role=role)
    if errors:
        raise ValidationError(errors)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization
    )
    if created:
        audit_record(
            actor=actor,
            action="role.assign",
            obj=assignment,
            after={"user_id": user.pk, "role": role, "organization_id": organization.pk},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment, reason: str = "") -> None:
    _require_granter(actor)
    locked = RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if locked is None:
        return
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=locked,
        before={
            "user_id": locked.user_id,
            "role": locked.role,
            "organization_id": locked.organization_id,
        },
        reason=reason,
    )
    locked.delete()
