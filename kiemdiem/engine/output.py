"""Writing the result (contract section 3): ``to_json`` for callers, ``write_json`` for the CLI.

``write_json`` formats rows straight from the output columns in batches (no intermediate
dicts), so a million results cost little more than writing the bytes. Both give the same JSON:
results in input order, ``quota`` sorted by peer group, ``order`` as decided. The text is
deterministic: same input, byte-identical output.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any, TextIO

from kiemdiem.engine.core import ClassifyOutput
from kiemdiem.engine.model import LEVEL_NAMES

_enc = encode_basestring  # C implementation; keeps non-ASCII as is (ensure_ascii=False)
_SEP = (",", ":")
BATCH = 20_000


def to_json(output: ClassifyOutput) -> dict[str, Any]:
    """The output document as plain dicts and lists (what ``json.loads`` of the CLI output
    gives)."""
    results = []
    names = LEVEL_NAMES
    for i, ev_id in enumerate(output.ids):
        f = output.flags[i]
        results.append(
            {
                "id": ev_id,
                "level": names[output.levels[i]],
                "base_level": names[output.base_levels[i]],
                "flags": [f] if f is not None else [],
                "reasons": [{"rule": r, "effect": e, "detail": d} for r, e, d in output.reasons[i]],
            }
        )
    return {
        "year": output.year,
        "rules": dict(output.rules),
        "results": results,
        "quota": [_quota_dict(q) for q in output.quota],
        "order": list(output.order),
    }


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
    """Write the output document: one result per line, compact separators."""
    head = {"year": output.year, "rules": dict(output.rules)}
    fp.write(json.dumps(head, ensure_ascii=False, separators=_SEP)[:-1])
    fp.write(',"results":[')
    level_q = ['"' + n + '"' for n in LEVEL_NAMES]
    flag_q: dict[str | None, str] = {None: "[]"}
    prefix: dict[tuple[str, str], str] = {}
    ids = output.ids
    levels = output.levels
    bases = output.base_levels
    flags = output.flags
    reasons = output.reasons
    n = len(ids)
    chunk: list[str] = []
    add = chunk.append
    sep = ""
    for i in range(n):
        rsn = reasons[i]
        if len(rsn) == 1:  # the common case: one base reason
            rule, effect, detail = rsn[0]
            p = prefix.get((rule, effect))
            if p is None:
                p = prefix[(rule, effect)] = (
                    '{"rule":' + _enc(rule) + ',"effect":' + _enc(effect) + ',"detail":'
                )
            body = p + _enc(detail) + "}"
        else:
            parts = []
            for rule, effect, detail in rsn:
                p = prefix.get((rule, effect))
                if p is None:
                    p = prefix[(rule, effect)] = (
                        '{"rule":' + _enc(rule) + ',"effect":' + _enc(effect) + ',"detail":'
                    )
                parts.append(p + _enc(detail) + "}")
            body = ",".join(parts)
        f = flags[i]
        fq = flag_q.get(f)
        if fq is None:
            fq = flag_q[f] = "[" + _enc(f or "") + "]"
        add(
            '\n{"id":'
            + _enc(ids[i])
            + ',"level":'
            + level_q[levels[i]]
            + ',"base_level":'
            + level_q[bases[i]]
            + ',"flags":'
            + fq
            + ',"reasons":['
            + body
            + "]}"
        )
        if len(chunk) >= BATCH:
            fp.write(sep + ",".join(chunk))
            sep = ","
            chunk.clear()
    if chunk:
        fp.write(sep + ",".join(chunk))
    fp.write('\n],"quota":')
    fp.write(
        json.dumps([_quota_dict(q) for q in output.quota], ensure_ascii=False, separators=_SEP)
    )
    fp.write(',\n"order":')
    fp.write(json.dumps(list(output.order), ensure_ascii=False, separators=_SEP))
    fp.write("}\n")
