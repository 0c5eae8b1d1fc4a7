"""The roster template: its sheets and columns, shared by the reader, the importer and the export.

Headers are matched after folding (no diacritics, lower case, single spaces), so "Số CCCD",
"so cccd" and "SỐ  CCCD" name the same column.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiemdiem.core.text import fold


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]

    def header_map(self) -> dict[str, str]:
        return {fold(c.header): c.key for c in self.columns}


ORGANIZATIONS = Sheet(
    "organizations",
    "Tổ chức",
    (
        Column("code", "Mã tổ chức", True, "Mã duy nhất, ví dụ SNV-PCC."),
        Column("name", "Tên tổ chức", True),
        Column("short_name", "Tên viết tắt"),
        Column("kind", "Loại", True, "Một trong các loại ở bảng dưới."),
        Column("parent", "Mã cấp trên", False, "Để trống với tổ chức cấp cao nhất."),
        Column("party_organization", "Mã tổ chức đảng"),
        Column("leads", "Mã tổ chức được lãnh đạo", False, "Chỉ với tập thể lãnh đạo, quản lý."),
    ),
)
PEOPLE = Sheet(
    "people",
    "Cá nhân",
    (
        Column("identity_number", "Số CCCD", True, "12 chữ số; dùng để nhận ra người đã có."),
        Column("full_name", "Họ và tên", True),
        Column("gender", "Giới tính", True, "Nam hoặc Nữ."),
        Column("date_of_birth", "Ngày sinh", True, "dd/mm/yyyy."),
        Column("employment", "Đối tượng", False, "Cán bộ, Công chức, Viên chức…"),
        Column("email", "Thư điện tử"),
        Column("phone", "Điện thoại"),
    ),
)
POSITIONS = Sheet(
    "positions",
    "Chức vụ",
    (
        Column("identity_number", "Số CCCD", True),
        Column("organization", "Mã đơn vị", True),
        Column("title", "Chức danh", True),
        Column("level", "Cấp chức vụ", False, "Để trống nếu không giữ chức vụ."),
        Column("is_head", "Người đứng đầu", False, "Ghi “x” nếu là người đứng đầu."),
        Column("start_date", "Từ ngày", True, "dd/mm/yyyy."),
        Column("end_date", "Đến ngày", False, "Để trống nếu đang giữ."),
    ),
)
PARTY = Sheet(
    "party",
    "Đảng viên",
    (
        Column("identity_number", "Số CCCD", True),
        Column("cell", "Mã chi bộ", True, "Chi bộ hoặc đảng bộ nơi sinh hoạt."),
        Column("admitted_on", "Ngày vào Đảng", True, "dd/mm/yyyy."),
        Column("official_on", "Ngày chính thức"),
        Column("status", "Tình trạng", False, "Đang sinh hoạt (mặc định), Miễn…, Đình chỉ…"),
        Column("outside_system", "Ngoài hệ thống", False, "Ghi “x” nếu ngoài hệ thống chính trị."),
    ),
)
SHEETS = (ORGANIZATIONS, PEOPLE, POSITIONS, PARTY)
INSTRUCTIONS_TITLE = "Hướng dẫn"


def sheet_for_title(title: str) -> Sheet | None:
    folded = fold(title)
    return next((s for s in SHEETS if fold(s.title) == folded), None)


def sheet_for_headers(headers: list[str]) -> Sheet | None:
    """The sheet whose required columns all appear (a CSV file holds one sheet)."""
    folded = {fold(h) for h in headers}
    for sheet in SHEETS:
        if all(fold(c.header) in folded for c in sheet.columns if c.required):
            # Organizations and people share no required header; positions and party share
            # only "Số CCCD", so the first full match is the right one.
            return sheet
    return None
