from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "kiemdiem.orgs"
    label = "orgs"
    verbose_name = _("Tổ chức và nhân sự")
