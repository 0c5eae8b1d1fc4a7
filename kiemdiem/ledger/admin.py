from django.contrib import admin

from kiemdiem.ledger.models import Product, Result, Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (audited)."""

    list_display = ["title", "person", "organization", "year", "deadline", "status"]
    list_filter = ["status", "source", "year"]
    search_fields = ["title", "person__full_name"]
    raw_id_fields = ["person", "organization", "assigned_by", "decided_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(TaskAdmin):
    list_display = ["task", "achieved_quantity", "completed_on", "quality", "objective_cause"]
    list_filter = ["quality", "objective_cause"]
    search_fields = ["task__title"]
    raw_id_fields = ["task", "recorded_by", "objective_cause_confirmed_by"]


@admin.register(Product)
class ProductAdmin(TaskAdmin):
    list_display = ["title", "kind", "doc_symbol", "doc_date", "file_name"]
    list_filter = ["kind"]
    search_fields = ["title", "doc_symbol", "file_name"]
    raw_id_fields = ["result", "created_by"]
