"""`POST /api/v1/cycles/{id}/decisions/`: the request body checked for shape here, the hard
limits of decisions.md §3 checked by the decision service (the same one the page calls)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kiemdiem.api import selectors
from kiemdiem.api.errors import ApiError, invalid, not_found
from kiemdiem.api.http import MAX_INT, api_view, json_response, read_json
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionRefused
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.models import Evaluation, Level

#: decisions.md §3 → HTTP status (the other rule codes answer 422).
REFUSAL_STATUS = {"forbidden": 403, "conflict": 409}
MAX_ITEMS = 5000


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_INT


def parse_items(body: Any) -> list[DecisionItem]:
    """The body's decisions, or 422 `invalid` naming every offending field."""
    if not isinstance(body, dict) or not isinstance(body.get("decisions"), list):
        raise invalid({"decisions": _("Cần một danh sách “decisions”.")})
    raw = body["decisions"]
    if not raw:
        raise invalid({"decisions": _("Danh sách quyết định đang trống.")})
    if len(raw) > MAX_ITEMS:
        raise invalid({"decisions": _("Tối đa %(max)s quyết định một lần.") % {"max": MAX_ITEMS}})
    fields: dict[str, str] = {}
    items: list[DecisionItem] = []
    seen: set[int] = set()
    for i, entry in enumerate(raw):
        where = f"decisions[{i}]"
        if not isinstance(entry, dict):
            fields[where] = _("Mỗi quyết định là một đối tượng JSON.")
            continue
        ev, level = entry.get("evaluation"), entry.get("level")
        version, reason = entry.get("version"), entry.get("reason", "")
        if not _is_int(ev):
            fields[f"{where}.evaluation"] = _("Cần mã phiếu đánh giá (số nguyên dương).")
        elif ev in seen:
            fields[f"{where}.evaluation"] = _("Phiếu %(id)s xuất hiện hai lần.") % {"id": ev}
        if level not in Level.values:
            fields[f"{where}.level"] = _("Mức xếp loại phải là một trong: %(v)s.") % {
                "v": ", ".join(Level.values)
            }
        if not _is_int(version):
            fields[f"{where}.version"] = _("Cần phiên bản đã đọc (số nguyên dương).")
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            fields[f"{where}.reason"] = _("Lý do phải là văn bản.")
        elif "\x00" in reason:
            fields[f"{where}.reason"] = _("Không được chứa ký tự NUL.")
        if not fields:
            seen.add(ev)
            items.append(DecisionItem(evaluation=ev, level=level, version=version, reason=reason))
    if fields:
        raise invalid(fields)
    return items


@api_view("POST")
def cycle_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for_api(request.user, pk)
    items = parse_items(read_json(request))
    ids = [item.evaluation for item in items]
    visible = set(
        Evaluation.objects.filter(selectors.evaluation_visible_q(request.user), cycle=cycle)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    hidden = [pk for pk in ids if pk not in visible]
    if hidden:
        # Outside the cycle or the user's scope: as if it did not exist.
        raise not_found({"evaluations": hidden})
    try:
        outcome = decide(actor=request.user, cycle=cycle, items=items, request=request)
    except DecisionRefused as refusal:
        raise ApiError(
            refusal.code,
            refusal.message,
            refusal.details,
            status=REFUSAL_STATUS.get(refusal.code, 422),
        ) from refusal
    return json_response(
        {
            "decided": [
                {"id": ev, "level": level, "version": version}
                for ev, level, version in outcome.decided
            ]
        }
    )
