from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kiemdiem.stats"
    label = "stats"
    verbose_name = _("Thống kê")

    def ready(self) -> None:
        from kiemdiem.stats import refresh

        refresh.connect()
