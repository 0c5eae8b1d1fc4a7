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


def _sorted(rows: Any, key: Any = None) -> list[list[Any]]:
    return sorted((list(r) for r in rows), key=key or (lambda r: r[0]))


def roster_rows(organization: Organization | None) -> dict[str, list[list[Any]]]:
    """The cell values of each sheet (what the round-trip test compares). Plain value rows, no
    model instances: the 100,000-person province has 250,000 rows."""
    orgs = Organization.objects.all()
    positions = Position.objects.all()
    party = PartyMembership.objects.all()
    people = Person.objects.all()
    if organization is not None:
        orgs = orgs.filter(path__under=organization.path)
        positions = positions.filter(organization__path__under=organization.path)
        party = party.filter(cell__path__under=organization.path)
        people = people.filter(
            Q(pk__in=positions.values("person_id")) | Q(pk__in=party.values("person_id"))
        )
    # Labels resolved once (a lazy translation per cell costs seconds on 100,000 rows).
    level = {k: str(v) for k, v in PostLevel.choices}
    gender = {k: str(v) for k, v in Gender.choices}
    employment = {k: str(v) for k, v in EmploymentCategory.choices}
    status = {k: str(v) for k, v in PartyStatus.choices}
    return {
        ORGANIZATIONS.key: _org_rows(list(orgs)),
        PEOPLE.key: _sorted(
            (n, name, gender[g], born, employment[e], email, phone)
            for n, name, g, born, e, email, phone in people.values_list(
                "identity_number",
                "full_name",
                "gender",
                "date_of_birth",
                "employment",
                "email",
                "phone",
            )
        ),  # fmt: skip
        POSITIONS.key: _sorted(
            (
                (n, code, title, level[lv], "x" if head else "", start, end)
                for n, code, title, lv, head, start, end in positions.values_list(
                    "person__identity_number",
                    "organization__code",
                    "title",
                    "level",
                    "is_head",
                    "start_date",
                    "end_date",
                )
            ),  # fmt: skip
            key=lambda r: (r[0], r[1], r[5], r[2]),
        ),
        PARTY.key: _sorted(
            (n, code, admitted, official, status[st], "x" if outside else "")
            for n, code, admitted, official, st, outside in party.values_list(
                "person__identity_number",
                "cell__code",
                "admitted_on",
                "official_on",
                "status",
                "outside_system",
            )
        ),  # fmt: skip
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
