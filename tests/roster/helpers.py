"""Writing roster files for the tests."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ORG_HEADER = ["Mã tổ chức", "Tên tổ chức", "Tên viết tắt", "Loại", "Mã cấp trên",
              "Mã tổ chức đảng", "Mã tổ chức được lãnh đạo"]  # fmt: skip
PEOPLE_HEADER = ["Số CCCD", "Họ và tên", "Giới tính", "Ngày sinh", "Đối tượng", "Thư điện tử",
                 "Điện thoại"]  # fmt: skip
POSITION_HEADER = ["Số CCCD", "Mã đơn vị", "Chức danh", "Cấp chức vụ", "Người đứng đầu",
                   "Từ ngày", "Đến ngày"]  # fmt: skip
PARTY_HEADER = ["Số CCCD", "Mã chi bộ", "Ngày vào Đảng", "Ngày chính thức", "Tình trạng",
                "Ngoài hệ thống"]  # fmt: skip


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def basic_sheets() -> dict[str, list[list[Any]]]:
    """A small tree: a province committee, a department and a division, a party cell; two people."""
    return {
        "Tổ chức": [
            ORG_HEADER,
            ["UB", "Ủy ban nhân dân tỉnh Sông Hậu", "", "Ủy ban nhân dân tỉnh", "", "", ""],
            ["DB", "Đảng bộ Sở Nội vụ", "", "Đảng bộ cơ sở", "", "", ""],
            ["CB", "Chi bộ Phòng Công chức", "", "Chi bộ trực thuộc", "DB", "", ""],
            ["SNV", "Sở Nội vụ", "SNV", "Sở, ban, ngành", "UB", "DB", ""],
            ["PCC", "Phòng Công chức", "", "Phòng, ban chuyên môn", "SNV", "", ""],
        ],
        "Cá nhân": [
            PEOPLE_HEADER,
            ["001185000001", "Nguyễn Thị Ánh", "Nữ", "17/05/1985", "Công chức", "", ""],
            ["001075000002", "Trần Văn Đức", "Nam", "03/02/1975", "Công chức", "", "0912345678"],
        ],
        "Chức vụ": [
            POSITION_HEADER,
            ["001185000001", "PCC", "Chuyên viên", "", "", "01/01/2020", ""],
            ["001075000002", "PCC", "Trưởng phòng", "Cấp trưởng cấp phòng", "x", "01/01/2020", ""],
        ],
        "Đảng viên": [
            PARTY_HEADER,
            ["001185000001", "CB", "02/03/2012", "02/03/2013", "", ""],
        ],
    }
