"""The admin of the role assignments: the one place roles are granted, through the role service
(a superuser only, audited); a grant is added or revoked, never edited in place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from kiemdiem.accounts import services
from kiemdiem.accounts.models import RoleAssignment


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organization"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = services.role_assignment_errors(user=data.get("user"), role=data.get("role", ""))
        for field, message in errors.items():
            self.add_error(field, message)
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organization"]
    form = RoleAssignmentForm

    def has_add_permission(self, request: Any) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: Any, obj: RoleAssignment, form: Any, change: bool) -> None:
        saved = services.role_assign(
            actor=request.user, user=obj.user, role=obj.role, organization=obj.organization
        )
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: RoleAssignment) -> None:
        services.role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for assignment in queryset:
            services.role_revoke(actor=request.user, assignment=assignment)
