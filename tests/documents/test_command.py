"""`kiemdiem documents`: the subtree's forms as one ZIP; exit codes 0/2/1 (decisions.md §5)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kiemdiem.documents import pdf
from tests.documents.support import (
    docx_text,
    requires_poppler,
    requires_soffice,
    with_reviews,
    zip_names,
)
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("documents", *args, stdout=out)
    return out.getvalue()


def test_docx_export_of_a_subtree_holds_every_form(cast, tmp_path):
    setup = with_reviews(cast)
    target = tmp_path / "out.zip"
    printed = run(
        f"--cycle={setup.cycle.pk}",
        f"--organization={cast.department.pk}",
        "--format=docx",
        f"-o{target}",
    )
    names = zip_names(target.read_bytes())
    assert "PCC/S-ANH-nd335-phieu.docx" in names
    assert "PCC/S-DUC-nd335-phieu.docx" in names
    assert "PCC/O-PCC-hd43-mau01.docx" in names
    assert {"PCC/thong-bao-ket-qua.docx", "PCC/bien-ban-hop.docx", "PCC/hd43-mau04.docx"} <= set(
        names
    )
    assert not any(n.startswith("CB-PCC/") for n in names)  # the cell is not under the department
    assert "3 phiếu đánh giá" in printed
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None


def test_unknown_cycle_and_organization_are_named_with_exit_code_2(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        run("--cycle=999", "--organization=abc", "--format=odt", f"-o{tmp_path / 'x.txt'}")
    assert caught.value.returncode == 2
    lines = str(caught.value).splitlines()
    assert lines == [
        "--cycle: không có đợt kiểm điểm số 999.",
        "--organization: “abc” không phải là số của một tổ chức, đơn vị.",
        "--format: “odt” không hợp lệ; chọn docx hoặc pdf.",
        f"-o: “{tmp_path / 'x.txt'}” phải là một tệp .zip.",
    ]
    assert not (tmp_path / "x.txt").exists()


def test_digits_other_than_0_to_9_are_bad_input_not_a_crash(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        run("--cycle=²", "--organization=１", "--format=docx", f"-o{tmp_path / 'x.zip'}")
    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        "--cycle: “²” không phải là số của một đợt kiểm điểm.",
        "--organization: “１” không phải là số của một tổ chức, đơn vị.",
    ]


def test_a_subtree_without_evaluations_is_bad_input(cast, tmp_path):
    setup = with_reviews(cast)
    with pytest.raises(CommandError) as caught:
        run(
            f"--cycle={setup.cycle.pk}",
            f"--organization={cast.sibling.pk}",
            "--format=docx",
            f"-o{tmp_path / 'x.zip'}",
        )
    assert caught.value.returncode == 2
    assert "không có phiếu đánh giá nào thuộc “Phòng Tổ chức biên chế”" in str(caught.value)


def test_a_conversion_failure_exits_1_and_leaves_no_zip(cast, tmp_path, monkeypatch, settings):
    settings.DOCUMENT_PDF_ENGINE = "libreoffice"
    setup = with_reviews(cast)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(CommandError) as caught:
        run(
            f"--cycle={setup.cycle.pk}",
            f"--organization={cast.division.pk}",
            "--format=pdf",
            f"-o{tmp_path / 'x.zip'}",
        )
    assert caught.value.returncode == 1
    assert "Không tìm thấy LibreOffice" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_pdf_export_converts_every_file(cast, tmp_path):
    setup = with_reviews(cast)
    target = tmp_path / "out.zip"
    run(
        f"--cycle={setup.cycle.pk}",
        f"--organization={cast.division.pk}",
        "--format=pdf",
        f"-o{target}",
    )
    names = zip_names(target.read_bytes())
    assert len(names) == 6 and all(n.endswith(".pdf") for n in names)
    with zipfile.ZipFile(target) as archive:
        assert archive.read("PCC/S-ANH-nd335-phieu.pdf").startswith(b"%PDF")


@requires_soffice
@requires_poppler
def test_a_form_whose_docx_template_a_province_edited_goes_through_libreoffice(
    cast, tmp_path, settings
):
    from kiemdiem.documents.blueprint import FORMS

    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "nd335-phieu.docx").write_bytes((FORMS / "nd335-phieu.docx").read_bytes())
    settings.DOCUMENT_TEMPLATES_DIR = str(custom)
    setup = with_reviews(cast)
    target = tmp_path / "out.zip"
    run(
        f"--cycle={setup.cycle.pk}",
        f"--organization={cast.division.pk}",
        "--format=pdf",
        f"-o{target}",
    )
    with zipfile.ZipFile(target) as archive:
        edited = archive.read("PCC/S-ANH-nd335-phieu.pdf")
        built_in = archive.read("PCC/O-PCC-hd43-mau01.pdf")
    assert "LibreOffice" in producer(edited, tmp_path)
    assert "Typst" in producer(built_in, tmp_path)


def producer(pdf: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)  # noqa: S603, S607
    lines = info.stdout.decode().splitlines()
    return " ".join(line for line in lines if line.startswith(("Producer:", "Creator:")))


def test_the_export_reads_a_bounded_number_of_queries_whatever_its_size(cast, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kiemdiem.documents.exports import export_documents
    from kiemdiem.reviews.models import Evaluation
    from tests.conftest import make_person
    from tests.reviews.selfreview.support import add_task

    setup = with_reviews(cast)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_documents(
                cycle=setup.cycle, organization=cast.department, fmt="docx", out=tmp_path / "q.zip"
            )
        return len(captured)

    small = queries()
    for n, given in enumerate(["An", "Bình", "Chi", "Dũng", "Hà", "Khoa", "Lan", "Minh"]):
        person = make_person(f"Phạm Văn {given}")
        add_task(person, cast.division)
        Evaluation.objects.create(
            cycle=setup.cycle,
            code=f"S-X{n}",
            subject="individual",
            role="staff",
            track="state",
            person=person,
            organization=cast.division,
            template=setup.state.template,
        )
    assert queries() == small


def test_the_minutes_are_filled_from_the_recorded_review_meeting(cast, tmp_path):
    import datetime as dt

    from docx import Document

    from kiemdiem.reviews.meetings.models import Attendance, Meeting, MeetingEntry

    setup = with_reviews(cast)
    org = setup.state.organization
    meeting = Meeting.objects.create(
        cycle=setup.cycle,
        organization=org,
        held_on=dt.date(2026, 12, 10),
        place="Phòng họp <script>alert(1)</script>",
        chair="Trần Văn Đức",
        secretary="Lê Thị Thu",
        expected=3,
        present=2,
    )
    Attendance.objects.create(meeting=meeting, name="Trần Văn Đức")
    Attendance.objects.create(meeting=meeting, name="Lê Thị Thu")
    Attendance.objects.create(
        meeting=meeting, name="Phạm Văn Cường", present=False, absence_reason="đi công tác"
    )
    MeetingEntry.objects.create(
        meeting=meeting, evaluation=setup.state, comments="Nháp cũ", level="HTNV"
    )
    MeetingEntry.objects.create(
        meeting=meeting,
        evaluation=setup.state,
        comments='Cần chủ động hơn =HYPERLINK("http://x","y")',
        votes_good=2,
        level="HTTNV",
        low_confidence_votes=0,
    )
    target = tmp_path / "out.zip"
    run(f"--cycle={setup.cycle.pk}", f"--organization={org.pk}", "--format=docx", f"-o{target}")
    with zipfile.ZipFile(target) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/bien-ban-hop.docx"))
        doc = Document(io.BytesIO(archive.read(name)))
    lines = [p.text for p in doc.paragraphs]
    lines += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    text = "\n".join(lines)
    assert "Thời gian: ngày 10/12/2026. Địa điểm: Phòng họp <script>alert(1)</script>." in text
    assert "Chủ trì: Trần Văn Đức. Thư ký: Lê Thị Thu." in text
    assert "Có mặt 2/3; vắng: Phạm Văn Cường (đi công tác)." in text
    assert "Hội nghị có đủ số lượng theo quy định" in text
    assert 'Cần chủ động hơn =HYPERLINK("http://x","y")' in text  # the latest entry, literal
    assert "Nháp cũ" not in text
    assert "Hoàn thành tốt nhiệm vụ: 2" in text
    assert "Đề xuất: Hoàn thành tốt nhiệm vụ" in text
    assert "Phiếu tín nhiệm thấp: 0" in text


def test_minutes_without_a_meeting_leave_the_attendance_blank_and_say_nothing_of_quorum(
    cast, tmp_path
):
    setup = with_reviews(cast)
    org = setup.state.organization
    target = tmp_path / "out.zip"
    run(f"--cycle={setup.cycle.pk}", f"--organization={org.pk}", "--format=docx", f"-o{target}")
    from docx import Document

    with zipfile.ZipFile(target) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/bien-ban-hop.docx"))
        doc = Document(io.BytesIO(archive.read(name)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Thời gian: ngày …/…/……" in text
    assert "số lượng theo quy định" not in text


@pytest.mark.parametrize("workers", [1, 2])
def test_typst_threads_give_every_pdf_in_order_and_a_failure_leaves_no_zip(
    cast, tmp_path, monkeypatch, settings, workers
):
    from kiemdiem.documents import exports

    settings.DOCUMENT_WORKERS = workers
    setup = with_reviews(cast)
    target = tmp_path / "out.zip"
    args = (f"--cycle={setup.cycle.pk}", f"--organization={cast.division.pk}", "--format=pdf")
    run(*args, f"-o{target}")
    names = zip_names(target.read_bytes())
    run(*args[:2], "--format=docx", f"-o{tmp_path / 'd.zip'}")
    docx = zip_names((tmp_path / "d.zip").read_bytes())
    assert names == [n.removesuffix(".docx") + ".pdf" for n in docx]
    with zipfile.ZipFile(target) as archive:
        assert all(archive.read(n).startswith(b"%PDF") for n in names)
    calls = []

    def failing(document):
        calls.append(document.form)
        if len(calls) == 2:
            raise pdf.ConversionError("Không lập được PDF: hỏng")
        return b"%PDF-1.7"

    monkeypatch.setattr(exports, "typst_pdf", failing)
    with pytest.raises(CommandError) as caught:
        run(*args, f"-o{tmp_path / 'y.zip'}")
    assert caught.value.returncode == 1
    assert "Không lập được PDF: hỏng" in str(caught.value)
    assert not (tmp_path / "y.zip").exists()


def test_a_users_export_leaves_out_the_comments_they_may_not_read_before_publication(
    cast, tmp_path
):
    """Before publication a meeting's comments and tallies are read by the meeting, the deciders
    and the inspection committee only (meetings.access): the personnel body's export of the
    same unit prints the minutes without them; a competent level's export holds them."""
    import datetime as dt

    from kiemdiem.accounts.models import Role
    from kiemdiem.documents.exports import export_documents
    from kiemdiem.reviews.meetings.models import Meeting, MeetingEntry
    from tests.conftest import make_user

    setup = with_reviews(cast)
    org = setup.state.organization
    meeting = Meeting.objects.create(
        cycle=setup.cycle, organization=org, held_on=dt.date(2026, 12, 10), expected=2, present=2
    )
    MeetingEntry.objects.create(
        meeting=meeting, evaluation=setup.state, comments="Góp ý kín trước công bố", votes_good=2
    )
    competent = make_user("thamquyen-doc", role=Role.COMPETENT, org=cast.department)

    def minutes_for(viewer, name):
        target = tmp_path / name
        export_documents(cycle=setup.cycle, organization=org, fmt="docx", out=target, viewer=viewer)
        with zipfile.ZipFile(target) as archive:
            entry = next(n for n in archive.namelist() if n.endswith("/bien-ban-hop.docx"))
            return docx_text(archive.read(entry))

    assert "Góp ý kín trước công bố" not in minutes_for(cast.approver, "personnel.zip")
    assert "Góp ý kín trước công bố" in minutes_for(competent, "competent.zip")
    assert "Góp ý kín trước công bố" in minutes_for(None, "operator.zip")  # the command
    setup.state.published_at = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
    setup.state.save(update_fields=["published_at"])
    assert "Góp ý kín trước công bố" in minutes_for(cast.approver, "published.zip")
