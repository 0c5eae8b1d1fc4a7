"""The admin of the organization records.

Organizations, people, posts and party membership are read-only here: their pages write them
through the services (scope, validation, derived columns such as the tree paths, audit), and an
admin form would bypass all four — the path of a moved unit would go stale. Cadre management,
which has no page yet, is added and removed through its service: the form runs the service's
check before saving, and saving calls the service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from kiemdiem.orgs import services
from kiemdiem.orgs.models import CadreManagement, Organization, PartyMembership, Person, Position


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "parent", "depth", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "search_key"]
    raw_id_fields = ["parent", "party_organization", "leads"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ["organization"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "identity_number", "gender", "date_of_birth", "employment"]
    list_filter = ["gender", "employment"]
    search_fields = ["search_key", "identity_number"]
    raw_id_fields = ["user"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["person", "title", "organization", "level", "is_head", "start_date", "end_date"]
    list_filter = ["level", "is_head"]
    raw_id_fields = ["person", "organization"]


@admin.register(PartyMembership)
class PartyMembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "cell", "admitted_on", "official_on", "status", "outside_system"]
    list_filter = ["status", "outside_system"]
    raw_id_fields = ["person", "cell"]


class CadreManagementForm(forms.ModelForm):
    class Meta:
        model = CadreManagement
        fields = ["manager", "person", "organization", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = services.cadre_management_problems(
            actor=self.actor,
            manager=data.get("manager"),
            person=data.get("person"),
            organization=data.get("organization"),
        )
        for field, message in problems.items():
            self.add_error(None if field == "__all__" else field, message)
        return data

    def validate_unique(self) -> None:
        """A second row for the same subject replaces the first (the service's upsert)."""


@admin.register(CadreManagement)
class CadreManagementAdmin(admin.ModelAdmin):
    list_display = ["manager", "person", "organization", "note"]
    raw_id_fields = ["manager", "person", "organization"]
    form = CadreManagementForm

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # Changing the subject of a row in place would bypass the one-row-per-subject upsert:
        # a row is added (replacing the subject's previous one) or deleted.
        return False

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request: Any, obj: CadreManagement, form: Any, change: bool) -> None:
        saved = services.cadre_management_set(
            actor=request.user,
            manager=obj.manager,
            person=obj.person,
            organization=obj.organization,
            note=obj.note,
        )
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: CadreManagement) -> None:
        services.cadre_management_remove(actor=request.user, row=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for row in queryset:
            services.cadre_management_remove(actor=request.user, row=row)
