from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "kiemdiem.integrity"
    label = "integrity"
    verbose_name = _("Phân tích liêm chính")

    def ready(self) -> None:
        from kiemdiem.integrity import panel, refresh, todos

        refresh.connect()
        panel.register()
        todos.register()
