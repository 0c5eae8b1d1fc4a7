"""The self-review's text against the ledger's products (kiemdiem.quantify.evidence)."""

from __future__ import annotations

from datetime import date

from kiemdiem.quantify import check_sections
from kiemdiem.quantify.evidence import PENALTY, LedgerProduct, check_evidence

TASK = "Xây dựng kế hoạch đào tạo năm 2026"
TEXT = (
    "Tham mưu ban hành Kế hoạch số 12/KH-SNV ngày 10/03/2026 về đào tạo, bồi dưỡng "
    "cho 120 công chức."
)


def product(symbol="12/KH-SNV", dated=date(2026, 3, 10), assigned=date(2026, 2, 1)):
    return LedgerProduct(
        task=TASK, assigned_on=assigned, label=f"Kế hoạch số {symbol}", dated=dated, symbol=symbol
    )


def test_a_text_matching_its_ledger_keeps_its_score():
    report = check_sections({"kq": TEXT})
    evidence = check_evidence(report, [product()])
    assert evidence.compared and evidence.issues == ()
    assert evidence.score == report.score > 0


def test_a_product_dated_before_its_task_was_assigned_lowers_the_score_and_says_why():
    report = check_sections({"kq": TEXT})
    evidence = check_evidence(report, [product(assigned=date(2026, 4, 1))])
    assert [i.kind for i in evidence.issues] == ["before_assignment"]
    assert evidence.score == report.score - PENALTY
    assert evidence.issues[0].message_vi == (
        f"“Kế hoạch số 12/KH-SNV” ghi ngày 10/03/2026, trước ngày giao nhiệm vụ “{TASK}” "
        "(01/04/2026): không tính là sản phẩm của nhiệm vụ đó."
    )


def test_a_document_cited_in_the_text_but_absent_from_the_ledger_is_named():
    report = check_sections({"kq": TEXT})
    evidence = check_evidence(report, [product(symbol="99/BC-SNV")])
    assert [i.kind for i in evidence.issues] == ["not_in_ledger"]
    assert evidence.issues[0].message_vi.startswith("Kế hoạch số 12/KH-SNV ngày 10/03/2026 nêu")
    assert evidence.score == report.score - PENALTY


def test_a_claimed_number_of_documents_above_the_ledgers_count_is_flagged():
    report = check_sections({"kq": "Chủ trì soạn thảo 15 văn bản hướng dẫn nghiệp vụ."})
    evidence = check_evidence(report, [product(), product(symbol="13/KH-SNV")])
    assert [i.kind for i in evidence.issues] == ["claim_exceeds_ledger"]
    assert "sổ nhiệm vụ ghi 2 văn bản" in evidence.issues[0].message_vi
    enough = [product(symbol=f"{n}/KH-SNV") for n in range(15)]
    assert check_evidence(report, enough).issues == ()


def test_people_counts_are_not_document_claims():
    report = check_sections({"kq": "Tổ chức tập huấn cho 120 công chức của sở."})
    assert check_evidence(report, [product()]).issues == ()


def test_without_a_ledger_nothing_is_compared_and_the_score_never_goes_below_zero():
    report = check_sections({"kq": TEXT})
    alone = check_evidence(report, [])
    assert not alone.compared and alone.score == report.score
    many = [product(symbol=f"{n}/BC-X", dated=date(2025, 1, 1)) for n in range(20)]
    assert check_evidence(report, many).score == 0
