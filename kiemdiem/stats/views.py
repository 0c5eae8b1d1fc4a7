"""The statistics page (`/thong-ke/`) and its XLSX export; both read the same summary
(`kiemdiem.stats.summary`), stamped with the time of its numbers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kiemdiem.accounts.models import CYCLE_VIEWER_ROLES
from kiemdiem.core.numbers import vn_number
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import path_ids
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.stats import access, selectors, summary, xlsx
from kiemdiem.stats.panels import panels
from kiemdiem.stats.shares import LEVEL_KEYS, share, vn_delta, vn_int, vn_pct

# The SVG charts are drawn for a phone: 320 units wide (a 375-px screen shows them at about
# their size, so 14-unit labels stay readable), one row per bar, its label and figure above it.
CHART_WIDTH = 320
ROW_HEIGHT = 40


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
            "width": int(CHART_WIDTH * n / total) if total else 0,
            "y": i * ROW_HEIGHT,
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


def _ratio(text: str) -> str:
    """A group's stored ratio, "0.20" → "0,20" (its digits kept; odd text shown as written)."""
    try:
        return vn_number(text)
    except ValueError:
        return text


def _quota_rows(quotas: list[selectors.QuotaRow]) -> str:
    """The peer-group rows joined here too (a province has thousands of peer groups): plain
    string joins, only the group's name and ratio escaped (the rest are formatted integers)."""
    yes, over = escape(_("Có")), escape(_("Vượt"))
    parts = []
    for q in quotas:
        allowed = q.allowed
        parts.append(
            f'<tr><td>{escape(q.name)}</td><td class="num">{escape(_ratio(q.ratio))}</td>'
            f'<td class="num">{vn_int(q.excellent)}</td><td class="num">{vn_int(q.good)}</td>'
            f'<td class="num">{vn_int(allowed)}</td><td>{yes if q.excellent <= allowed else over}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def compliance_labels() -> dict[str, str]:
    return {
        "party_le_state": _("Xếp loại bên Đảng không cao hơn bên chính quyền của cùng người"),
        "head_le_unit": _("Người đứng đầu không cao hơn tập thể mình đứng đầu"),
        "leadership_le_unit": _("Tập thể lãnh đạo không cao hơn tổ chức, đơn vị mình lãnh đạo"),
        "order": _("Đánh giá sau những đánh giá mà nó phụ thuộc (đúng thứ tự)"),
        "quota": _("Số nhóm tương đồng giữ tỷ lệ HTXSNV"),
    }


def _compliance_rows(stats: selectors.Statistics) -> list[dict[str, str | bool]]:
    labels = compliance_labels()
    over = sum(1 for q in stats.quotas if not q.within)
    checks = [*((c.key, c.checked, c.breaches) for c in stats.compliance)]
    checks.append(("quota", len(stats.quotas), over))
    return [
        {
            "key": key,
            "label": labels[key],
            "checked": vn_int(checked),
            "breaches": vn_int(breaches),
            "ok": breaches == 0,
        }
        for key, checked, breaches in checks
    ]


def _people_rows(evaluations: list[Evaluation]) -> list[dict[str, str]]:
    levels = level_labels()
    roles = dict(Evaluation.Role.choices)
    tracks = dict(Evaluation.Track.choices)
    statuses = dict(Evaluation.Status.choices)
    rows = []
    for e in evaluations:
        done = e.status in selectors.DONE and e.decided_level
        level = e.decided_level if done else ("NOT_RATED" if e.excluded else "undecided")
        rows.append(
            {
                "name": e.person.full_name if e.person_id else _("Tập thể"),
                "role": str(roles.get(e.role, e.role)),
                "track": str(tracks.get(e.track, "")) if e.track else "",
                "status": str(statuses.get(e.status, e.status)),
                "level": levels[level],
            }
        )
    return rows


def sections(stats: selectors.Statistics, people: list[Evaluation]) -> list[dict[str, Any]]:
    """The page's tables below the charts, in order: each is a card with its own template,
    so that a new table is one entry here (and one template)."""
    return [
        {
            "id": "children",
            "title": _("Đơn vị trực thuộc"),
            "template": "stats/level_table.html",
            "rows": _table(stats.children),
            "drill": True,
        },
        {
            "id": "people",
            "title": _("Cá nhân, tập thể của chính đơn vị"),
            "template": "stats/people.html",
            "rows": _people_rows(people),
            "truncated": len(people) >= selectors.PEOPLE_LIMIT,
        },
        {
            "id": "roles",
            "title": _("Theo đối tượng"),
            "template": "stats/level_table.html",
            "rows": _table(stats.by_role),
        },
        {
            "id": "tracks",
            "title": _("Theo bên"),
            "template": "stats/level_table.html",
            "rows": _table(stats.by_track),
        },
        {
            "id": "quotas",
            "title": _("Tỷ lệ HTXSNV theo nhóm tương đồng"),
            "template": "stats/quotas.html",
            "quotas": stats.quotas,
            "quota_rows": _quota_rows(stats.quotas),
        },
        {
            "id": "compliance",
            "title": _("Tuân thủ quy định khi quyết định"),
            "template": "stats/compliance.html",
            "rows": _compliance_rows(stats),
        },
    ]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.GET.get("cycle"), request.GET.get("org"))
    stats, stamp = summary.statistics(cycle, org, here_label=_("Tại chính đơn vị"))
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
        "sections": sections(stats, selectors.own_evaluations(cycle, org)),
        "chart_width": CHART_WIDTH,
        "chart_height": ROW_HEIGHT * len(LEVEL_KEYS),
        "progress_height": ROW_HEIGHT * len(selectors.PROGRESS_KEYS),
        "panels": panels(request.user, cycle, org),
        "stamp": stamp,
        "stamp_text": _stamp(stamp),
    }
    return render(request, "stats/dashboard.html", context)


def _stamp(stamp: summary.Freshness) -> str:
    """The stamp, "Số liệu lúc 11:32 29/11/2026", in the local time zone."""
    at = timezone.localtime(stamp.built_at)
    return _("Số liệu lúc %(time)s") % {"time": at.strftime("%H:%M %d/%m/%Y")}


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
    stats, _stamp = summary.statistics(cycle, org, here_label=_("Tại chính đơn vị"))
    content = xlsx.workbook(stats, level_labels(), progress_labels())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    code = "".join(c for c in org.code if c.isascii() and (c.isalnum() or c == "-"))
    name = f"thong-ke-{cycle.year}-{code or org.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
