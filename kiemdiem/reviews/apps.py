from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "kiemdiem.reviews"
    label = "reviews"
    verbose_name = _("Kiểm điểm, đánh giá, xếp loại")

    def ready(self) -> None:
        from kiemdiem.reviews import todos
        from kiemdiem.reviews.decisions import todos as decision_todos

        todos.register()
        decision_todos.register()
