"""``kiemdiem classify INPUT.json [-o OUT.json]`` (contract section 1).

Reads the input file (``-`` = standard input), writes the result to standard output or to
``-o``. Exit 0 on success; exit 2 on invalid input with nothing on standard output and one line
per problem on standard error. Imports neither Django nor anything heavy: it starts fast.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from kiemdiem.engine.core import InvalidInput, classify
from kiemdiem.engine.output import write_json
from kiemdiem.engine.parse import _parse, decode_json, load_json
from kiemdiem.engine.ruleset import RuleSetError

FAST_EXIT_ROWS = 100_000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="kiemdiem classify",
        description="Classify evaluations (kiểm điểm, đánh giá, xếp loại chất lượng).",
    )
    parser.add_argument("input", help="input JSON file, or - for standard input")
    parser.add_argument("-o", "--output", help="write the result here instead of standard output")
    args = parser.parse_args(argv)
    # The run allocates millions of objects that all live until the end: the cyclic
    # collector would only rescan them (measured in bench/ENGINE_RESULTS.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    try:
        if args.input == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(args.input, "rb") as f:
                raw = f.read()
    except OSError as exc:
        print(f"{args.input}: cannot read: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        source = "<stdin>" if args.input == "-" else args.input
        text = decode_json(raw, source)
        del raw  # the bytes go before the document is built (peak memory)
        data = load_json(text, source)
        del text
        request = _parse(data, copy=False)  # the document is ours: no defensive copy
        del data
        output = classify(request)
    except InvalidInput as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 2
    except RuleSetError as exc:  # a broken installation, not bad input: named, exit 1
        print(f"rule set: {exc}", file=sys.stderr)
        return 1
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="\n") as out:
                write_json(output, out)
        else:
            stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)  # noqa: SIM115
            with stdout:
                write_json(output, stdout)
    except OSError as exc:
        print(f"{args.output or '<stdout>'}: cannot write: {exc.strerror}", file=sys.stderr)
        return 1
    if len(output.ids) >= FAST_EXIT_ROWS and os.path.basename(sys.argv[0]) == "kiemdiem":
        # Run as the console script on a big input: freeing millions of objects one by one
        # would only delay the exit (about 0.6 s per million evaluations).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0
