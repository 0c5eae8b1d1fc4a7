"""The quantification checker: messages, clauses, the score and its thresholds."""

from __future__ import annotations

import time
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiemdiem.quantify import (
    GOOD_THRESHOLD,
    PARTIAL_THRESHOLD,
    QuantificationLevel,
    check_sections,
    check_text,
)

QUANTIFIED = (
    "Tham mưu ban hành 15 văn bản chỉ đạo.",
    "Tiếp nhận 120 hồ sơ, giải quyết đúng hạn 100% hồ sơ.",
    "Tổ chức 3 lớp tập huấn cho 2.500 lượt người.",
    "Ban hành Kế hoạch số 45/KH-UBND ngày 02/4/2025.",
    "Xếp thứ 3/21 xã về chỉ số cải cách hành chính.",
    "Hoàn thành Báo cáo tổng kết trước ngày 30/6/2025.",
)
VAGUE = (
    "Hoàn thành tốt các nhiệm vụ được giao.",
    "Luôn chấp hành tốt chủ trương của Đảng.",
    "Tích cực tham gia các hoạt động của cơ quan.",
    "Chất lượng công việc ngày càng được nâng lên.",
)
NEUTRAL = (
    "Bản thân sinh hoạt tại chi bộ Phòng Công chức.",
    "Được phân công phụ trách lĩnh vực tổ chức bộ máy.",
)


def test_empty_text_scores_zero_and_is_not_quantified() -> None:
    report = check_text("")
    assert (report.score, report.level, report.findings, report.sentences) == (
        0,
        QuantificationLevel.NONE,
        (),
        (),
    )
    assert report.level_label == "Chưa lượng hóa"
    assert report.meets(0)
    assert not report.meets(1)


def test_an_unsupported_vague_phrase_says_what_to_add() -> None:
    (finding,) = check_text("Năm 2025, tôi hoàn thành tốt các nhiệm vụ được giao.").findings
    assert finding.kind == "vague"
    assert not finding.supported
    assert finding.message_vi == (
        "Cụm từ “hoàn thành tốt các nhiệm vụ được giao” chưa có sản phẩm cụ thể đi kèm: nêu "
        "số lượng, văn bản, tỷ lệ hoặc thời hạn cụ thể."
    )


def test_a_vague_phrase_next_to_a_product_in_the_same_clause_is_supported() -> None:
    report = check_text("Hoàn thành tốt nhiệm vụ, tham mưu ban hành 24 văn bản.")
    vague = next(f for f in report.findings if f.kind == "vague")
    assert vague.supported
    assert vague.message_vi == (
        "Cụm từ “Hoàn thành tốt nhiệm vụ” đã có sản phẩm cụ thể đi kèm trong cùng câu."
    )
    assert report.score == 100


def test_a_product_in_another_clause_does_not_support_a_vague_phrase() -> None:
    report = check_text("Hoàn thành tốt nhiệm vụ; tham mưu ban hành 24 văn bản.")
    assert [s.unsupported_vague_count for s in report.sentences] == [1, 0]
    assert report.unsupported_vague[0].text == "Hoàn thành tốt nhiệm vụ"


def test_messages_name_each_kind_of_product() -> None:
    report = check_text(
        "Tham mưu Quyết định số 123/QĐ-UBND ngày 15/3/2025, tiếp nhận 120 hồ sơ, đạt 98,5%, "
        "xếp thứ 3/21, trước 30/6, tổ chức Hội nghị sơ kết."
    )
    assert [f.message_vi for f in report.findings] == [
        "Văn bản cụ thể: Quyết định số 123/QĐ-UBND ngày 15/03/2025",
        "Số lượng cụ thể: 120 hồ sơ",
        "Tỷ lệ cụ thể: 98,5%",
        "Thứ hạng cụ thể: xếp thứ 3/21",
        "Thời hạn, thời điểm cụ thể: trước 30/6",
        "Sản phẩm được nêu tên: tổ chức Hội nghị sơ kết",
    ]


def test_vietnamese_number_formats_give_exact_values() -> None:
    report = check_text("Hỗ trợ 2.500 lượt người, giải ngân 1,5 tỷ đồng, đạt 98,5 % kế hoạch.")
    assert [(f.kind, f.value) for f in report.findings] == [
        ("quantity", Decimal("2500")),
        ("quantity", Decimal("1.5")),
        ("percentage", Decimal("98.5")),
    ]


def test_a_document_finding_carries_the_parsed_reference() -> None:
    (finding,) = check_text("Thực hiện Nghị định 30/2020.").findings
    assert finding.document is not None
    assert finding.document.symbol == "30/2020/NĐ-CP"


def test_vague_words_inside_a_document_title_are_not_boilerplate() -> None:
    report = check_text(
        "Ban hành Quyết định số 12/QĐ-UBND về việc nâng cao chất lượng công tác tiếp dân."
    )
    assert [f.kind for f in report.findings] == ["document"]


def test_headings_list_markers_and_short_fragments_are_not_scored() -> None:
    report = check_text(
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ\n1. Về chuyên môn:\n- Tham mưu ban hành 15 văn bản.\nXong."
    )
    assert [(s.text, s.scored) for s in report.sentences] == [
        ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ", False),
        ("Về chuyên môn:", False),
        ("Tham mưu ban hành 15 văn bản.", True),
        ("Xong.", False),
    ]
    assert report.score == 100


def test_the_proposed_level_line_is_neither_vague_nor_scored() -> None:
    report = check_text(
        "Tham mưu ban hành 15 văn bản.\nTự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ."
    )
    assert [f.kind for f in report.findings] == ["quantity"]
    assert [s.scored for s in report.sentences] == [True, False]
    assert report.score == 100


def test_abbreviations_and_thousand_separators_do_not_end_a_clause() -> None:
    report = check_text("Công tác tại TP. Hồ Chí Minh, tiếp nhận 1.245 hồ sơ.")
    assert len(report.sentences) == 1


def test_the_score_counts_each_unsupported_vague_clause_twice() -> None:
    # N = 4 scored clauses, Q = 2 quantified, V = 1 vague: 100 × 2 / (4 + 1) = 40.
    report = check_text(" ".join([QUANTIFIED[0], QUANTIFIED[1], VAGUE[0], NEUTRAL[0]]))
    assert (report.scored_count, report.quantified_count, report.vague_count) == (4, 2, 1)
    assert report.score == 40
    assert report.level is QuantificationLevel.PARTIAL
    assert report.level_label == "Lượng hóa một phần"


def test_the_score_rounds_half_up() -> None:
    # Q = 1, N = 5, V = 3: 100 / 8 = 12.5 → 13.
    report = check_text(" ".join([QUANTIFIED[0], *VAGUE[:3], NEUTRAL[0]]))
    assert report.score == 13


def test_all_quantified_text_scores_one_hundred() -> None:
    report = check_text(" ".join(QUANTIFIED))
    assert report.score == 100
    assert report.level_label == "Lượng hóa tốt"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, QuantificationLevel.NONE),
        (PARTIAL_THRESHOLD - 1, QuantificationLevel.NONE),
        (PARTIAL_THRESHOLD, QuantificationLevel.PARTIAL),
        (GOOD_THRESHOLD - 1, QuantificationLevel.PARTIAL),
        (GOOD_THRESHOLD, QuantificationLevel.GOOD),
        (100, QuantificationLevel.GOOD),
    ],
)
def test_levels_follow_the_documented_thresholds(score: int, level: QuantificationLevel) -> None:
    assert QuantificationLevel.for_score(score) is level


def test_meets_compares_the_score_with_a_minimum() -> None:
    report = check_text(" ".join([QUANTIFIED[0], VAGUE[0]]))  # 100 × 1 / 3 = 33
    assert report.score == 33
    assert report.meets(33)
    assert not report.meets(34)


def test_sections_pool_their_counts_like_one_text() -> None:
    sections = {
        "Chính trị tư tưởng": " ".join([VAGUE[1], NEUTRAL[0]]),
        "Kết quả thực hiện nhiệm vụ": " ".join([*QUANTIFIED[:4], VAGUE[0]]),
        "Trống": "",
    }
    overall = check_sections(sections)
    assert list(overall.sections) == list(sections)
    assert overall.sections["Chính trị tư tưởng"].score == 0
    assert overall.sections["Kết quả thực hiện nhiệm vụ"].score == 67
    # Q = 4, N = 7, V = 2: 100 × 4 / 9 = 44.
    assert overall.score == 44
    assert overall.score == check_text("\n".join(sections.values())).score
    assert overall.level_label == "Lượng hóa một phần"
    assert overall.meets(44) and not overall.meets(45)


def test_no_sections_score_zero() -> None:
    assert check_sections({}).score == 0


def test_decomposed_input_gives_the_same_findings_with_spans_in_the_original() -> None:
    text = " ".join([QUANTIFIED[3], VAGUE[0], "Đạt 98,5% kế hoạch."])
    decomposed = unicodedata.normalize("NFD", text)
    nfc_report = check_text(text)
    nfd_report = check_text(decomposed)
    assert [(f.kind, f.text) for f in nfd_report.findings] == [
        (f.kind, f.text) for f in nfc_report.findings
    ]
    assert nfd_report.score == nfc_report.score
    for finding in nfd_report.findings:
        start, end = finding.span
        assert unicodedata.normalize("NFC", decomposed[start:end]) == finding.text


def test_matching_ignores_case_and_marks_but_reports_the_original_words() -> None:
    (finding,) = check_text("HOÀN THÀNH TỐT CÁC NHIỆM VỤ ĐƯỢC GIAO trong năm qua.").findings
    assert finding.text == "HOÀN THÀNH TỐT CÁC NHIỆM VỤ ĐƯỢC GIAO"


def test_a_five_thousand_word_review_is_checked_quickly() -> None:
    # The budget is 50 ms (bench/bench_quantify.py); 0.5 s keeps slow CI machines green.
    sentences = [*QUANTIFIED, *VAGUE, *NEUTRAL]
    words = 0
    parts: list[str] = []
    while words < 5000:
        sentence = sentences[len(parts) % len(sentences)]
        parts.append(sentence)
        words += len(sentence.split())
    review = " ".join(parts)
    check_text(review)  # compile and warm caches outside the measurement
    started = time.perf_counter()
    report = check_text(review)
    elapsed = time.perf_counter() - started
    assert report.scored_count > 400
    assert elapsed < 0.5


# --- properties --------------------------------------------------------------------------

_sentences = st.lists(st.sampled_from([*QUANTIFIED, *VAGUE, *NEUTRAL]), max_size=12)


@settings(max_examples=60, deadline=None)
@given(_sentences)
def test_the_score_is_always_between_zero_and_one_hundred(sentences: list[str]) -> None:
    report = check_text(" ".join(sentences))
    assert 0 <= report.score <= 100
    assert report.level is QuantificationLevel.for_score(report.score)


@settings(max_examples=60, deadline=None)
@given(_sentences, st.sampled_from(QUANTIFIED))
def test_adding_a_quantified_sentence_never_lowers_the_score(
    sentences: list[str], extra: str
) -> None:
    before = check_text(" ".join(sentences)).score
    after = check_text(" ".join([*sentences, extra])).score
    assert after >= before


@settings(max_examples=60, deadline=None)
@given(_sentences, st.sampled_from(VAGUE))
def test_adding_a_vague_sentence_never_raises_the_score(sentences: list[str], extra: str) -> None:
    before = check_text(" ".join(sentences)).score
    after = check_text(" ".join([*sentences, extra])).score
    assert after <= before


@settings(max_examples=60, deadline=None)
@given(_sentences)
def test_sentence_order_does_not_change_the_score(sentences: list[str]) -> None:
    assert check_text(" ".join(sentences)).score == check_text(" ".join(sentences[::-1])).score


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_checked_without_error_and_spans_stay_inside_it(text: str) -> None:
    report = check_text(text)
    for finding in report.findings:
        start, end = finding.span
        assert 0 <= start < end <= len(text)
    assert report == check_text(text)
