"""Writing the result (contract section 3): ``to_json`` for callers, ``write_json`` for the CLI.

``write_json`` formats rows straight from the output columns in batches (no intermediate
dicts), so a million results cost little more than writing the bytes. Both give the same JSON:
results in input order, ``quota`` sorted by peer group, ``order`` as decided. The text is
deterministic: same input, byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any, TextIO

from kiemdiem.engine.core import ClassifyOutput, reasons_of
from kiemdiem.engine.model import LEVEL_NAMES

_enc = encode_basestring  # C implementation; keeps non-ASCII as is (ensure_ascii=False)
_SEP = (",", ":")
# Rows per write: a batch's text (and its UTF-8 copy) stays in the CPU's cache; 20,000-row
# batches made writing ~25% slower (bench/ENGINE_RESULTS.md).
BATCH = 1_000


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
                "reasons": [
                    {"rule": r, "effect": e, "detail": d}
                    for r, e, d in reasons_of(output.reasons[i])
                ],
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
    _write_results(output, fp)
    fp.write('\n],"quota":')
    fp.write(
        json.dumps([_quota_dict(q) for q in output.quota], ensure_ascii=False, separators=_SEP)
    )
    fp.write(',\n"order":')
    # What json.dumps gives for a list of strings, in batches (no million-string list).
    order = output.order
    fp.write("[")
    for k in range(0, len(order), BATCH):
        if k:
            fp.write(",")
        fp.write(",".join(map(_enc, order[k : k + BATCH])))
    fp.write("]")
    fp.write("}\n")


def _write_results(output: ClassifyOutput, fp: TextIO) -> None:
    """The results, one per line, in batches of ``BATCH`` rows."""
    level_q = ['"' + n + '"' for n in LEVEL_NAMES]
    prefix: dict[tuple[str, str], str] = {}
    # Everything between the id and the first reason's detail, per (level, base level, flag,
    # rule, effect): one lookup instead of a dozen concatenations per row.
    middle: dict[tuple[int, int, str | None, str, str], str] = {}
    ids = output.ids
    levels = output.levels
    bases = output.base_levels
    flags = output.flags
    reasons: Sequence[Any] = output.reasons  # a tuple (one reason) or a list (core.reasons_of)
    n = len(ids)
    chunk: list[str] = []
    add = chunk.append
    sep = ""
    for i in range(n):
        rsn = reasons[i]
        if type(rsn) is tuple:  # the common case: one reason, kept without a list
            rule, effect, detail = rsn
            key = (levels[i], bases[i], flags[i], rule, effect)
            m = middle.get(key)
            if m is None:
                m = middle[key] = _middle(key, level_q)
            add(f'\n{{"id":{_enc(ids[i])}{m}{_enc(detail)}}}]}}')
        elif not rsn:  # never produced by ``run``; written as it would be all the same
            f = flags[i]
            add(
                '\n{"id":'
                + _enc(ids[i])
                + ',"level":'
                + level_q[levels[i]]
                + ',"base_level":'
                + level_q[bases[i]]
                + ',"flags":'
                + ("[" + _enc(f) + "]" if f is not None else "[]")
                + ',"reasons":[]}'
            )
            continue
        else:
            rule, effect, detail = rsn[0]
            key = (levels[i], bases[i], flags[i], rule, effect)
            m = middle.get(key)
            if m is None:
                m = middle[key] = _middle(key, level_q)
            if len(rsn) == 2:  # a base reason and one cap, quota or review reason
                r2, e2, d2 = rsn[1]
                p = prefix.get((r2, e2))
                if p is None:
                    p = prefix[(r2, e2)] = _prefix(r2, e2)
                add(f'\n{{"id":{_enc(ids[i])}{m}{_enc(detail)}}},{p}{_enc(d2)}}}]}}')
            else:
                _add_reasons(add, prefix, _enc(ids[i]) + m + _enc(detail), rsn)
        if len(chunk) >= BATCH:
            fp.write(sep)
            fp.write(",".join(chunk))
            sep = ","
            chunk.clear()
    if chunk:
        fp.write(sep + ",".join(chunk))


def _middle(key: tuple[int, int, str | None, str, str], level_q: list[str]) -> str:
    """Everything between a row's id and its first reason's detail."""
    f = key[2]
    return (
        ',"level":'
        + level_q[key[0]]
        + ',"base_level":'
        + level_q[key[1]]
        + ',"flags":'
        + ("[" + _enc(f) + "]" if f is not None else "[]")
        + ',"reasons":[{"rule":'
        + _enc(key[3])
        + ',"effect":'
        + _enc(key[4])
        + ',"detail":'
    )


def _add_reasons(add: Any, prefix: dict[tuple[str, str], str], head: str, rsn: list[Any]) -> None:
    """A row of several reasons; ``head`` is the row from its id to the first reason's detail."""
    parts = ['\n{"id":' + head + "}"]
    for r2, e2, d2 in rsn[1:]:
        p = prefix.get((r2, e2))
        if p is None:
            p = prefix[(r2, e2)] = _prefix(r2, e2)
        parts.append(p + _enc(d2) + "}")
    add(",".join(parts) + "]}")


def _prefix(rule: str, effect: str) -> str:
    """A further reason up to its detail."""
    return '{"rule":' + _enc(rule) + ',"effect":' + _enc(effect) + ',"detail":'
