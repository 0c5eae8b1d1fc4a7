"""Writing the roster template (empty) or a subtree's roster in the same layout (XlsxWriter).

Rows are sorted by their natural keys, never by database ids, so that export → import into an
empty database → export gives the same content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kiemdiem.orgs.models import (
    EmploymentCategory,
    Gender,
    Organization,
    OrgKind,
    PartyMembership,
    PartyStatus,
    Person,
    Position,
    PostLevel,
)
from kiemdiem.roster.layout import (
    INSTRUCTIONS_TITLE,
    ORGANIZATIONS,
    PARTY,
    PEOPLE,
    POSITIONS,
    SHEETS,
    Sheet,
)

DATE_FORMAT = "dd/mm/yyyy"


def _instructions() -> list[list[str]]:
    rows = [
        [_("Mẫu nhập danh sách tổ chức, cá nhân, chức vụ và đảng viên (KiemDiem)")],
        [],
        [_("Mỗi trang là một bảng; dòng đầu tiên là dòng tiêu đề, giữ nguyên tên cột.")],
        [_("Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1985) hoặc định dạng ô ngày của Excel.")],
        [_("Số CCCD gồm 12 chữ số; nên định dạng cột là Văn bản để giữ số 0 ở đầu.")],
        [_("Văn bản phải là Unicode (không dùng bảng mã TCVN3/ABC hay VNI).")],
        [_("Nhập lại một tệp sẽ cập nhật theo số CCCD và mã tổ chức, không tạo bản trùng.")],
        [_("Nếu có bất kỳ lỗi nào, không dữ liệu nào được ghi; danh sách lỗi nêu dòng và cột.")],
    ]
    for sheet in SHEETS:
        rows += [[], [_("Trang “%(title)s”") % {"title": sheet.title}]]
        for col in sheet.columns:
            mark = _("bắt buộc") if col.required else _("không bắt buộc")
            rows.append([col.header, mark, col.hint])
    choices = [
        (_("Loại tổ chức"), OrgKind.choices),
        (_("Giới tính"), Gender.choices),
        (_("Đối tượng"), EmploymentCategory.choices),
        (_("Cấp chức vụ"), PostLevel.choices),
        (_("Tình trạng đảng viên"), PartyStatus.choices),
    ]
    for title, values in choices:
        rows += [[], [title]] + [[str(label)] for _key, label in values]
    return rows


def _org_rows(orgs: list[Organization]) -> list[list[Any]]:
    code = dict(Organization.objects.values_list("pk", "code"))
    kind = {k: str(v) for k, v in OrgKind.choices}
    rows = [
        [
            o.code,
            o.name,
            o.short_name,
            kind[o.kind],
            code.get(o.parent_id, "") if o.parent_id else "",
            code.get(o.party_organization_id, "") if o.party_organization_id else "",
            code.get(o.leads_id, "") if o.leads_id else "",
        ]
        for o in orgs
    ]
    return sorted(rows, key=lambda r: r[0])


def roster_rows(organization: Organization | None) -> dict[str, list[list[Any]]]:
    """The cell values of each sheet (what the round-trip test compares)."""
    orgs = Organization.objects.all()
    if organization is not None:
        orgs = orgs.filter(path__under=organization.path)
    org_list = list(orgs)
    positions = Position.objects.select_related("person", "organization")
    party = PartyMembership.objects.select_related("person", "cell")
    if organization is not None:
        positions = positions.filter(organization__path__under=organization.path)
        party = party.filter(cell__path__under=organization.path)
    position_list = list(positions)
    party_list = list(party)
    people = Person.objects.all()
    if organization is not None:
        people = people.filter(
            Q(pk__in=[p.person_id for p in position_list])
            | Q(pk__in=[m.person_id for m in party_list])
        )
    # Labels resolved once (a lazy translation per cell costs seconds on 100,000 rows).
    level = {k: str(v) for k, v in PostLevel.choices}
    gender = {k: str(v) for k, v in Gender.choices}
    employment = {k: str(v) for k, v in EmploymentCategory.choices}
    status = {k: str(v) for k, v in PartyStatus.choices}
    return {
        ORGANIZATIONS.key: _org_rows(org_list),
        PEOPLE.key: sorted(
            [
                [
                    p.identity_number,
                    p.full_name,
                    gender[p.gender],
                    p.date_of_birth,
                    employment[p.employment],
                    p.email,
                    p.phone,
                ]
                for p in people
            ],
            key=lambda r: r[0],
        ),
        POSITIONS.key: sorted(
            [
                [
                    p.person.identity_number,
                    p.organization.code,
                    p.title,
                    level[p.level],
                    "x" if p.is_head else "",
                    p.start_date,
                    p.end_date,
                ]
                for p in position_list
            ],
            key=lambda r: (r[0], r[1], r[5], r[2]),
        ),
        PARTY.key: sorted(
            [
                [
                    m.person.identity_number,
                    m.cell.code,
                    m.admitted_on,
                    m.official_on,
                    status[m.status],
                    "x" if m.outside_system else "",
                ]
                for m in party_list
            ],
            key=lambda r: r[0],
        ),
    }


def _write_sheet(book: Any, sheet: Sheet, rows: list[list[Any]], formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet.title)
    for index, col in enumerate(sheet.columns):
        ws.set_column(index, index, max(14, len(col.header) + 4))
    ws.write_row(0, 0, [c.header for c in sheet.columns], formats["bold"])
    ws.freeze_panes(1, 0)
    text_columns = {i for i, c in enumerate(sheet.columns) if c.key == "identity_number"}
    date_format = formats["date"]
    for r, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(
                    r, i, dt.datetime(value.year, value.month, value.day), date_format
                )
            elif i in text_columns:
                ws.write_string(r, i, value)
            else:
                ws.write(r, i, value)


def roster_export(
    *, path: Path, organization: Organization | None = None, empty: bool = False
) -> None:
    """XlsxWriter in constant-memory mode: openpyxl's write-only mode took 331 s on the
    100,000-person province (load average 8 on 2 cores; bench/bench_roster.py)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    formats = {
        "bold": book.add_format({"bold": True}),
        "date": book.add_format({"num_format": DATE_FORMAT}),
    }
    intro = book.add_worksheet(INSTRUCTIONS_TITLE)
    intro.set_column(0, 0, 40)
    intro.set_column(2, 2, 60)
    for r, row in enumerate(_instructions()):
        intro.write_row(r, 0, row)
    data = {s.key: [] for s in SHEETS} if empty else roster_rows(organization)
    for sheet in SHEETS:
        _write_sheet(book, sheet, data[sheet.key], formats)
    book.close()
