from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplainConfig(AppConfig):
    name = "kiemdiem.explain"
    label = "explain"
    verbose_name = _("Giải thích quy định")
