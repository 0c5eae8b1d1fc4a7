"""The cycle's transition table (`kiemdiem.core.transitions`).

draft → opening → open → closed. Opening runs in committed batches: a stopped opening leaves the
cycle "opening" and running it again finishes the work; re-opening an open cycle creates what
is new in the tree since. A closed cycle is over: nothing in it is edited, it is never reopened.
Every move is audited as "cycle.status".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdiem.core.transitions import StateMachine
from kiemdiem.reviews.cycles.models import Cycle

S = Cycle.Status

OPEN = "open"  # start (or resume, or repeat) the opening
OPENED = "opened"  # the opening has written every evaluation
CLOSE = "close"

CYCLE = StateMachine(
    name="cycle",
    states=Cycle.Status,
    table={
        (S.DRAFT, OPEN): S.OPENING,
        (S.OPENING, OPEN): S.OPENING,
        (S.OPEN, OPEN): S.OPENING,
        (S.OPENING, OPENED): S.OPEN,
        (S.OPEN, CLOSE): S.CLOSED,
    },
    subject=_("đợt kiểm điểm"),
    verbs={OPEN: _("mở"), OPENED: _("hoàn tất việc mở"), CLOSE: _("kết thúc")},
    refusals={(S.CLOSED, OPEN): _("Đợt đã kết thúc, không mở lại được.")},
    audit_action="cycle.status",
)
