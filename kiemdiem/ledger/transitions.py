"""The task's transition table (`kiemdiem.core.transitions`).

A task is created proposed (self-registered) or approved (assigned by a manager); after that
its status moves only along these rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdiem.core.transitions import StateMachine
from kiemdiem.ledger.models import Task

S = Task.Status

TASK = StateMachine(
    name="task",
    states=Task.Status,
    table={
        (S.PROPOSED, "approve"): S.APPROVED,
        (S.PROPOSED, "reject"): S.REJECTED,
        (S.PROPOSED, "cancel"): S.CANCELLED,
        (S.APPROVED, "cancel"): S.CANCELLED,
        (S.REJECTED, "cancel"): S.CANCELLED,
        # The person edits a rejected task: it waits for approval again.
        (S.REJECTED, "resubmit"): S.PROPOSED,
    },
    subject=_("nhiệm vụ"),
    verbs={
        "approve": _("duyệt"),
        "reject": _("không duyệt"),
        "cancel": _("hủy"),
        "resubmit": _("gửi duyệt lại"),
    },
    refusals={
        "approve": _("Chỉ duyệt được nhiệm vụ đang chờ duyệt."),
        "reject": _("Chỉ không duyệt được nhiệm vụ đang chờ duyệt."),
        (S.CANCELLED, "cancel"): _("Nhiệm vụ đã được hủy trước đó."),
    },
)
