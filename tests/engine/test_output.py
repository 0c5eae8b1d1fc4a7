"""The CLI's text (``dumps``/``write_json``): one result per line, the same document as
``to_json``, whatever the ids contain."""

from __future__ import annotations

import json

from kiemdiem.engine import classify, dumps, parse_input, to_json
from tests.engine.conftest import doc, staff


def test_one_result_per_line_even_when_ids_look_like_json() -> None:
    ids = ['A"},{"id":"B', "Nguyễn Văn Ấ", "C\\", '},{"id":', "D\n"]
    document = doc(2025, *[staff(i, general="good", peer_group="G") for i in ids])
    output = classify(parse_input(document))
    text = dumps(output)
    lines = text.split("\n")
    assert lines[0].endswith('"results":[')
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:6]] == ids
    assert lines[6].startswith('],"quota":[{"peer_group":"G"')
    assert lines[7].startswith('"order":[') and text.endswith("]}\n")
    assert "Nguyễn Văn Ấ" in text  # kept as is, not \u-escaped
    assert json.loads(text) == to_json(output)


def test_an_empty_input_gives_the_empty_document() -> None:
    text = dumps(classify(parse_input(doc(2025))))
    assert text == (
        '{"year":2025,"rules":{"party":"qd366","state":"nd90"},"results":[\n],"quota":[],\n'
        '"order":[]}\n'
    )
