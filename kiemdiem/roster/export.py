"""Writing the roster template (empty) or a subtree's roster in the same layout (openpyxl).

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

DATE_FORMAT = "DD/MM/YYYY"


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
    code = {o.pk: o.code for o in Organization.objects.only("pk", "code")}
    rows = [
        [
            o.code,
            o.name,
            o.short_name,
            str(OrgKind(o.kind).label),
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
    level = dict(PostLevel.choices)
    return {
        ORGANIZATIONS.key: _org_rows(org_list),
        PEOPLE.key: sorted(
            [
                [
                    p.identity_number,
                    p.full_name,
                    str(Gender(p.gender).label),
                    p.date_of_birth,
                    str(EmploymentCategory(p.employment).label),
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
                    str(level[p.level]),
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
                    str(PartyStatus(m.status).label),
                    "x" if m.outside_system else "",
                ]
                for m in party_list
            ],
            key=lambda r: r[0],
        ),
    }


def _write_sheet(book: Any, sheet: Sheet, rows: list[list[Any]]) -> None:
    """Write-only mode (streams rows; ~5× faster than the normal mode on 100,000 rows)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet.title)
    for index, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(14, len(col.header) + 4)
    header = []
    for col in sheet.columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    text_columns = {i for i, c in enumerate(sheet.columns) if c.key == "identity_number"}
    for row in rows:
        out: list[Any] = []
        for i, value in enumerate(row):
            if isinstance(value, dt.date) or i in text_columns:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT if i not in text_columns else "@"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)


def roster_export(
    *, path: Path, organization: Organization | None = None, empty: bool = False
) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    intro = book.create_sheet(INSTRUCTIONS_TITLE)
    intro.column_dimensions["A"].width = 40
    intro.column_dimensions["C"].width = 60
    for row in _instructions():
        intro.append(row)
    data = {s.key: [] for s in SHEETS} if empty else roster_rows(organization)
    for sheet in SHEETS:
        _write_sheet(book, sheet, data[sheet.key])
    book.save(path)
