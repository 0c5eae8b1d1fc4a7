import unicodedata

import pytest

from kiemdiem.orgs.models import Person
from kiemdiem.roster.services import RosterInvalid, roster_import
from tests.roster.helpers import basic_sheets, write_csv, write_xlsx

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 has ê, ơ… precomposed but the tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out += base.encode("cp1258") + "".join(p for p in parts if p in TONES).encode("cp1258")
    return out


def people_rows():
    return basic_sheets()["Cá nhân"]


@pytest.fixture
def tree(db, tmp_path):
    sheets = basic_sheets()
    del sheets["Cá nhân"], sheets["Chức vụ"], sheets["Đảng viên"]
    roster_import(actor=None, path=write_xlsx(tmp_path / "tree.xlsx", sheets))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(tree, tmp_path, encoding):
    path = write_csv(tmp_path / "ds.csv", people_rows(), encoding=encoding)
    report = roster_import(actor=None, path=path)
    assert report.counts["people"]["created"] == 2
    assert Person.objects.get(identity_number="001075000002").full_name == "Trần Văn Đức"


def test_windows_1258_csv_is_decoded_and_normalized(tree, tmp_path):
    text = "\r\n".join(",".join(r) for r in people_rows())
    path = tmp_path / "cp1258.csv"
    path.write_bytes(cp1258(text))
    roster_import(actor=None, path=path)
    assert Person.objects.get(identity_number="001185000001").full_name == "Nguyễn Thị Ánh"


def test_semicolon_separated_csv(tree, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("\n".join(";".join(r) for r in people_rows()), encoding="utf-8")
    assert roster_import(actor=None, path=path).counts["people"]["created"] == 2


@pytest.mark.parametrize(
    ("legacy", "encoding"),
    [("TrÇn V¨n §øc", "TCVN3"), ("Nguyeãn Vaên Ñöùc", "VNI")],
)
def test_csv_bytes_in_legacy_encodings_are_recognized(tree, tmp_path, legacy, encoding):
    rows = [
        ["So CCCD", "Ho va ten", "Gioi tinh", "Ngay sinh"],  # headers without diacritics
        ["001185000001", "Lan Huong", "Nu", "17/05/1985"],
        ["001075000002", legacy, "Nam", "03/02/1975"],
    ]
    path = tmp_path / "cu.csv"
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode("latin-1"))
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=path)
    lines = [p.line() for p in info.value.problems]
    assert any(
        "dòng 3, cột “Họ và tên”" in line and f"bảng mã {encoding}" in line for line in lines
    ), lines
    assert Person.objects.count() == 0


def test_a_csv_whose_header_matches_no_sheet_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Tên", "Tuổi"], ["A", "1"]])
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=path)
    assert "dòng tiêu đề không khớp" in info.value.problems[0].line()
