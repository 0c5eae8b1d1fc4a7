from kiemdiem.integrity.describe import sentence


def test_a_shared_document_is_named_with_its_date_written_the_vietnamese_way():
    text = sentence("shared_document", {"document": "88/QĐ-TU 2026-05-28", "people": 4, "units": 1})
    assert text == "Văn bản 88/QĐ-TU ngày 28/05/2026 được 4 người ở 1 đơn vị kê khai."


def test_a_shared_document_without_a_date_keeps_its_symbol():
    text = sentence("shared_document", {"document": "12/BC-UBND", "people": 1234, "units": 3})
    assert text == "Văn bản 12/BC-UBND được 1.234 người ở 3 đơn vị kê khai."
