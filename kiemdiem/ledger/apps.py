from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "kiemdiem.ledger"
    label = "ledger"
    verbose_name = _("Sổ theo dõi nhiệm vụ và sản phẩm")

    def ready(self) -> None:
        from kiemdiem.ledger import todos

        todos.register()
