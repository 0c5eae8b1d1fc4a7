import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from kiemdiem.orgs.models import Organization, Person
from kiemdiem.roster.export import roster_rows
from kiemdiem.roster.services import roster_import
from tests.roster.helpers import basic_sheets


def sheet_values(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_content(
    cast, tmp_path, django_db_blocker
):
    first = tmp_path / "first.xlsx"
    call_command("export_roster", "-o", str(first))
    before = roster_rows(None)
    assert len(before["people"]) == Person.objects.count() == 3
    # Empty the database, then bring everything back from the file.
    from kiemdiem.accounts.models import RoleAssignment
    from kiemdiem.core.audit import allow_history_replacement
    from kiemdiem.core.models import AuditEvent

    RoleAssignment.objects.all().delete()
    Person.objects.all().delete()
    for org in Organization.objects.order_by("-depth"):
        org.delete()
    allow_history_replacement()  # on PostgreSQL the audit trail refuses DELETE otherwise
    AuditEvent.objects.all().delete()
    assert Organization.objects.count() == 0
    call_command("import_roster", str(first))
    second = tmp_path / "second.xlsx"
    call_command("export_roster", "-o", str(second))
    assert roster_rows(None) == before
    assert sheet_values(first) == sheet_values(second)


def test_the_export_has_a_vietnamese_instructions_sheet_and_the_template_layout(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    call_command("export_roster", "-o", str(path), "--template")
    values = sheet_values(path)
    assert list(values) == ["Hướng dẫn", "Tổ chức", "Cá nhân", "Chức vụ", "Đảng viên"]
    assert values["Cá nhân"][0][:4] == ["Số CCCD", "Họ và tên", "Giới tính", "Ngày sinh"]
    assert any("dd/mm/yyyy" in str(row[0]) for row in values["Hướng dẫn"] if row)


def test_export_of_a_subtree_holds_only_its_units_and_people(cast, tmp_path):
    rows = roster_rows(cast.division)
    assert [r[0] for r in rows["organizations"]] == ["PCC"]
    assert {r[0] for r in rows["people"]} == {
        cast.staff_person.identity_number,
        cast.head_person.identity_number,
    }
    path = tmp_path / "pcc.xlsx"
    call_command("export_roster", "-o", str(path), "--organization", str(cast.division.pk))
    assert path.stat().st_size > 0


# CI installs LibreOffice (.ci/run), so there the test runs and never skips.
@pytest.mark.skipif(
    not shutil.which("soffice") and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed",
)
def test_a_file_converted_by_libreoffice_imports_with_its_nasty_cells(db, tmp_path):
    """LibreOffice turns the CSV's dd/mm/yyyy texts into date cells (or keeps them as text,
    depending on the locale) and CCCD numbers into numbers: either way the import reads them."""
    people = basic_sheets()["Cá nhân"]
    people[1][1] = "Nguye\u0302\u0303n  Thị\u00a0Ánh"
    csv_path = tmp_path / "ca_nhan.csv"
    csv_path.write_text("\n".join(",".join(map(str, r)) for r in people), encoding="utf-8")
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(csv_path),
        ],
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    xlsx = tmp_path / "ca_nhan.xlsx"
    assert result.returncode == 0 and xlsx.exists(), result.stderr
    report = roster_import(actor=None, path=xlsx)
    assert report.counts["people"]["created"] == 2
    # LibreOffice made the CCCD a number (leading zeros lost) and the text date a date cell.
    anh = Person.objects.get(identity_number="001185000001")
    assert anh.full_name == "Nguyễn Thị Ánh"
    assert anh.date_of_birth.isoformat() == "1985-05-17"
