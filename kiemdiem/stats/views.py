"""The statistics page (`/thong-ke/`) and its XLSX export; both read the same selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kiemdiem.accounts.models import CYCLE_VIEWER_ROLES
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import path_ids
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.stats import access, selectors, xlsx
from kiemdiem.stats.panels import panels
from kiemdiem.stats.shares import LEVEL_KEYS, share, vn_delta, vn_int, vn_pct

BAR_WIDTH = 300  # px of a 100% bar in the SVG charts


def level_labels() -> dict[str, str]:
    labels = {k: str(v) for k, v in Level.choices}
    labels["undecided"] = _("Chưa quyết định")
    return labels


def progress_labels() -> dict[str, str]:
    return {k: str(v) for k, v in Evaluation.Status.choices if k in selectors.PROGRESS_KEYS}


def _bars(pairs: list[tuple[str, int]], total: int) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "count": vn_int(n),
            "pct": vn_pct(share(n, total)),
            "width": int(BAR_WIDTH * n / total) if total else 0,
            "y": i * 26,
        }
        for i, (label, n) in enumerate(pairs)
    ]


def _level_table(stats: selectors.Statistics) -> list[dict[str, str]]:
    total = stats.total
    labels = level_labels()
    prev = stats.previous
    rows = []
    for key in LEVEL_KEYS:
        n = total.by_level[key]
        row = {"key": key, "label": labels[key], "count": vn_int(n)}
        row["share"] = vn_pct(share(n, total.total))
        if stats.previous_cycle is not None:
            row["previous"] = vn_int(prev.get(key, 0))
            row["change"] = vn_delta(n - prev.get(key, 0))
        rows.append(row)
    return rows


def _table(rows: list[selectors.Row]) -> list[dict[str, Any]]:
    """Table rows with their level cells joined here: a province has hundreds of child units,
    and a template loop per cell costs more than the whole query."""
    return [
        {
            "label": r.label,
            "org": r.organization,
            "total": vn_int(r.total),
            "cells": format_html_join(
                "",
                '<td class="num">{}<br><span class="muted small">{}</span></td>',
                (
                    (vn_int(r.by_level[k]), vn_pct(share(r.by_level[k], r.total)))
                    for k in LEVEL_KEYS
                ),
            ),
        }
        for r in rows
    ]


def _quota_rows(quotas: list[selectors.QuotaRow]) -> str:
    """The peer-group rows joined here too (a province has hundreds of peer groups)."""
    yes, over = _("Có"), _("Vượt")
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td>{}</td></tr>',
        (
            (q.name, q.ratio, vn_int(q.excellent), vn_int(q.good), vn_int(a), yes)
            if q.excellent <= (a := q.allowed)
            else (q.name, q.ratio, vn_int(q.excellent), vn_int(q.good), vn_int(a), over)
            for q in quotas
        ),
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.GET.get("cycle"), request.GET.get("org"))
    stats = selectors.statistics(cycle, org, here_label=_("Tại chính đơn vị"))
    labels = level_labels()
    total = stats.total.total
    status_total = sum(stats.progress.values())
    context = {
        "stats": stats,
        "cycles": access.visible_cycles(request.user),
        "starts": access.home_organizations(request.user, cycle),
        "ancestors": _ancestors(request, org),
        "total": vn_int(total),
        "overdue": vn_int(stats.overdue),
        "level_headers": [labels[k] for k in LEVEL_KEYS],
        "level_rows": _level_table(stats),
        "level_bars": _bars([(labels[k], stats.total.by_level[k]) for k in LEVEL_KEYS], total),
        "progress_bars": _bars(
            [(v, stats.progress.get(k, 0)) for k, v in progress_labels().items()], status_total
        ),
        "roles": _table(stats.by_role),
        "tracks": _table(stats.by_track),
        "children": _table(stats.children),
        "quotas": stats.quotas,
        "quota_rows": _quota_rows(stats.quotas),
        "chart_height": 26 * len(LEVEL_KEYS),
        "progress_height": 26 * len(selectors.PROGRESS_KEYS),
        "panels": panels(request.user, cycle, org),
    }
    return render(request, "stats/dashboard.html", context)


def _ancestors(request: HttpRequest, org: Organization) -> list[Organization]:
    """The path back up to the user's own starting units (the breadcrumb of the drill-down)."""
    ids = path_ids(org.path)[:-1]
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return [
        found[i] for i in ids if i in found and in_scope(request.user, CYCLE_VIEWER_ROLES, found[i])
    ]


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.GET.get("cycle"), request.GET.get("org"))
    stats = selectors.statistics(cycle, org, here_label=_("Tại chính đơn vị"))
    content = xlsx.workbook(stats, level_labels(), progress_labels())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    code = "".join(c for c in org.code if c.isascii() and (c.isalnum() or c == "-"))
    name = f"thong-ke-{cycle.year}-{code or org.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
