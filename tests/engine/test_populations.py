"""Generated populations give byte-identical output to the engine before issue 15's rewrite.

The digests were recorded with the previous engine (code generated per key set) on the
benchmark's generator (``bench/gen_population.py``); the three shapes of one seed (uniform keys,
random default-valued optional keys, every evaluation with its own key sequence) carry the same
data, so they must give the same bytes.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from kiemdiem.engine import classify, dumps, load_json, parse_input

BENCH = Path(__file__).resolve().parents[2] / "bench"

#: sha256 of ``dumps(classify(parse_input(...)))`` for 3,000 evaluations of each seed, as
#: written by the engine of commit 560e67c.
DIGESTS = {
    1: "a971775920431abd4122d848e6363b7407848ae8277cdfdcaba8ab3ac237653c",
    2: "33d7a4ded3b829e0e0267bbac725c6ea56c5561e44bf19c6925b68dd9f2680b4",
    3: "72a8cfbd54f3ac49aadd8174d8ae9748b14162aba58970780ea4050038753b36",
}


@pytest.mark.parametrize("shapes", ["uniform", "random", "distinct"])
@pytest.mark.parametrize("seed", sorted(DIGESTS))
def test_generated_population_output_is_unchanged(seed: int, shapes: str, tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from gen_population import write
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path / "in.json"
    write(str(path), 3000, seed, shapes=shapes)
    out = dumps(classify(parse_input(load_json(path.read_bytes()))))
    assert hashlib.sha256(out.encode()).hexdigest() == DIGESTS[seed]
