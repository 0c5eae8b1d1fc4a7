import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import Organization, PartyMembership, Person, Position
from kiemdiem.roster.services import RosterInvalid, roster_import
from tests.roster.helpers import basic_sheets, write_xlsx


def lines(exc: RosterInvalid) -> list[str]:
    return [p.line() for p in exc.problems]


def test_a_clean_file_creates_everything_and_audits_each_row(db, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", basic_sheets())
    report = roster_import(actor=None, path=path)
    assert report.counts["organizations"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert report.counts["people"] == {"created": 2, "updated": 0, "unchanged": 0}
    pcc = Organization.objects.get(code="PCC")
    assert pcc.parent.code == "SNV" and pcc.path.startswith(pcc.parent.path)
    anh = Person.objects.get(identity_number="001185000001")
    assert (anh.family_name, anh.given_name) == ("Nguyễn", "Ánh")
    assert anh.date_of_birth == dt.date(1985, 5, 17)
    head = Position.objects.get(person__identity_number="001075000002")
    assert head.is_head and head.level == 20
    assert PartyMembership.objects.get(person=anh).cell.code == "CB"
    assert AuditEvent.objects.filter(action="person.create").count() == 2
    event = AuditEvent.objects.get(action="person.create", object_id=str(anh.pk))
    assert event.after["identity_number"] == "001185000001"
    assert event.after["date_of_birth"] == "1985-05-17"
    assert event.reason == "Nhập danh sách từ tệp ds.xlsx" and event.at is not None
    assert AuditEvent.objects.filter(action="position.add").count() == 2


def test_reimporting_updates_by_identity_number_and_reports_unchanged(db, tmp_path):
    roster_import(actor=None, path=write_xlsx(tmp_path / "a.xlsx", basic_sheets()))
    sheets = basic_sheets()
    sheets["Cá nhân"][2][6] = "0987654321"
    report = roster_import(actor=None, path=write_xlsx(tmp_path / "b.xlsx", sheets))
    assert report.counts["people"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.counts["organizations"] == {"created": 0, "updated": 0, "unchanged": 5}
    assert report.counts["positions"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert Person.objects.count() == 2
    assert Person.objects.get(identity_number="001075000002").phone == "0987654321"


def test_reimporting_an_unchanged_file_writes_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", basic_sheets())
    roster_import(actor=None, path=path)
    models = (AuditEvent, Organization, Person, Position, PartyMembership)
    counts = [m.objects.count() for m in models]
    with CaptureQueriesContext(connection) as queries:
        report = roster_import(actor=None, path=path)
    writes = [
        q["sql"] for q in queries if q["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values())
    assert report.counts["people"]["unchanged"] == 2
    # The bulk inserts bypass the logged cursor: the row counts catch what the log cannot.
    assert [m.objects.count() for m in models] == counts


def test_reimporting_updates_changed_posts_and_memberships_and_audits_them(db, tmp_path):
    roster_import(actor=None, path=write_xlsx(tmp_path / "a.xlsx", basic_sheets()))
    sheets = basic_sheets()
    sheets["Chức vụ"][1][6] = "31/12/2024"  # the post of row 2 ends
    sheets["Đảng viên"][1][4] = "Miễn công tác và sinh hoạt đảng"
    sheets["Đảng viên"][1][5] = "x"
    report = roster_import(actor=None, path=write_xlsx(tmp_path / "b.xlsx", sheets))
    assert report.counts["positions"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.counts["party"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert report.counts["people"] == {"created": 0, "updated": 0, "unchanged": 2}
    post = Position.objects.get(person__identity_number="001185000001")
    assert post.end_date == dt.date(2024, 12, 31) and post.title == "Chuyên viên"
    membership = PartyMembership.objects.get(person__identity_number="001185000001")
    assert (membership.status, membership.outside_system) == ("exempt", True)
    assert membership.cell.code == "CB"
    event = AuditEvent.objects.get(action="position.update", object_id=str(post.pk))
    assert event.after["end_date"] == "2024-12-31"
    sets = AuditEvent.objects.filter(action="party_membership.set", object_id=str(membership.pk))
    assert [e.after["status"] for e in sets.order_by("id")] == ["active", "exempt"]
    assert Position.objects.count() == 2 and PartyMembership.objects.count() == 1


def test_a_malformed_file_lists_every_problem_by_row_and_column_and_writes_nothing(db, tmp_path):
    sheets = basic_sheets()
    sheets["Tổ chức"].append(["X1", "Vòng A", "", "Phòng, ban chuyên môn", "X2", "", ""])
    sheets["Tổ chức"].append(["X2", "Vòng B", "", "Phòng, ban chuyên môn", "X1", "", ""])
    sheets["Cá nhân"] += [
        ["", "Thiếu Số", "Nam", "01/01/1980", "", "", ""],
        ["00118500000", "Sai Độ Dài", "Nữ", "01/01/1985", "", "", ""],
        ["001185000009", "Ngày Sai", "Nữ", "31/02/1985", "", "", ""],
        ["001185000001", "Trùng Người", "Nữ", "17/05/1985", "", "", ""],
    ]
    sheets["Chức vụ"] += [
        ["001185000001", "KHONGCO", "Chuyên viên", "", "", "01/01/2020", ""],
        ["001075000002", "PCC", "Phó phòng", "Cấp phó cấp phòng", "", "01/01/2020", "01/01/2019"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=path)
    text = "\n".join(lines(info.value))
    assert "Trang “Cá nhân”, dòng 4, cột “Số CCCD”: không được để trống." in text
    assert "dòng 5, cột “Số CCCD”: Số CCCD “00118500000” phải gồm đúng 12 chữ số." in text
    assert "dòng 6, cột “Ngày sinh”: “31/02/1985” không phải là ngày hợp lệ" in text
    assert "dòng 7, cột “Số CCCD”: số CCCD “001185000001” trùng với dòng 2" in text
    assert "Trang “Chức vụ”, dòng 4, cột “Mã đơn vị”: không có tổ chức mã “KHONGCO”" in text
    assert "dòng 5, cột “Đến ngày”: Ngày kết thúc 01/01/2019 trước ngày bắt đầu 01/01/2020." in text
    assert "Trang “Tổ chức”, dòng 7, cột “Mã cấp trên”: “X1” nằm trong một vòng lặp" in text
    assert "dòng 8, cột “Mã cấp trên”: “X2” nằm trong một vòng lặp" in text
    assert Organization.objects.count() == 0
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_cycle_with_existing_units_is_found(db, tmp_path):
    roster_import(actor=None, path=write_xlsx(tmp_path / "a.xlsx", basic_sheets()))
    sheets = basic_sheets()
    sheets["Tổ chức"][1][4] = "PCC"  # UB under PCC, which is under SNV, under UB
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=write_xlsx(tmp_path / "b.xlsx", sheets))
    assert any("vòng lặp" in line and "dòng 2" in line for line in lines(info.value))


def test_nasty_cells_are_accepted(db, tmp_path):
    sheets = basic_sheets()
    sheets["Cá nhân"][0] = ["SO CCCD", "ho va ten", "GIỚI\u00a0TÍNH ", " Ngày  sinh", "doi tuong"]
    sheets["Cá nhân"][1] = [
        "001185000001",
        "  Nguye\u0302\u0303n\u00a0Thi\u0323  A\u0301nh ",  # decomposed, stray spaces
        "nữ",
        31184,  # Excel serial of 17/05/1985
        "CÔNG CHỨC",
    ]
    sheets["Cá nhân"][2][3] = dt.datetime(1975, 2, 3)
    sheets["Cá nhân"][2][0] = 1075000002  # a number cell that lost its leading zero
    path = write_xlsx(tmp_path / "nasty.xlsx", sheets)
    roster_import(actor=None, path=path)
    anh = Person.objects.get(identity_number="001185000001")
    assert anh.full_name == "Nguyễn Thị Ánh"
    assert anh.date_of_birth == dt.date(1985, 5, 17)
    assert anh.employment == "cong_chuc"
    assert Person.objects.get(identity_number="001075000002").date_of_birth == dt.date(1975, 2, 3)


@pytest.mark.parametrize(
    ("name", "encoding"), [("NguyÔn ThÞ ¸nh", "TCVN3"), ("Nguyeãn Thò AÙnh", "VNI")]
)
def test_legacy_encodings_are_named_not_imported(db, tmp_path, name, encoding):
    sheets = basic_sheets()
    sheets["Cá nhân"][1][1] = name
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=write_xlsx(tmp_path / "old.xlsx", sheets))
    assert any(f"bảng mã {encoding}" in line for line in lines(info.value))
    assert Person.objects.count() == 0


def test_dry_run_checks_and_writes_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", basic_sheets())
    report = roster_import(actor=None, path=path, dry_run=True)
    assert report.counts["people"]["created"] == 2
    assert Organization.objects.count() == 0


def test_the_command_exits_2_with_one_line_per_problem(db, tmp_path, capsys):
    sheets = basic_sheets()
    sheets["Cá nhân"][1][0] = "12345"
    sheets["Cá nhân"][2][3] = "32/13/1975"
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(CommandError) as info:
        call_command("import_roster", str(path))
    assert info.value.returncode == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in err if line.startswith("Trang “Cá nhân”")]) >= 2
    assert Person.objects.count() == 0


def test_the_command_prints_what_it_created(db, tmp_path, capsys):
    path = write_xlsx(tmp_path / "ds.xlsx", basic_sheets())
    call_command("import_roster", str(path))
    out = capsys.readouterr().out
    assert "Cá nhân: tạo mới 2, cập nhật 0, không đổi 0." in out


def test_problems_are_translated_for_an_english_session(db, tmp_path):
    from django.utils import translation

    sheets = basic_sheets()
    sheets["Cá nhân"][1][0] = ""
    with translation.override("en"):
        with pytest.raises(RosterInvalid) as info:
            roster_import(actor=None, path=write_xlsx(tmp_path / "en.xlsx", sheets))
        found = lines(info.value)
        # The file is in Vietnamese whatever the page's language: the organizations' kinds are
        # read; only the person without a number (and the rows that refer to her) are wrong.
        assert found[0] == "Sheet “Cá nhân”, row 2, column “Số CCCD”: must not be empty."
        assert all("Tổ chức" not in line for line in found)


def test_a_long_file_with_one_bad_cccd_near_its_end_writes_nothing_and_names_that_row(db, tmp_path):
    from tests.conftest import make_identity_number

    sheets = basic_sheets()
    people = sheets["Cá nhân"]
    positions = sheets["Chức vụ"]
    born = dt.date(1980, 1, 1)
    for i in range(2000):
        number = make_identity_number("male", born)
        people.append([number, f"Người Thứ Số Mười {chr(65 + i % 26)}", "Nam", "01/01/1980"])
        positions.append([number, "PCC", "Chuyên viên", "", "", "01/01/2020", ""])
    people[-5][0] = "0010800000AB"
    with pytest.raises(RosterInvalid) as info:
        roster_import(actor=None, path=write_xlsx(tmp_path / "dai.xlsx", sheets))
    first = lines(info.value)[0]
    assert first.startswith(f"Trang “Cá nhân”, dòng {len(people) - 4}, cột “Số CCCD”")
    assert Person.objects.count() == 0 and Organization.objects.count() == 0
