"""The history page's words for what the audit trail records by code: an evaluation's states
and the workflow's actions (decisions.md §1), in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews.evaluations.models import Evaluation

register = template.Library()

ACTIONS = {
    "submit": _("Nộp"),
    "return": _("Trả lại"),
    "review": _("Ghi kết quả hội nghị"),
    "verify": _("Thẩm định"),
    "decide": _("Quyết định"),
    "publish": _("Công bố"),
    "petition": _("Kiến nghị"),
    "reopen": _("Mở lại"),
    "annul": _("Hủy bỏ quyết định"),
}


@register.filter
def status_name(code: str) -> str:
    if code in Evaluation.Status.values:
        return str(Evaluation.Status(code).label)
    return code or ""


@register.filter
def action_name(code: str) -> str:
    """`evaluation.decide` → "Quyết định"; an action without a label keeps its code."""
    verb = (code or "").rsplit(".", 1)[-1]
    return str(ACTIONS.get(verb, code or ""))
