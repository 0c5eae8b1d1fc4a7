"""The demo province: a deterministic, realistic organization tree and its people.

`generate` builds everything in memory from one `random.Random(seed)`; `writer.write_demo` inserts it
into an empty database in one transaction. Same seed and size → the same rows, byte for byte
(`created_at`/`updated_at` are set to the demo's fixed "today", 20/11/2026 08:00).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiemdiem.orgs.demo.staffing import People, staff_tree
from kiemdiem.orgs.demo.structure import Province, build_tree, scale_sizes

DEFAULT_PROVINCE = "Sông Hậu"
DEFAULT_PEOPLE = 3_000
DEFAULT_SEED = 2025


@dataclass
class Demo:
    province: Province
    people: People
    seed: int


def generate(
    *, people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED, province: str = DEFAULT_PROVINCE
) -> Demo:
    rng = random.Random(seed)
    tree = build_tree(rng, people=people, province=province)
    scale_sizes(tree.tree.orgs, people)
    return Demo(tree, staff_tree(rng, tree), seed)
