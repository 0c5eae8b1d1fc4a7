"""The evaluation's transition table (`kiemdiem.core.transitions`), decisions.md §1:

draft → submitted ⇄ returned; submitted → reviewed (the meeting) → verified (the advisory body)
→ decided (the competent level; deciding again before publication keeps it decided) →
published; a petition on a published evaluation sends it back to verification (re-verify,
re-decide); the competent level reopens a submitted … decided evaluation (with a reason, back to
draft); a higher level annuls a published decision (366-44), after which a new decision is made
on the same evaluation (annulled → decided).

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
        (S.SUBMITTED, "review"): S.REVIEWED,
        (S.REVIEWED, "review"): S.REVIEWED,
        (S.REVIEWED, "return"): S.RETURNED,
        (S.REVIEWED, "verify"): S.VERIFIED,
        (S.VERIFIED, "verify"): S.VERIFIED,
        (S.VERIFIED, "decide"): S.DECIDED,
        (S.DECIDED, "decide"): S.DECIDED,
        (S.ANNULLED, "decide"): S.DECIDED,
        (S.DECIDED, "publish"): S.PUBLISHED,
        (S.PUBLISHED, "petition"): S.REVIEWED,
        (S.SUBMITTED, "reopen"): S.DRAFT,
        (S.REVIEWED, "reopen"): S.DRAFT,
        (S.VERIFIED, "reopen"): S.DRAFT,
        (S.DECIDED, "reopen"): S.DRAFT,
        (S.PUBLISHED, "annul"): S.ANNULLED,
    },
    subject=_("phiếu đánh giá"),
    verbs={
        "submit": _("nộp"),
        "return": _("trả lại"),
        "review": _("ghi kết quả hội nghị kiểm điểm cho"),
        "verify": _("thẩm định"),
        "decide": _("quyết định"),
        "publish": _("công bố"),
        "petition": _("kiến nghị về"),
        "reopen": _("mở lại"),
        "annul": _("hủy bỏ quyết định về"),
    },
)
