from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "kiemdiem.roster"
    label = "roster"
    verbose_name = _("Nhập, xuất danh sách")
