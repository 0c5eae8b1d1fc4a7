"""The decision page's rows as HTML, built in one pass.

Django's template engine spends ~1.5 ms a row on a row with a level select (2,000 rows: 3 s);
this builds the same markup with `escape` and string joins in a few milliseconds per hundred
rows. Every value is escaped; the template inserts the result as one block.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kiemdiem.reviews.decisions.selectors import GroupMeter, Row
from kiemdiem.reviews.evaluations.models import Level


def rows_html(rows: Iterable[Row], error_row: int | None = None, error: str = "") -> SafeString:
    history = reverse("evaluation_history", args=[0]).replace("/0/", "/{}/")
    select_label = escape(_("Chọn"))
    level_label = escape(_("Mức quyết định"))
    reason_label = escape(_("Lý do"))
    first = escape(_("Cần quyết định trước"))
    decide = escape(_("Quyết định"))
    values = list(Level.values)
    out: list[str] = []
    for r in rows:
        code = escape(r.code)
        if r.decidable:
            chosen = r.decided_level or r.proposed_level
            options = "".join(
                f'<option value="{v}"{" selected" if v == chosen else ""}>{v}</option>'
                for v in values
            )
            pick = (
                f'<input type="checkbox" name="evaluation" value="{r.id}" '
                f'aria-label="{select_label} {code}"><input type="hidden" '
                f'name="version_{r.id}" value="{r.version}">'
            )
            level = (
                f'<select name="level_{r.id}" aria-label="{level_label} {code}">{options}</select>'
            )
            reason = (
                f'<input name="reason_{r.id}" value="{escape(r.decision_reason)}" '
                f'aria-label="{reason_label} {code}">'
            )
            button = f'<button name="only" value="{r.id}">{decide}</button>'
        else:
            pick, button = "", ""
            level, reason = escape(r.decided_level), escape(r.decision_reason)
        waiting = (
            f'<br><span class="muted small">{first}: {escape(", ".join(r.waiting_for))}</span>'
            if r.waiting_for
            else ""
        )
        out.append(
            f'<tr id="ev-{r.id}"><td>{pick}</td><td><a href="{history.format(r.id)}">'
            f'{escape(r.name)}</a> <span class="muted small mono">{code}</span>{waiting}</td>'
            f'<td><span class="badge">{escape(r.status_label)}</span></td>'
            f"<td>{r.self_level}</td><td>{r.meeting_level}</td><td>{r.proposed_level}</td>"
            f"<td>{r.suggested_level}</td><td>{level}</td><td>{reason}</td><td>{button}</td></tr>"
        )
        if error_row == r.id:
            out.append(f'<tr class="error"><td colspan="10" role="alert">{escape(error)}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped


def groups_html(groups: Iterable[GroupMeter]) -> SafeString:
    """The quota meter of each peer group (a province has hundreds)."""
    label = escape(_("Quyết định cả nhóm"))
    over = ' class="error"'
    out = []
    for g in groups:
        out.append(
            f"<tr{over if g.over else ''}><td>{escape(g.name)}</td>"
            f"<td>{escape(g.ratio_label)}</td>"
            f'<td><meter min="0" max="{g.allowed or 1}" value="{g.excellent}"></meter> '
            f"{g.excellent}/{g.allowed}</td><td>{g.good}</td><td>{g.undecided}</td>"
            f'<td><button form="decide" name="group" value="{g.id}">{label}</button></td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped
