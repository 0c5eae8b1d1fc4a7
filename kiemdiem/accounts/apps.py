from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# The admin is read by Vietnamese administrators: the third-party apps it lists (throttling,
# second factor, task results) carry English names without a Vietnamese catalog, so their app
# and model names are given here; their field labels are in locale/vi (axes marks them).
ADMIN_APP_NAMES = {
    "axes": _("Khóa đăng nhập"),
    "otp_totp": _("Xác thực hai bước"),
    "otp_static": _("Mã khôi phục"),
    "django_tasks_database": _("Tác vụ nền (hàng đợi)"),
}
ADMIN_MODEL_NAMES = {
    ("otp_totp", "totpdevice"): (_("ứng dụng xác thực"), _("ứng dụng xác thực")),
    ("otp_static", "staticdevice"): (_("bộ mã khôi phục"), _("bộ mã khôi phục")),
    ("otp_static", "statictoken"): (_("mã khôi phục"), _("mã khôi phục")),
    ("django_tasks_database", "dbtaskresult"): (_("kết quả tác vụ"), _("kết quả tác vụ")),
}


def vietnamese_admin_labels() -> None:
    for label, name in ADMIN_APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model), (singular, plural) in ADMIN_MODEL_NAMES.items():
        meta = apps.get_model(label, model)._meta
        meta.verbose_name = singular
        meta.verbose_name_plural = plural


class AccountsConfig(AppConfig):
    name = "kiemdiem.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và quyền")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Quản trị hệ thống KiemDiem")
        admin.site.site_title = _("Quản trị KiemDiem")
        admin.site.index_title = _("Quản trị dữ liệu")
        vietnamese_admin_labels()
