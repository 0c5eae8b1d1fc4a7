"""The statistics as an XLSX workbook: one sheet per table the page shows (levels, subjects,
tracks, child units, progress, peer-group quotas, compliance of the decisions, the unit's own
people), Vietnamese headers, typed cells (numbers as numbers, shares as percentages), frozen
header rows.

Every text cell goes through `write_string`, so a name typed as "=HYPERLINK(…)" or "+1" stays
text: nothing a user wrote can become a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import selectors
from kiemdiem.stats.selectors import Row, Statistics
from kiemdiem.stats.shares import LEVEL_KEYS, share


class _Sheet:
    def __init__(self, book: Any, name: str, title: str, headers: Sequence[str]) -> None:
        self.ws = book.add_worksheet(name[:31])
        self.book = book
        self.bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.pct = book.add_format({"num_format": "0.0%"})
        self.ws.write_string(0, 0, title, self.bold)
        for col, header in enumerate(headers):
            self.ws.write_string(2, col, header, self.bold)
        self.ws.freeze_panes(3, 1)
        self.ws.set_column(0, 0, 40)
        self.ws.set_column(1, len(headers), 14)
        self.row = 3

    def write(self, values: Sequence[object]) -> None:
        for col, value in enumerate(values):
            if isinstance(value, float):
                self.ws.write_number(self.row, col, value, self.pct)
            elif isinstance(value, int):
                self.ws.write_number(self.row, col, value)
            else:
                self.ws.write_string(self.row, col, str(value))
        self.row += 1


def _fraction(count: int, total: int) -> float:
    return float(share(count, total)) / 100


def _level_rows(sheet: _Sheet, rows: list[Row]) -> None:
    for r in rows:
        cells: list[object] = [r.label, r.total]
        for key in LEVEL_KEYS:
            cells += [r.by_level[key], _fraction(r.by_level[key], r.total)]
        sheet.write(cells)


def workbook(
    stats: Statistics,
    levels: dict[str, str],
    progress: dict[str, str],
    people: list[Evaluation] | None = None,
) -> bytes:
    """The workbook of `stats`; `people` are the unit's own evaluations (the page's last
    drill-down step), read with `selectors.own_evaluations` when not given: the same
    organization the caller resolved within the user's rights, so no wider."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    title = f"{stats.cycle.name} — {stats.organization.name}"
    by_level = [_("Tổng số")]
    for key in LEVEL_KEYS:
        by_level += [levels[key], _("Tỷ lệ")]
    _summary(book, stats, levels, title)
    for name, rows in (
        (_("Theo đối tượng"), stats.by_role),
        (_("Theo bên"), stats.by_track),
        (_("Đơn vị trực thuộc"), stats.children),
    ):
        sheet = _Sheet(book, name, title, [_("Nhóm"), *by_level])
        _level_rows(sheet, rows)
    sheet = _Sheet(book, _("Tiến độ"), title, [_("Trạng thái"), _("Số lượng"), _("Tỷ lệ")])
    done = sum(stats.progress.values())
    for key, label in progress.items():
        n = stats.progress.get(key, 0)
        sheet.write([label, n, _fraction(n, done)])
    sheet.write([_("Quá hạn (chưa nộp sau hạn)"), stats.overdue, _fraction(stats.overdue, done)])
    sheet = _Sheet(
        book,
        _("Nhóm tương đồng"),
        title,
        [_("Nhóm"), _("Tỷ lệ"), "HTXSNV", "HTTNV", _("Tối đa HTXSNV"), _("Trong giới hạn")],
    )
    for q in stats.quotas:
        within = _("Có") if q.within else _("Vượt")
        sheet.write([q.name, q.ratio, q.excellent, q.good, q.allowed, within])
    _compliance(book, stats, title)
    if people is None:
        people = selectors.own_evaluations(stats.cycle, stats.organization)
    _people(book, people, title)
    book.close()
    return out.getvalue()


def _summary(book: Any, stats: Statistics, levels: dict[str, str], title: str) -> None:
    headers = [_("Mức xếp loại"), _("Số lượng"), _("Tỷ lệ")]
    if stats.previous_cycle is not None:
        headers += [_("Năm trước"), _("Tăng, giảm")]
    sheet = _Sheet(book, _("Theo mức xếp loại"), title, headers)
    total = stats.total
    for key in LEVEL_KEYS:
        n = total.by_level[key]
        cells: list[object] = [levels[key], n, _fraction(n, total.total)]
        if stats.previous_cycle is not None:
            before = stats.previous.get(key, 0)
            cells += [before, n - before]
        sheet.write(cells)
    sheet.write([_("Tổng số"), total.total, 1.0])


def _compliance(book: Any, stats: Statistics, title: str) -> None:
    """The page's compliance table: each cap, the order, and the peer groups within quota."""
    from kiemdiem.stats.views import compliance_labels  # the page's wording; views imports us

    labels = compliance_labels()
    headers = [_("Quy định"), _("Số trường hợp đã kiểm tra"), _("Số vi phạm"), _("Kết quả")]
    sheet = _Sheet(book, _("Tuân thủ"), title, headers)
    checks = [(c.key, c.checked, c.breaches) for c in stats.compliance]
    checks.append(("quota", len(stats.quotas), sum(1 for q in stats.quotas if not q.within)))
    for key, checked, breaches in checks:
        sheet.write([labels[key], checked, breaches, _("Đạt") if breaches == 0 else _("Không đạt")])


def _people(book: Any, people: list[Evaluation], title: str) -> None:
    """The unit's own evaluations, as the page lists them (at most `PEOPLE_LIMIT`)."""
    from kiemdiem.stats.views import _people_rows  # the page's rows; views imports us

    headers = [_("Họ và tên"), _("Đối tượng"), _("Bên"), _("Trạng thái"), _("Mức xếp loại")]
    sheet = _Sheet(book, _("Cá nhân, tập thể"), title, headers)
    for r in _people_rows(people):
        sheet.write([r["name"], r["role"], r["track"], r["status"], r["level"]])
    if len(people) >= selectors.PEOPLE_LIMIT:
        sheet.write([_("Chỉ hiện 500 phiếu đầu; xem đơn vị trực thuộc để thu hẹp.")])
