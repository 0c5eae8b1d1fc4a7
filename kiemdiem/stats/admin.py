"""The statistics summary in the admin, read-only: it is derived data, replaced whole by each
rebuild (`kiemdiem.stats.summary.rebuild`); a superuser may delete a cycle's state row, and the
page then counts that cycle again on its next view."""

from typing import Any

from django.contrib import admin

from kiemdiem.stats.models import ComplianceSummary, CycleSummary, SummaryState


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(SummaryState)
class SummaryStateAdmin(_ReadOnly):
    list_display = ["cycle", "built_at", "changed_at", "build_ms"]


@admin.register(CycleSummary)
class CycleSummaryAdmin(_ReadOnly):
    list_display = ["cycle_id", "unit", "child_id", "role", "track", "status", "level", "n"]
    list_filter = ["level", "status"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ComplianceSummary)
class ComplianceSummaryAdmin(_ReadOnly):
    list_display = ["cycle_id", "unit", "order_n", "order_x"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
