from kiemdiem.integrity.describe import sentence


def test_a_shared_document_is_named_with_its_date_written_the_vietnamese_way():
    text = sentence("shared_document", {"document": "88/QĐ-TU 2026-05-28", "people": 4, "units": 1})
    assert text == "Văn bản 88/QĐ-TU ngày 28/05/2026 được 4 người ở 1 đơn vị kê khai."


def test_a_shared_document_without_a_date_keeps_its_symbol():
    text = sentence("shared_document", {"document": "12/BC-UBND", "people": 1234, "units": 3})
    assert text == "Văn bản 12/BC-UBND được 1.234 người ở 3 đơn vị kê khai."


def test_a_changed_target_is_written_the_vietnamese_way_thousands_and_decimals():
    n = {"task": 7, "before": "1200", "after": "1500.5", "at": "2026-03-02T08:00:00+07:00"}
    text = sentence("target_changed", n)
    assert text == "Chỉ tiêu nhiệm vụ #7 sửa từ 1.200 thành 1.500,5 ngày 02/03/2026, sau kết quả."


def test_a_target_that_is_not_a_number_is_shown_as_written():
    n = {"task": 7, "before": "một bộ hồ sơ", "after": "2", "at": "2026-03-02T08:00:00+07:00"}
    assert "sửa từ một bộ hồ sơ thành 2 ngày" in sentence("target_changed", n)


def test_a_low_evidence_score_has_a_decimal_comma():
    text = sentence("low_evidence", {"level": "HTXSNV", "score": "96.63"})
    assert "điểm kết quả 96,63" in text
