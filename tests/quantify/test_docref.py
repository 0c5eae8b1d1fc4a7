"""Document references as users paste them (Decree 30/2020 Appendix III; HD 36-HD/VPTW)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from kiemdiem.quantify import (
    DocumentReference,
    find_document_references,
    parse_document_reference,
    validate_symbol,
)
from kiemdiem.quantify.kinds import PARTY_KINDS, STATE_KINDS

TODAY = date(2025, 11, 25)


def _parse(text: str) -> DocumentReference:
    reference = parse_document_reference(text)
    assert reference is not None, text
    return reference


def test_a_state_decision_with_date_issuer_and_summary_is_parsed_whole() -> None:
    text = (
        "Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc phê duyệt kế hoạch "
        "cải cách hành chính năm 2025"
    )
    reference = _parse(text)
    assert reference == DocumentReference(
        kind_code="QĐ",
        kind_name="Quyết định",
        number=123,
        year=None,
        symbol="123/QĐ-UBND",
        issuer="UBND",
        system="state",
        issued_on=date(2025, 3, 15),
        summary="về việc phê duyệt kế hoạch cải cách hành chính năm 2025",
        span=(0, len(text)),
        issuer_name="UBND tỉnh",
        text=text,
    )
    assert reference.describe() == "Quyết định số 123/QĐ-UBND ngày 15/03/2025"


@pytest.mark.parametrize(
    ("text", "kind_code", "kind_name", "number", "symbol", "issuer"),
    [
        ("Kế hoạch 45/KH-UBND", "KH", "Kế hoạch", 45, "45/KH-UBND", "UBND"),
        ("Báo cáo số 56/BC-SNV", "BC", "Báo cáo", 56, "56/BC-SNV", "SNV"),
        ("Tờ trình 07/TTr-STC", "TTr", "Tờ trình", 7, "07/TTr-STC", "STC"),
        ("Chỉ thị số 05/CT-UBND", "CT", "Chỉ thị", 5, "05/CT-UBND", "UBND"),
        ("Quy chế số 02/QC-SNV", "QC", "Quy chế", 2, "02/QC-SNV", "SNV"),
        ("Quy định số 03/QyĐ-UBND", "QyĐ", "Quy định", 3, "03/QyĐ-UBND", "UBND"),
        ("Thông báo số 210/TB-UBND", "TB", "Thông báo", 210, "210/TB-UBND", "UBND"),
        ("Hướng dẫn số 11/HD-SNV", "HD", "Hướng dẫn", 11, "11/HD-SNV", "SNV"),
        ("Chương trình số 04/CTr-UBND", "CTr", "Chương trình", 4, "04/CTr-UBND", "UBND"),
        ("Phương án số 09/PA-UBND", "PA", "Phương án", 9, "09/PA-UBND", "UBND"),
        ("Đề án số 01/ĐA-UBND", "ĐA", "Đề án", 1, "01/ĐA-UBND", "UBND"),
        ("Dự án số 12/DA-SGTVT", "DA", "Dự án", 12, "12/DA-SGTVT", "SGTVT"),
        ("Biên bản số 03/BB-HĐTĐKT", "BB", "Biên bản", 3, "03/BB-HĐTĐKT", "HĐTĐKT"),
        ("Hợp đồng số 15/HĐ-UBND", "HĐ", "Hợp đồng", 15, "15/HĐ-UBND", "UBND"),
        ("Công điện số 02/CĐ-UBND", "CĐ", "Công điện", 2, "02/CĐ-UBND", "UBND"),
        ("Giấy mời số 88/GM-UBND", "GM", "Giấy mời", 88, "88/GM-UBND", "UBND"),
        ("Giấy ủy quyền số 01/GUQ-SNV", "GUQ", "Giấy ủy quyền", 1, "01/GUQ-SNV", "SNV"),
        ("Giấy giới thiệu 14/GGT-SNV", "GGT", "Giấy giới thiệu", 14, "14/GGT-SNV", "SNV"),
        ("Giấy nghỉ phép 06/GNP-SNV", "GNP", "Giấy nghỉ phép", 6, "06/GNP-SNV", "SNV"),
        ("Bản ghi nhớ 01/BGN-UBND", "BGN", "Bản ghi nhớ", 1, "01/BGN-UBND", "UBND"),
        ("Phiếu chuyển 31/PC-VP", "PC", "Phiếu chuyển", 31, "31/PC-VP", "VP"),
        ("Công văn số 1234/UBND-VP", "CV", "Công văn", 1234, "1234/UBND-VP", "UBND-VP"),
        ("Công văn 10/UBND", "CV", "Công văn", 10, "10/UBND", "UBND"),
    ],
)
def test_each_state_kind_is_recognised_by_its_abbreviation(
    text: str, kind_code: str, kind_name: str, number: int, symbol: str, issuer: str
) -> None:
    reference = _parse(text)
    assert (reference.kind_code, reference.kind_name, reference.number) == (
        kind_code,
        kind_name,
        number,
    )
    assert (reference.symbol, reference.issuer, reference.system) == (symbol, issuer, "state")


@pytest.mark.parametrize(
    ("text", "kind_code", "kind_name", "symbol", "issuer"),
    [
        ("Nghị quyết 12-NQ/TU", "NQ", "Nghị quyết", "12-NQ/TU", "TU"),
        ("Quy định 366-QĐ/TW", "QĐ", "Quy định", "366-QĐ/TW", "TW"),
        ("Quyết định số 3455-QĐ/TU", "QĐ", "Quyết định", "3455-QĐ/TU", "TU"),
        ("Hướng dẫn 43-HD/BTCTW", "HD", "Hướng dẫn", "43-HD/BTCTW", "BTCTW"),
        ("Thông báo số 89-TB/ĐU", "TB", "Thông báo", "89-TB/ĐU", "ĐU"),
        ("Kết luận 198-KL/TW", "KL", "Kết luận", "198-KL/TW", "TW"),
        ("Chỉ thị 05-CT/TW", "CT", "Chỉ thị", "05-CT/TW", "TW"),
        ("Công văn 10072-CV/BTCTW", "CV", "Công văn", "10072-CV/BTCTW", "BTCTW"),
        ("Báo cáo số 150-BC/CB", "BC", "Báo cáo", "150-BC/CB", "CB"),
        ("Thông tri 03-TT/TU", "TT", "Thông tri", "03-TT/TU", "TU"),
        ("Quy định 08-QĐi/TW", "QĐi", "Quy định", "08-QĐi/TW", "TW"),
    ],
)
def test_party_documents_use_a_hyphen_before_the_kind_and_a_slash_before_the_issuer(
    text: str, kind_code: str, kind_name: str, symbol: str, issuer: str
) -> None:
    reference = _parse(text)
    assert reference.system == "party"
    assert (reference.kind_code, reference.kind_name) == (kind_code, kind_name)
    assert (reference.symbol, reference.issuer) == (symbol, issuer)


def test_a_party_symbol_without_a_kind_name_before_it_takes_the_name_from_the_code() -> None:
    reference = _parse("366-QĐ/TW")
    assert (reference.kind_name, reference.system) == ("Quyết định", "party")


@pytest.mark.parametrize(
    ("text", "kind_code", "number", "year", "symbol", "issuer"),
    [
        ("Quyết định 212/2025/QĐ-UBND", "QĐ", 212, 2025, "212/2025/QĐ-UBND", "UBND"),
        ("335/2025/NĐ-CP", "NĐ", 335, 2025, "335/2025/NĐ-CP", "CP"),
        ("Thông tư 01/2011/TT-BNV", "TT", 1, 2011, "01/2011/TT-BNV", "BNV"),
        ("Quyết định 44 /2005/QĐ-UBND", "QĐ", 44, 2005, "44/2005/QĐ-UBND", "UBND"),
        ("Nghị định 30/2020", "NĐ", 30, 2020, "30/2020/NĐ-CP", "CP"),
        ("Quyết định 15/2019/QĐ-TTg", "QĐ", 15, 2019, "15/2019/QĐ-TTg", "TTg"),
    ],
)
def test_legal_documents_carry_the_year_in_their_number(
    text: str, kind_code: str, number: int, year: int, symbol: str, issuer: str
) -> None:
    reference = _parse(text)
    assert (reference.kind_code, reference.number, reference.year) == (kind_code, number, year)
    assert (reference.symbol, reference.issuer) == (symbol, issuer)


def test_a_joint_circular_keeps_both_issuers() -> None:
    reference = _parse("Thông tư liên tịch số 02/2015/TTLT-BNV-BTC")
    assert (reference.kind_name, reference.issuer) == ("Thông tư liên tịch", "BNV-BTC")


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch 45/KH-UBND ngày 02/04/2025",
        "Kế hoạch 45/KH-UBND ngày 2/4/2025",
        "Kế hoạch 45/KH-UBND ngày 02-04-2025",
        "Kế hoạch 45/KH-UBND 02-04-2025",
        "Kế hoạch 45/KH-UBND, ngày 02.04.2025",
        "Kế hoạch 45/KH-UBND ngày 2 tháng 4 năm 2025",
        "Kế hoạch 45/KH-UBND ban hành ngày 02/4/2025",
    ],
)
def test_the_issue_date_is_read_in_every_common_format(text: str) -> None:
    assert _parse(text).issued_on == date(2025, 4, 2)


def test_an_impossible_date_is_not_taken_as_the_issue_date() -> None:
    assert _parse("Kế hoạch 45/KH-UBND ngày 31/02/2025").issued_on is None


def test_the_issuer_name_and_the_summary_are_split_at_ve_viec() -> None:
    reference = _parse(
        "Nghị quyết 12-NQ/TU ngày 5 tháng 6 năm 2025 của Tỉnh ủy về tăng cường công tác cán bộ"
    )
    assert reference.issued_on == date(2025, 6, 5)
    assert reference.issuer_name == "Tỉnh ủy"
    assert reference.summary == "về tăng cường công tác cán bộ"


def test_a_vv_summary_is_kept_as_written() -> None:
    reference = _parse("Công văn số 1234/UBND-VP V/v góp ý dự thảo Đề án")
    assert reference.summary == "V/v góp ý dự thảo Đề án"


def test_decomposed_input_parses_like_precomposed_and_spans_index_the_original() -> None:
    text = "Đã ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2025."
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    nfc_reference = _parse(text)
    nfd_reference = _parse(decomposed)
    assert nfd_reference.symbol == nfc_reference.symbol == "123/QĐ-UBND"
    assert nfd_reference.issued_on == nfc_reference.issued_on
    start, end = nfd_reference.span
    assert unicodedata.normalize("NFC", decomposed[start:end]) == nfc_reference.text


@pytest.mark.parametrize(
    "variant",
    [
        "Thông báo số 89-TB/\u00d0U",  # Icelandic eth
        "Thông báo số 89-TB/\u0189U",  # African D
        "Thông báo số 89-TB/D\u0335U",  # D with a combining short stroke
        "Thông báo số 89-TB/D\u0336U",  # D with a combining long stroke
    ],
)
def test_look_alike_forms_of_the_letter_d_with_stroke_are_read_as_d_with_stroke(
    variant: str,
) -> None:
    reference = _parse(variant)
    assert (reference.symbol, reference.issuer) == ("89-TB/ĐU", "ĐU")
    assert reference.span == (0, len(variant))


def test_a_plain_d_in_an_unambiguous_kind_code_is_read_as_d_with_stroke() -> None:
    assert _parse("Quyết định số 123/QD-UBND").symbol == "123/QĐ-UBND"
    assert _parse("335/2025/ND-CP").kind_name == "Nghị định"


def test_kind_names_are_recognised_without_marks_or_in_capitals() -> None:
    assert _parse("QUYẾT ĐỊNH SỐ 123/QĐ-UBND").kind_name == "Quyết định"
    assert _parse("Ke hoach so 45/KH-UBND").kind_name == "Kế hoạch"


def test_text_without_a_document_gives_none() -> None:
    assert parse_document_reference("Hoàn thành tốt các nhiệm vụ được giao.") is None
    assert parse_document_reference("Xếp thứ 3/21 xã, tháng 6/2025") is None


def test_find_returns_every_reference_in_order_with_spans() -> None:
    text = (
        "Tham mưu ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2025 và Kế hoạch 45/KH-UBND, "
        "thực hiện Nghị định 30/2020; báo cáo theo 1234/UBND-VP và Quy định 366-QĐ/TW."
    )
    references = find_document_references(text)
    assert [r.symbol for r in references] == [
        "123/QĐ-UBND",
        "45/KH-UBND",
        "30/2020/NĐ-CP",
        "1234/UBND-VP",
        "366-QĐ/TW",
    ]
    assert [text[r.span[0] : r.span[1]] for r in references] == [r.text for r in references]


def test_find_ignores_fractions_rankings_and_dates() -> None:
    assert find_document_references("Đạt 15/20 chỉ tiêu, xếp thứ 3/21, tháng 6/2025.") == []


def test_find_needs_agency_and_unit_before_taking_a_bare_slash_as_a_cong_van() -> None:
    assert find_document_references("theo mẫu 12/UBND") == []
    assert [r.symbol for r in find_document_references("theo 12/UBND-VP")] == ["12/UBND-VP"]


def test_the_abbreviation_tables_follow_decree_30_and_party_guidance() -> None:
    decree_30 = {
        "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC",
        "BB", "TTr", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB",
    }  # fmt: skip
    assert decree_30 <= set(STATE_KINDS)
    assert {"NQ", "QĐ", "CT", "KL", "HD", "TB", "BC", "KH", "CV"} <= set(PARTY_KINDS)


# --- validate_symbol -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "symbol",
    [
        "123/QĐ-UBND",
        "212/2025/QĐ-UBND",
        "335/2025/NĐ-CP",
        "12-NQ/TU",
        "43-HD/BTCTW",
        "1234/UBND-VP",
        "Quyết định số 123/QĐ-UBND ngày 15/3/2025",
        "07/TTr-STC",
    ],
)
def test_well_formed_symbols_have_no_errors(symbol: str) -> None:
    assert validate_symbol(symbol, today=TODAY) == []


def test_an_empty_symbol_is_rejected() -> None:
    assert validate_symbol("   ") == ["Số ký hiệu không được để trống."]


def test_a_symbol_without_a_kind_is_rejected_with_both_fixes_suggested() -> None:
    assert validate_symbol("12/XYZ") == [
        "Số ký hiệu “12/XYZ” không đúng định dạng: thiếu chữ viết tắt tên loại văn bản "
        "(ví dụ 12/QĐ-XYZ); nếu là công văn, cần có cả đơn vị soạn thảo (ví dụ 12/XYZ-VP)."
    ]


def test_a_single_agency_is_accepted_when_the_form_says_cong_van() -> None:
    assert validate_symbol("12/UBND", kind_name="Công văn") == []


def test_a_number_alone_is_rejected() -> None:
    assert validate_symbol("123") == [
        "Số ký hiệu “123” không đúng định dạng: thiếu tên loại văn bản và cơ quan ban hành "
        "(ví dụ 123/QĐ-UBND hoặc 12-NQ/TU)."
    ]


def test_text_that_is_no_symbol_at_all_is_rejected() -> None:
    assert validate_symbol("QĐ-UBND") == [
        "Số ký hiệu “QĐ-UBND” không đúng định dạng: cần dạng “số/TÊN LOẠI-CƠ QUAN” (văn bản "
        "chính quyền, ví dụ 123/QĐ-UBND) hoặc “số-TÊN LOẠI/CƠ QUAN” (văn bản của Đảng, ví dụ "
        "12-NQ/TU)."
    ]


def test_number_zero_is_rejected() -> None:
    assert validate_symbol("0/QĐ-UBND") == ["Số văn bản phải lớn hơn 0 (đang là “0”)."]


def test_a_missing_issuer_is_reported_for_state_and_party_symbols() -> None:
    assert validate_symbol("123/QĐ") == [
        "Số ký hiệu “123/QĐ” không đúng định dạng: thiếu chữ viết tắt tên cơ quan ban hành "
        "(ví dụ 123/QĐ-UBND)."
    ]
    assert validate_symbol("12-NQ") == [
        "Số ký hiệu “12-NQ” không đúng định dạng: thiếu chữ viết tắt tên cơ quan ban hành "
        "(ví dụ 12-NQ/TU)."
    ]


def test_an_unknown_kind_is_reported_against_the_right_catalogue() -> None:
    assert validate_symbol("12-XX/TU") == [
        "Tên loại văn bản “XX” không có trong danh mục chữ viết tắt tên loại văn bản của "
        "Đảng (Hướng dẫn 36-HD/VPTW)."
    ]
    assert validate_symbol("123/XX-UBND") == [
        "Tên loại văn bản “XX” không có trong danh mục chữ viết tắt tên loại văn bản hành "
        "chính (Phụ lục III Nghị định 30/2020/NĐ-CP)."
    ]


def test_an_impossible_issue_date_is_explained() -> None:
    assert validate_symbol("123/QĐ-UBND ngày 31/02/2025") == [
        "Ngày ban hành “31/02/2025” không hợp lệ: tháng 2/2025 chỉ có 28 ngày."
    ]
    assert validate_symbol("123/QĐ-UBND ngày 12/13/2025") == [
        "Ngày ban hành “12/13/2025” không hợp lệ: không có tháng 13."
    ]


def test_a_leap_day_is_a_valid_issue_date() -> None:
    assert validate_symbol("123/QĐ-UBND ngày 29/02/2024") == []


def test_dates_and_years_after_today_are_rejected_only_when_today_is_given() -> None:
    assert validate_symbol("123/QĐ-UBND ngày 15/3/2026", today=TODAY) == [
        "Ngày ban hành 15/03/2026 sau ngày hiện tại (25/11/2025)."
    ]
    assert validate_symbol("212/2027/QĐ-UBND", today=TODAY) == [
        "Năm 2027 trong số ký hiệu “212/2027/QĐ-UBND” sau năm hiện tại (2025)."
    ]
    assert validate_symbol("123/QĐ-UBND ngày 15/3/2026") == []


def test_an_issue_date_passed_separately_is_checked_too() -> None:
    assert validate_symbol("123/QĐ-UBND", issued_on=date(2026, 1, 2), today=TODAY) == [
        "Ngày ban hành 02/01/2026 sau ngày hiện tại (25/11/2025)."
    ]


def test_the_year_in_the_number_must_match_the_issue_date() -> None:
    assert validate_symbol("212/2024/QĐ-UBND ngày 15/3/2025") == [
        "Năm trong số ký hiệu (2024) khác năm ban hành (2025)."
    ]


def test_the_kind_chosen_in_the_form_must_match_the_symbol() -> None:
    assert validate_symbol("45/KH-UBND", kind_name="Quyết định") == [
        "Tên loại “KH” trong số ký hiệu là “Kế hoạch”, không khớp với loại văn bản đã chọn "
        "“Quyết định”."
    ]
    assert validate_symbol("366-QĐ/TW", kind_name="Quy định") == []
    assert validate_symbol("1234/UBND-VP", kind_name="Tờ trình") == [
        "Số ký hiệu “1234/UBND-VP” là dạng công văn (cơ quan-đơn vị soạn thảo) nhưng loại văn "
        "bản đã chọn là “Tờ trình”."
    ]


def test_trailing_text_after_a_symbol_is_reported() -> None:
    assert validate_symbol("123/QĐ-UBND abc") == [
        "Số ký hiệu “123/QĐ-UBND” không đúng định dạng: có phần thừa “abc”."
    ]


def test_several_problems_are_all_reported() -> None:
    assert validate_symbol("0/2027/QĐ-UBND ngày 30/02/2027", today=TODAY) == [
        "Số văn bản phải lớn hơn 0 (đang là “0”).",
        "Năm 2027 trong số ký hiệu “0/2027/QĐ-UBND” sau năm hiện tại (2025).",
        "Ngày ban hành “30/02/2027” không hợp lệ: tháng 2/2027 chỉ có 28 ngày.",
    ]


def test_validation_reads_decomposed_input() -> None:
    assert validate_symbol(unicodedata.normalize("NFD", "123/QĐ-UBND ngày 15/3/2025")) == []
    assert validate_symbol(unicodedata.normalize("NFD", "12/XYZ"))[0].startswith(
        "Số ký hiệu “12/XYZ”"
    )
