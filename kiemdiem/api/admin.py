from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kiemdiem.api.models import ApiToken
from kiemdiem.api.tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read and revoke only: a token is created by its owner (profile page) or on the server
    (`kiemdiem api-token`), where its value is shown once; revoking goes through the service."""

    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(
        self, request, obj=None
    ):  # revoked, never deleted: the audit names it
        return False

    @admin.action(description=_("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(actor=request.user, token=token)
        messages.success(request, _("Đã thu hồi các mã đã chọn."))
