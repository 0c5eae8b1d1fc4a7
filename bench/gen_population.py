"""A synthetic country for the engine benchmark (contract section 8).

Shape: a tree of units (nation → provinces → districts → communes/agencies), each unit with
its organization, party organization and leadership collective, a head and deputies rated on
both tracks, and staff (civil servants, most of them party members) rated on the state track
and, for party members, on the party track with ``state_evaluation``. Peer groups: the staff of
a unit (5–300), its party members, the heads of sibling units, and sibling organizations.
Year 2025: ``qd366`` (points) on the party side and ``nd90`` (grades) on the state side.

Usage: ``python bench/gen_population.py N OUT.json [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import deque
from typing import Any

GRADES = ("excellent", "good", "good", "good", "average", "poor")


def _tasks(rng: random.Random) -> dict[str, int]:
    a = rng.randint(4, 40)
    c = a if rng.random() < 0.93 else rng.randint(a // 2, a)
    t = c if rng.random() < 0.8 else rng.randint(max(0, c - 4), c)
    e = rng.randint(0, c) if rng.random() < 0.6 else 0
    return {"assigned": a, "completed": c, "on_time": t, "exceeded": e}


def _score(rng: random.Random) -> float | int:
    s = rng.triangular(45, 100, 86)
    if rng.random() < 0.3:
        return round(s, 2)
    return int(s)


def _extras(rng: random.Random, d: dict[str, Any], individual: bool) -> None:
    r = rng.random()
    if r < 0.01:
        d["discipline"] = [
            {
                "year": rng.choice((2024, 2025)),
                "duty_related": rng.random() < 0.5,
                "self_remedied": rng.random() < 0.3,
                "already_counted": False,
            }
        ]
    elif r < 0.012:
        d["degradation"] = True
    elif r < 0.02:
        d["shortcomings"] = {"previous": 2, "remedied": rng.randint(0, 2)}
    if individual:
        r = rng.random()
        if r < 0.03:
            d["absent_months"] = rng.choice((1, 3, 4, 2.5))
        elif r < 0.04:
            d["months_worked"] = rng.randint(2, 11)
            d["maternity"] = rng.random() < 0.3


def _unit_rows(rng: random.Random, unit: str, parent: str | None) -> list[dict[str, Any]]:
    siblings_group = parent or "root"
    rows: list[dict[str, Any]] = []
    org = f"TC-{unit}"
    porg = f"DB-{unit}"
    rows.append(
        {
            "id": porg,
            "subject": "collective",
            "role": "party_organization",
            "score": _score(rng),
            "tasks": _tasks(rng),
            **({"parent": f"DB-{parent}"} if parent else {}),
        }
    )
    org_row = {
        "id": org,
        "subject": "collective",
        "role": "organization",
        "peer_group": f"TC*{siblings_group}",
        "score": _score(rng),
        "tasks": _tasks(rng),
        **({"parent": f"TC-{parent}"} if parent else {}),
    }
    rows.append(org_row)
    rows.append(
        {
            "id": f"LD-{unit}",
            "subject": "collective",
            "role": "leadership",
            "leadership_of": org,
            "score": _score(rng),
            "tasks": _tasks(rng),
        }
    )
    staff_n = min(300, max(5, int(rng.lognormvariate(3.0, 0.8))))
    # Heads and deputies.
    for k in range(1 + rng.randint(1, 3)):
        pid = f"{unit}-L{k}"
        state = {
            "id": pid,
            "subject": "individual",
            "role": "leader",
            "track": "state",
            "general": rng.choice(GRADES[:4]),
            "tasks": _tasks(rng),
            "leads": org,
        }
        if k == 0:
            state["head_of"] = org
            state["peer_group"] = f"HD*{siblings_group}"
        _extras(rng, state, True)
        party = {
            "id": pid + ".d",
            "subject": "individual",
            "role": "leader",
            "track": "party",
            "state_evaluation": pid,
            "leads": org,
            "score": _score(rng),
            "party_admission": f"{rng.randint(1980, 2015)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "tasks": _tasks(rng),
        }
        if k == 0:
            party["head_of"] = org
            party["peer_group"] = f"HDD*{siblings_group}"
        _extras(rng, party, True)
        rows.append(state)
        rows.append(party)
    members = []
    for k in range(staff_n):
        pid = f"{unit}-{k}"
        state = {
            "id": pid,
            "subject": "individual",
            "role": "staff",
            "track": "state",
            "peer_group": f"CC-{unit}",
            "general": rng.choice(GRADES),
            "tasks": _tasks(rng),
        }
        _extras(rng, state, True)
        rows.append(state)
        if rng.random() < 0.7:
            party = {
                "id": pid + ".d",
                "subject": "individual",
                "role": "staff",
                "track": "party",
                "peer_group": f"DV-{unit}",
                "state_evaluation": pid,
                "score": _score(rng),
                "party_admission": f"{rng.randint(1980, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "tasks": _tasks(rng),
            }
            _extras(rng, party, True)
            members.append(party)
    rows.extend(members)
    return rows


def generate(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """Exactly ``n`` evaluations: units breadth-first (nation, provinces, districts, communes),
    each unit with 5–40 sub-units, until enough rows exist."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    queue: deque[tuple[str, str | None]] = deque([("VN", None)])
    uid = 0
    while len(rows) < n:
        unit, parent = queue.popleft()
        rows.extend(_unit_rows(rng, unit, parent))
        for _ in range(rng.randint(5, 40)):
            uid += 1
            queue.append((f"U{uid}", unit))
    return rows[:n]


#: Optional keys written with their default value (contract 2.1: the same as absent), by
#: whom they may be carried; ``general``/``score`` are keys the selected rule set ignores.
DEFAULT_KEYS: dict[str, Any] = {
    "degradation": False,
    "prohibition_violation": False,
    "maternity": False,
    "discipline": [],
    "shortcomings": {"previous": 0, "remedied": 0},
    "months_worked": 12,
    "absent_months": 0,
}
MORE_DEFAULT_KEYS: dict[str, Any] = {
    "socioeconomic_targets_failed": False,
    "corruption_in_managed_unit": False,
    "cadre_work_wrongdoing": False,
    "manages": [],
    "party_status": "active",
}
SHAPES = ("uniform", "random", "distinct")


def _reshape(rows: list[dict[str, Any]], shapes: str, seed: int) -> list[dict[str, Any]]:
    """``random``: each evaluation carries, at random, some of the seven optional keys of
    ``DEFAULT_KEYS`` at their defaults (what an exporter writes when it includes a key only when
    it is set). ``distinct``: every evaluation carries its own subset of all default-valued keys
    (and of the grade/score key its rule set ignores), all its keys in a shuffled order, so
    that no two evaluations share a key sequence."""
    if shapes == "uniform":
        return rows
    rng = random.Random(seed + 7)
    pool = dict(DEFAULT_KEYS)
    if shapes == "distinct":
        pool.update(MORE_DEFAULT_KEYS)
    names = list(pool)
    out = []
    for i, r in enumerate(rows):
        if shapes == "random":
            extra = [k for k in names if k not in r and rng.random() < 0.5]
            rng.shuffle(extra)
            r = {**r, **{k: json.loads(json.dumps(pool[k])) for k in extra}}
        else:
            bits = (i * 2654435761) % (1 << len(names))
            extra = [k for j, k in enumerate(names) if bits >> j & 1 and k not in r]
            items = list(r.items()) + [(k, json.loads(json.dumps(pool[k]))) for k in extra]
            if "score" not in r and rng.random() < 0.5:
                items.append(("score", rng.randint(0, 100)))
            if "general" not in r and rng.random() < 0.5:
                items.append(("general", rng.choice(GRADES)))
            rng.shuffle(items)
            r = dict(items)
        out.append(r)
    return out


def write(path: str, n: int, seed: int = 1, year: int = 2025, shapes: str = "uniform") -> None:
    """Write an input document of ``n`` evaluations to ``path`` (``shapes``: see ``_reshape``)."""
    rows = generate(n, seed)
    ids = {r["id"] for r in rows}
    # Drop references to ids cut off at the end, and add ``manages`` to deputies (L1) of
    # parents: the organizations of their first children.
    children: dict[str, list[str]] = {}
    for r in rows:
        if r["role"] == "organization" and "parent" in r:
            children.setdefault(r["parent"], []).append(r["id"])
    for r in rows:
        for key in ("parent", "state_evaluation", "leads", "head_of", "leadership_of"):
            if key in r and r[key] not in ids:
                del r[key]
        if r["role"] == "leader" and r["id"].endswith("-L1") and "leads" in r:
            kids = children.get(r["leads"], [])[:8]
            if kids:
                r["manages"] = kids
    rows = _reshape(rows, shapes, seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'{{"year": {year}, "peer_groups": {{}}, "evaluations": [\n')
        last = len(rows) - 1
        for i, r in enumerate(rows):
            f.write(json.dumps(r, ensure_ascii=False))
            f.write(",\n" if i < last else "\n")
        f.write("]}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shapes", choices=SHAPES, default="uniform")
    args = ap.parse_args()
    write(args.out, args.n, args.seed, shapes=args.shapes)


if __name__ == "__main__":
    main()
