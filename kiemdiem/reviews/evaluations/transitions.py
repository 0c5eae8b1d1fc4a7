"""The evaluation's transition table (`kiemdiem.core.transitions`): today's states, draft →
submitted ⇄ returned. The decision workflow extends it to decisions.md §1 (meeting,
verification, decision, publication, petition, annulment) by adding rows here.

`Evaluation.status` changes only through this table, in the same transaction as the
self-review's own (`kiemdiem.reviews.selfreview.transitions.SELF_REVIEW`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdiem.core.transitions import StateMachine
from kiemdiem.reviews.evaluations.models import Evaluation

S = Evaluation.Status

EVALUATION = StateMachine(
    name="evaluation",
    states=Evaluation.Status,
    table={
        (S.DRAFT, "submit"): S.SUBMITTED,
        (S.RETURNED, "submit"): S.SUBMITTED,
        (S.SUBMITTED, "return"): S.RETURNED,
    },
    subject=_("phiếu đánh giá"),
    verbs={"submit": _("nộp"), "return": _("trả lại")},
)
