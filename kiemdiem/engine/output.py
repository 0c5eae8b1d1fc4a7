"""Writing the result (contract section 3): ``to_json`` for callers, ``write_json`` for the CLI.

Both build the same rows (``_results``); ``write_json`` encodes them with the standard library
in batches, one result per line, so a million results never exist as dicts all at once. Results
in input order, ``quota`` sorted by peer group, ``order`` as decided; the text is
deterministic: same input, byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from kiemdiem.engine.core import ClassifyOutput
from kiemdiem.engine.model import LEVEL_NAMES

BATCH = 5_000
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_json(output: ClassifyOutput) -> dict[str, Any]:
    """The output document as plain dicts and lists (what ``json.loads`` of the CLI output
    gives)."""
    return {
        "year": output.year,
        "rules": dict(output.rules),
        "results": _results(output, 0, len(output.ids)),
        "quota": [_quota_dict(q) for q in output.quota],
        "order": list(output.order),
    }


def _results(output: ClassifyOutput, start: int, stop: int) -> list[dict[str, Any]]:
    names = LEVEL_NAMES
    ids, levels, bases = output.ids, output.levels, output.base_levels
    flags, reasons = output.flags, output.reasons
    return [
        {
            "id": ids[i],
            "level": names[levels[i]],
            "base_level": names[bases[i]],
            "flags": [] if flags[i] is None else [flags[i]],
            "reasons": [{"rule": r, "effect": e, "detail": d} for r, e, d in reasons[i]],
        }
        for i in range(start, stop)
    ]


def _quota_dict(q: Any) -> dict[str, Any]:
    return {
        "peer_group": q.peer_group,
        "ratio": q.ratio,
        "eligible": q.eligible,
        "max_excellent": q.max_excellent,
        "excellent": q.excellent,
        "demoted": list(q.demoted),
    }


def dumps(output: ClassifyOutput) -> str:
    """The output document as text (the same bytes ``write_json`` writes)."""
    import io

    buf = io.StringIO()
    write_json(output, buf)
    return buf.getvalue()


def write_json(output: ClassifyOutput, fp: TextIO) -> None:
    """Write the output document: compact separators, each result on its own line."""
    head = _encode({"year": output.year, "rules": dict(output.rules)})
    fp.write(head[:-1] + ',"results":[')
    sep = "\n"
    for start in range(0, len(output.ids), BATCH):
        text = _encode(_results(output, start, min(start + BATCH, len(output.ids))))
        # Inside JSON strings every quote is escaped: this pattern only joins two results.
        fp.write(sep + text[1:-1].replace('},{"id":', '},\n{"id":'))
        sep = ",\n"
    fp.write('\n],"quota":' + _encode([_quota_dict(q) for q in output.quota]))
    fp.write(',\n"order":[')
    order = output.order
    for start in range(0, len(order), BATCH):
        fp.write(("," if start else "") + _encode(list(order[start : start + BATCH]))[1:-1])
    fp.write("]}\n")
