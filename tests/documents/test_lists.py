"""The list documents: results notice with its annex, meeting minutes from a context
dataclass, Mẫu 03, Mẫu 04, Mẫu 05."""

from __future__ import annotations

import datetime as dt

from kiemdiem.documents import adapters, builders, listing
from kiemdiem.documents.context import Heading, ResultLine, Signature
from kiemdiem.documents.render import render_docx
from kiemdiem.reviews.models import Evaluation
from tests.documents.support import docx_text, with_reviews
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers
HEADING = Heading(party=False, issuer_parent="UBND tỉnh", issuer="Sở Nội vụ", place="Sông Hậu")


def test_notice_counts_levels_and_lists_the_annex_by_level():
    rated = [
        builders.Rated("Lê Văn B", "Chuyên viên", "HTTNV"),
        builders.Rated("Nguyễn Thị A", "Trưởng phòng", "HTXSNV"),
        builders.Rated("Phòng Công chức", "Tập thể", "HTTNV"),
    ]
    doc = builders.results_notice(
        heading=HEADING, cycle_name="Năm 2026", year=2026, rated=rated, signer=Signature("GIÁM ĐỐC")
    )
    text = docx_text(render_docx(doc))
    assert "- Hoàn thành xuất sắc nhiệm vụ: 1 (33,33%)" in text
    assert "- Hoàn thành tốt nhiệm vụ: 2 (66,67%)" in text
    assert text.index("Nguyễn Thị A") < text.index("Lê Văn B")  # HTXSNV rows first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "SỞ NỘI VỤ" in text


def test_minutes_show_attendance_comments_and_tallies():
    minutes = builders.Minutes(
        heading=Heading(party=True, issuer_parent="Đảng bộ Sở", issuer="Chi bộ 1", place="X"),
        held_on=dt.date(2026, 12, 10),
        place="Phòng họp số 2",
        chair="Trần Văn Đức",
        secretary="Lê Thị Thu",
        present=9,
        expected=10,
        absent=["Phạm Văn C (ốm)"],
        items=[
            builders.MinutesItem(
                name="Nguyễn Thị Ánh",
                self_level="HTTNV",
                comments="Cần <b>chủ động</b> hơn {{ x }}",
                tallies={"HTTNV": 8, "HTNV": 1},
                meeting_level="HTTNV",
            )
        ],
    )
    text = docx_text(render_docx(builders.meeting_minutes(minutes)))
    assert "Thời gian: ngày 10/12/2026. Địa điểm: Phòng họp số 2." in text
    assert "Có mặt 9/10; vắng: Phạm Văn C (ốm)." in text
    assert "Cần <b>chủ động</b> hơn {{ x }}" in text
    assert "Hoàn thành tốt nhiệm vụ: 8; Hoàn thành nhiệm vụ: 1" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHỦ TRÌ" in text and "THƯ KÝ" in text


def test_rerating_dossier_and_self_assessment_forms(cast):
    setup = with_reviews(cast)
    Evaluation.objects.filter(pk=setup.party.pk).update(decided_level="HTNV")
    rows = {
        e.code: e for e in adapters.load_evaluations(Evaluation.objects.filter(cycle=setup.cycle))
    }
    mau03 = docx_text(
        render_docx(listing.rerating_doc(rows["P-ANH"], previous_level="HTTNV", reason="Khiếu nại"))
    )
    assert "Mẫu 03-HD KĐ.ĐG" in mau03
    assert "Hủy bỏ kết quả xếp loại “Hoàn thành tốt nhiệm vụ”" in mau03
    assert "ở mức “Hoàn thành nhiệm vụ”" in mau03

    mau04 = docx_text(
        render_docx(listing.dossier_doc(setup.cycle, cast.division, ["a.docx", "b.docx"]))
    )
    assert "Mẫu 04-HD KĐ.ĐG" in mau04 and "a.docx" in mau04 and "b.docx" in mau04

    ledger = adapters.ledger_for(list(rows.values()))
    tasks = ledger[(cast.staff_person.pk, 2026)]
    mau05 = docx_text(render_docx(listing.self_assessment_doc(rows["S-ANH"], tasks)))
    assert "Mẫu 05-HD KĐ.ĐG" in mau05
    assert "Kết quả thực hiện nhiệm vụ năm 2026" in mau05
    assert "- Báo cáo số 45/BC-SNV: Kết quả thẩm định hồ sơ quý II" in mau05


def test_result_lines_without_results_say_so():
    doc = builders.self_assessment(
        heading=HEADING,
        name="A",
        detail="B",
        period="quý 1 năm 2026",
        results=[ResultLine("Việc X", "1 bản", "Chưa có kết quả", None, None, "")],
        level="",
        signer=Signature("NGƯỜI TỰ ĐÁNH GIÁ"),
    )
    text = docx_text(render_docx(doc))
    assert "Việc X (chỉ tiêu: 1 bản)" in text and "Chưa có kết quả" in text


def test_minutes_not_yet_recorded_leave_attendance_blank_to_fill_by_hand():
    minutes = builders.Minutes(
        heading=HEADING, held_on=None, place="", chair="", secretary="", present=None, expected=3
    )
    text = docx_text(render_docx(builders.meeting_minutes(minutes)))
    assert "Có mặt …/3; vắng: …………." in text
    assert "Thời gian: ngày …/…/……." in text
