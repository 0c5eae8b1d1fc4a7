"""The self-review's transition table (`kiemdiem.core.transitions`). Submitting and returning
move the evaluation too (`kiemdiem.reviews.evaluations.transitions.EVALUATION`), in the same
transaction."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdiem.core.transitions import StateMachine
from kiemdiem.reviews.selfreview.models import SelfReview

S = SelfReview.Status

SUBMIT = "submit"
RETURN = "return"

SELF_REVIEW = StateMachine(
    name="self_review",
    states=SelfReview.Status,
    table={
        (S.DRAFT, SUBMIT): S.SUBMITTED,
        (S.RETURNED, SUBMIT): S.SUBMITTED,
        (S.SUBMITTED, RETURN): S.RETURNED,
    },
    subject=_("bản tự kiểm điểm"),
    verbs={SUBMIT: _("nộp"), RETURN: _("trả lại")},
)

#: The states in which the author may still edit.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
