"""The rule reference covers every rule the engine cites; reasons read as Vietnamese sentences."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from kiemdiem.engine.ruleset import available
from kiemdiem.explain import render
from kiemdiem.explain.reference import all_rules, rule, ruleset_title
from kiemdiem.explain.render import explain_reasons, unrecognised

ENGINE = Path(__file__).resolve().parents[2] / "kiemdiem" / "engine"
EXAMPLES = Path(__file__).resolve().parents[1] / "engine" / "examples"
RULE_ID = re.compile(r"^(?:\d+|[A-Z][A-Z0-9]*)-\d+$")


def engine_rule_ids() -> set[str]:
    """Every string constant in the engine's code and rule sets shaped like a rule id."""
    found = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RULE_ID.match(node.value)
            ):
                found.add(node.value)
    return found


def test_every_rule_id_the_engine_can_cite_has_a_reference_entry():
    ids = engine_rule_ids()
    assert len(ids) > 40  # the scan itself works
    assert sorted(i for i in ids if rule(i) is None) == []


def test_every_reference_entry_has_a_citation_a_title_and_a_known_source():
    for ref in all_rules():
        assert ref.citation and ref.title and ref.text, ref.id
        assert ruleset_title(ref.source) != ref.source, ref.id


def test_every_rule_set_has_a_title_by_which_people_know_it():
    assert {name: ruleset_title(name) != name for name in available()} == {
        name: True for name in available()
    }
    assert ruleset_title("qd366") == "Quy định 366-QĐ/TW (2025)"


def example_reasons() -> list[tuple[dict, dict]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.expected.json")):
        for result in json.loads(path.read_text(encoding="utf-8"))["results"]:
            out.extend((result, reason) for reason in result["reasons"])
    return out


@pytest.mark.parametrize(("result", "reason"), example_reasons())
def test_every_reason_of_the_shared_examples_is_fully_reworded(result, reason):
    assert unrecognised(reason["detail"]) == []
    [explained] = explain_reasons([reason], base_level=result["base_level"], level=result["level"])
    assert reason["rule"] not in explained.sentence  # no internal code where a person reads
    assert not re.search(
        r"\b(score|done|on time|exceeded|tasks|HTXSNV|HTTNV|KHTNV)\b", explained.sentence
    )


def test_a_base_reason_names_the_level_the_clause_and_vietnamese_numbers(db):
    [e] = explain_reasons(
        [
            {
                "rule": "366-17",
                "effect": "base",
                "detail": "score 93.5 ≥ 90; 24/24 done, 24/24 on time (100%), 9 exceeded (37.5%)",
            }
        ],
        base_level="HTXSNV",
        level="HTXSNV",
    )
    assert e.sentence == (
        "Đạt mức Hoàn thành xuất sắc nhiệm vụ theo Khoản 1 Điều 11 Quy định 366-QĐ/TW: "
        "tổng điểm 93,5 ≥ 90; hoàn thành 24/24 nhiệm vụ, 24/24 đúng hạn (100%), "
        "9 vượt mức (37,5%)."
    )
    assert e.url == "/quy-dinh/366-17/"
    assert e.citation == "Khoản 1 Điều 11 Quy định 366-QĐ/TW"


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (
            {
                "rule": "366-3",
                "effect": "exclusion",
                "detail": "admitted 2026-07-17, after 30 June 2026",
            },
            "Không xếp loại theo Khoản 2 Điều 5 Quy định 366-QĐ/TW: vào Đảng ngày 17/07/2026, "
            "sau ngày 30/06/2026 (chưa đủ 6 tháng).",
        ),
        (
            {"rule": "366-25", "effect": "knockout", "detail": "unit 13/20 done < 70%"},
            "Không hoàn thành nhiệm vụ theo Khoản 4 Điều 11 Quy định 366-QĐ/TW: "
            "đơn vị hoàn thành 13/20 nhiệm vụ, dưới 70%.",
        ),
        (
            {
                "rule": "366-19",
                "effect": "quota",
                "detail": "peer group G1 allows 4 HTXSNV of 26; ranked 5",
            },
            "Hạ xuống Hoàn thành tốt nhiệm vụ do giới hạn tỷ lệ xuất sắc theo Khoản 1 Điều 11 "
            "Quy định 366-QĐ/TW: nhóm tương đồng được tối đa 4 mức xuất sắc trên 26 người đạt "
            "loại tốt trở lên; xếp thứ 5 theo điểm.",
        ),
        (
            {"rule": "X-3", "effect": "cap", "detail": "party_le_state: S1 is HTNV, was HTTNV"},
            "Mức được hạ xuống Hoàn thành nhiệm vụ theo Khoản 4 Điều 2 Nghị định 90/2020/NĐ-CP "
            "(sửa đổi bởi Nghị định 48/2023/NĐ-CP); khoản 4 Điều 3 Quy định 366-QĐ/TW: mức của "
            "phiếu liên quan là Hoàn thành nhiệm vụ, trước đó là Hoàn thành tốt nhiệm vụ.",
        ),
        (
            {
                "rule": "ND90-6",
                "effect": "knockout",
                "detail": "duty-related 1 current-year discipline(s), 1 self-remedied",
            },
            "Không hoàn thành nhiệm vụ theo Điểm a khoản 5 Điều 2 Nghị định 90/2020/NĐ-CP (sửa đổi "
            "bởi Nghị định 48/2023/NĐ-CP): bị kỷ luật 1 lần trong năm vì vi phạm liên quan đến thực "
            "thi công vụ, trong đó 1 lần đã tự phát hiện, khắc phục.",
        ),
        (
            {"rule": "366-25", "effect": "knockout", "detail": "low confidence share 0.6 > 0.5"},
            "Không hoàn thành nhiệm vụ theo Khoản 4 Điều 11 Quy định 366-QĐ/TW: tỷ lệ phiếu tín "
            "nhiệm thấp 0,6, quá 0,5.",
        ),
    ],
)
def test_reasons_read_as_plain_vietnamese(db, reason, sentence):
    [e] = explain_reasons([reason], level="HTNV")
    assert e.sentence == sentence


def test_an_unknown_fragment_is_left_out_and_the_rule_wording_stands_in(db):
    [e] = explain_reasons([{"rule": "366-26", "effect": "knockout", "detail": "mystery thing"}])
    assert e.sentence == (
        "Không hoàn thành nhiệm vụ theo Khoản 4 Điều 11 Quy định 366-QĐ/TW: "
        "cá nhân không giữ chức vụ không hoàn thành nhiệm vụ."
    )


def test_a_reason_written_by_people_is_kept_as_written(db):
    [e] = explain_reasons([{"rule": "", "effect": "exclusion", "detail": "Nghỉ hưu từ 01/03"}])
    assert e.sentence == "Không xếp loại: Nghỉ hưu từ 01/03."


def test_vietnamese_numbers():
    assert [render.vn_number(x) for x in ["96.63", "1234567", "100", "-2.5", "5088", "1234.5"]] == [
        "96,63",
        "1.234.567",
        "100",
        "-2,5",
        "5.088",  # four digits take the separator too (5.088, not 5088)
        "1.234,5",
    ]


def test_the_rule_pages_show_the_citation_and_404_for_an_unknown_rule(client):
    page = client.get("/quy-dinh/366-17/").content.decode()
    assert "Khoản 1 Điều 11 Quy định 366-QĐ/TW" in page and "Quy định 366-QĐ/TW (2025)" in page
    assert client.get("/quy-dinh/khong-co/").status_code == 404
    index = client.get("/quy-dinh/").content.decode()
    assert index.count("/quy-dinh/") >= len(all_rules())
