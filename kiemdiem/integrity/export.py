"""The flags of a subtree as XLSX (XlsxWriter, like the statistics): one sheet of counts per
heuristic, one row per flag. Every text cell is written as a string, never a formula."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _

from kiemdiem.integrity import selectors
from kiemdiem.integrity.describe import NAMES, sentence
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle

CHUNK = 2000


def workbook(cycle: Cycle, org: Organization) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    title = f"{cycle.name} — {org.name}"
    counts = book.add_worksheet(_("Tổng hợp")[:31])
    counts.write_string(0, 0, title, bold)
    for col, head in enumerate([_("Dấu hiệu"), _("Cần xem xét"), _("Đã kiểm tra")]):
        counts.write_string(2, col, head, bold)
    counts.set_column(0, 0, 60)
    row = 3
    for family in selectors.summary(cycle, org).families:
        for r in family["rows"]:
            counts.write_string(row, 0, r["name"])
            counts.write_number(row, 1, r["open"])
            counts.write_number(row, 2, r["justified"])
            row += 1
    sheet = book.add_worksheet(_("Dấu hiệu")[:31])
    heads = [_("Dấu hiệu"), _("Đơn vị"), _("Cá nhân"), _("Chi tiết"), _("Trạng thái"),
             _("Ghi chú kiểm tra")]  # fmt: skip
    sheet.write_string(0, 0, title, bold)
    for col, head in enumerate(heads):
        sheet.write_string(2, col, head, bold)
    sheet.freeze_panes(3, 1)
    sheet.set_column(0, 1, 40)
    sheet.set_column(3, 3, 80)
    rows = (
        selectors.flags_q(cycle, org)
        .filter(active=True)
        .select_related("organization", "person")
        .order_by("status", "code", "organization__path", "id")
    )
    line = 3
    for flag in rows.iterator(chunk_size=CHUNK):
        cells = [
            str(NAMES.get(flag.code, flag.code)),
            flag.organization.name,
            flag.person.full_name if flag.person else "",
            sentence(flag.code, flag.numbers),
            flag.get_status_display(),
            flag.note,
        ]
        for col, value in enumerate(cells):
            sheet.write_string(line, col, value)
        line += 1
    book.close()
    return out.getvalue()
