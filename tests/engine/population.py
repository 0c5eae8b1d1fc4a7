"""Seeded random populations covering the classification contract's input space.

Each document is valid by construction: peer groups are formed among evaluations of the same
dependency depth and the same kind of ranking key (points or grades), so that no member
depends on another and no two groups depend on each other (contract 9.6, 9.7).
"""

from __future__ import annotations

import random
from typing import Any

YEARS = [2021, 2023, 2024, 2025, 2026, 2031]
POINT = {"qd366", "nd335", "haiphong212"}
SCORES = [0, 49.99, 50, 60, 69.99, 70, 75, 80, 80.01, 85, 89.999, 90, 90, 90.01, 92, 92, 95, 100]
GRADES = ["excellent", "excellent", "good", "good", "average", "poor"]
RATIOS = ["0.20", "0.25", "0.25", "0.2", "0", "0.10", "0.15", "0.24"]
CAPS = ["party_le_state", "head_le_unit", "leadership_le_unit"]


def _rules(rng: random.Random, year: int) -> dict[str, str] | None:
    party = rng.choice(["qd124", "qd366"])
    state = rng.choice(["nd90", "nd335", "haiphong212"])
    if year < 2023:
        return {"party": party, "state": state}
    return rng.choice(
        [None, None, {"party": party}, {"state": state}, {"party": party, "state": state}]
    )


def _tasks(rng: random.Random, noise: float) -> dict[str, int]:
    if rng.random() < 0.03:  # beyond float precision: shares must compare exactly (9.18)
        a = 10 * 2**60 + rng.choice([0, 10])
        x = rng.choice([3 * a // 10, 3 * a // 10 - 1, a // 2, a // 2 - 1])
        t = rng.choice([a, 8 * a // 10, 8 * a // 10 - 1, a - a // 5, a - a // 5 - 1])
        return {"assigned": a, "completed": a, "on_time": t, "exceeded": x}
    a = rng.choice([1, 2, 3, 5, 10, 10, 20])
    e = rng.choice([0, -(-3 * a // 10), 3 * a // 10, -(-a // 2), a // 2, a, rng.randint(0, a)])
    if rng.random() > noise:  # all done on time; exceeded at its thresholds
        return {"assigned": a, "completed": a, "on_time": a, "exceeded": max(0, min(a, e))}
    c = rng.choice(
        [a, a, a, a, -(-7 * a // 10), 7 * a // 10 + 1, a // 2, a // 2 + 1, rng.randint(0, a)]
    )
    c = max(0, min(a, c))
    t = rng.choice([c, c, c - a // 5, c - a // 5 - 1, 8 * a // 10, -(-a // 2), rng.randint(0, c)])
    t = max(0, min(c, t))
    return {"assigned": a, "completed": c, "on_time": t, "exceeded": max(0, min(c, e))}


def _common(rng: random.Random, ev: dict[str, Any], year: int, noise: float) -> None:
    """Scores, grades, tasks and the optional keys (also on roles that ignore them)."""
    ev["score"] = rng.choice(SCORES + [round(rng.uniform(40, 100), 2)])
    ev["general"] = rng.choice(GRADES if rng.random() < noise else GRADES[:4])
    ev["results_grade"] = rng.choice(GRADES if rng.random() < noise else GRADES[:4])
    ev["tasks"] = _tasks(rng, noise)

    def p() -> float:
        return rng.random() / noise

    if p() < 0.25:
        ev["discipline"] = [
            {
                "year": rng.choice([year, year, year - 1, year + 1]),
                **{
                    k: rng.random() < 0.4
                    for k in ("duty_related", "self_remedied", "already_counted")
                    if rng.random() < 0.8
                },
            }
            for _ in range(rng.randint(1, 2))
        ]
    if p() < 0.07:
        ev["degradation"] = True
    elif p() < 0.05:
        ev["degradation"] = False
    if p() < 0.25:
        prev = rng.randint(0, 3)
        ev["shortcomings"] = {"previous": prev, "remedied": rng.randint(0, prev)}
    if ev["subject"] == "individual":
        if p() < 0.07:
            ev["prohibition_violation"] = True
        if p() < 0.15:
            ev["months_worked"] = rng.choice([12, 6, 5.99, 5.5, 5, 3, 0])
        if p() < 0.15:
            ev["absent_months"] = rng.choice([0, 2, 2.99, 3, 4, 6])
        if p() < 0.1:
            ev["maternity"] = rng.random() < 0.7
        if p() < 0.2:
            ev["party_admission"] = rng.choice(
                [
                    f"{year}-06-30",
                    f"{year}-07-01",
                    f"{year - 1}-12-31",
                    f"{year + 1}-01-10",
                    "2001-03-04",
                ]
            )
        if p() < 0.12:
            ev["party_status"] = rng.choice(["active", "exempt", "suspended"])
    if (ev["role"] in ("leader", "leadership") or p() < 0.05) and p() < 0.1:
        ev["socioeconomic_targets_failed"] = True
    if ev["role"] == "leader" or p() < 0.05:
        if p() < 0.2:
            ev["low_confidence_share"] = rng.choice([0, 0.2, 0.5, 0.5, 0.51, 1])
        if p() < 0.08:
            ev["corruption_in_managed_unit"] = True
    if (ev["role"] == "leadership" or p() < 0.03) and p() < 0.1:
        ev["cadre_work_wrongdoing"] = True


def generate(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    year = rng.choice(YEARS)
    doc: dict[str, Any] = {"year": year}
    rules = _rules(rng, year)
    if rules is not None:
        doc["rules"] = rules
    if rng.random() < 0.4:
        doc["caps"] = [c for c in CAPS if rng.random() < 0.5]
    evs: list[dict[str, Any]] = []
    noise = rng.choice([0.1, 0.3, 1.0])

    def add(**kw: Any) -> dict[str, Any]:
        ev = {"id": f"E{len(evs)}", **kw}
        _common(rng, ev, year, noise)
        evs.append(ev)
        return ev

    for _u in range(rng.randint(1, 2)):
        po = add(subject="collective", role="party_organization")
        org = add(subject="collective", role="organization", parent=po["id"])
        subs = [
            add(subject="collective", role="organization", parent=org["id"])
            for _ in range(rng.randint(0, 4))
        ]
        if rng.random() < 0.8:
            add(subject="collective", role="leadership", leadership_of=rng.choice([org, po])["id"])
        # the head, on the state track and on the party track
        head_state = add(subject="individual", role="leader", track="state", leads=org["id"])
        if rng.random() < 0.85:
            head_state["head_of"] = org["id"]
        if subs and rng.random() < 0.8:
            head_state["manages"] = [s["id"] for s in rng.sample(subs, rng.randint(1, len(subs)))]
        twin = add(
            subject="individual", role="leader", track="party", state_evaluation=head_state["id"]
        )
        if rng.random() < 0.8:
            twin["leads"] = rng.choice([org, po])["id"]
        if rng.random() < 0.5:
            twin["head_of"] = po["id"]
        if subs and rng.random() < 0.6:
            twin["manages"] = [s["id"] for s in rng.sample(subs, rng.randint(1, len(subs)))]
        for s in subs:
            if rng.random() < 0.6:
                sl = add(subject="individual", role="leader", track="state", leads=s["id"])
                if rng.random() < 0.7:
                    sl["head_of"] = s["id"]
        if rng.random() < 0.2:  # a leader without `leads`: unit tasks are own tasks
            add(subject="individual", role="leader", track=rng.choice(["state", "party"]))
        for _ in range(rng.randint(2, 14)):
            st = add(subject="individual", role="staff", track="state")
            if rng.random() < 0.6:
                add(subject="individual", role="staff", track="party", state_evaluation=st["id"])
        for _ in range(rng.randint(0, 2)):
            add(subject="individual", role="party_outside", track="party")
        for _ in range(rng.randint(0, 3)):
            add(subject="individual", role="staff", track="party")

    _odd_references(rng, evs)
    _peer_groups(rng, doc, evs)
    rng.shuffle(evs)
    doc["evaluations"] = evs
    return doc


def _odd_references(rng: random.Random, evs: list[dict[str, Any]]) -> None:
    """Keys a subject or role does not use (9.4): `head_of` on staff (capped, X-4), `leads` and
    `manages` on staff, `parent` on individuals, `state_evaluation` on the state track."""
    if rng.random() < 0.6:
        return
    colls = [e for e in evs if e["subject"] == "collective"]
    orgs = [e for e in colls if e["role"] != "leadership"]
    staff = [e for e in evs if e["role"] == "staff"]
    states = [e for e in evs if e.get("track") == "state"]
    for e in rng.sample(staff, min(len(staff), 3)):
        key = rng.choice(["head_of", "leads", "manages", "parent", "state_evaluation"])
        if key == "head_of":
            e[key] = rng.choice(colls)["id"]
        elif key == "leads":
            e[key] = rng.choice(orgs)["id"]
        elif key == "manages":
            e[key] = [c["id"] for c in rng.sample(colls, min(2, len(colls)))]
        elif key == "parent":
            e[key] = rng.choice(colls)["id"]
        elif e.get("track") == "state" and len(states) > 1:
            e[key] = rng.choice([s for s in states if s is not e])["id"]
    # drop what made a cycle (a parent on an individual that a collective depends on)
    for e in evs:
        if (
            e.get("subject") == "individual"
            and "parent" in e
            and _reaches(evs, e["id"], e["parent"])
        ):
            del e["parent"]
    for e in evs:
        if "state_evaluation" in e and _reaches(evs, e["state_evaluation"], e["id"]):
            del e["state_evaluation"]


def _deps(evs: list[dict[str, Any]]) -> dict[str, set[str]]:
    deps: dict[str, set[str]] = {e["id"]: set() for e in evs}
    for e in evs:
        for k in ("state_evaluation", "head_of", "leads", "leadership_of"):
            if k in e:
                deps[e["id"]].add(e[k])
        deps[e["id"]].update(e.get("manages", []))
        if "parent" in e:
            deps[e["parent"]].add(e["id"])
    return deps


def _reaches(evs: list[dict[str, Any]], start: str, goal: str) -> bool:
    deps = _deps(evs)
    seen, stack = set(), [start]
    while stack:
        x = stack.pop()
        if x == goal:
            return True
        if x not in seen:
            seen.add(x)
            stack.extend(deps[x])
    return False


def _peer_groups(rng: random.Random, doc: dict[str, Any], evs: list[dict[str, Any]]) -> None:
    rules = dict(doc.get("rules") or {})
    year = doc["year"]
    rules.setdefault("party", "qd124" if year <= 2024 else "qd366")
    rules.setdefault("state", "nd90" if year <= 2025 else "nd335")
    by_id = {e["id"]: e for e in evs}
    deps = _deps(evs)
    depth: dict[str, int] = {}

    def d(i: str) -> int:
        if i not in depth:
            depth[i] = 1 + max((d(x) for x in deps[i]), default=-1)
        return depth[i]

    classes: dict[tuple[int, bool, str], list[str]] = {}
    coarse = rng.random() < 0.3
    for e in evs:
        rs = rules["party"] if e["subject"] == "collective" else rules[e["track"]]
        if rs == "nd335" and rng.random() < 0.3:
            del e["tasks"]  # optional under nd335 only
        kind = e["subject"] + ("" if e["subject"] == "collective" else e["role"][:5])
        if coarse:  # collectives, leaders and staff in one pool
            kind = ""
        classes.setdefault((d(e["id"]), rs in POINT, kind), []).append(e["id"])
    groups: dict[str, dict[str, str]] = {}
    for n, (_, members) in enumerate(sorted(classes.items())):
        split = rng.randint(1, 2)
        for i in members:
            if rng.random() < 0.85:
                g = f"G{n}-{rng.randrange(split)}"
                by_id[i]["peer_group"] = g
                if g not in groups and rng.random() < 0.6:
                    groups[g] = {"ratio": rng.choice(RATIOS)}
    if groups or rng.random() < 0.5:
        doc["peer_groups"] = groups


def regroup(seed: int) -> dict[str, Any]:
    """A population whose peer groups are drawn at random across dependency depths (same kind
    of ranking key): often invalid by 9.7 (a dependency inside a group, groups depending on each
    other, also through a third group), which the engine must see as the reference does."""
    doc = generate(seed)
    rng = random.Random(-seed - 1)
    rules = dict(doc.get("rules") or {})
    year = doc["year"]
    rules.setdefault("party", "qd124" if year <= 2024 else "qd366")
    rules.setdefault("state", "nd90" if year <= 2025 else "nd335")
    n = rng.randint(2, 5)
    for e in doc["evaluations"]:
        e.pop("peer_group", None)
        rs = rules["party"] if e["subject"] == "collective" else rules[e["track"]]
        if rng.random() < 0.25:
            e["peer_group"] = f"R{rs in POINT}{rng.randrange(n)}"
    return doc


#: odd values for one key: wrong types, out of range, null, ids of every kind (via `mutate`)
ODD_VALUES: list[Any] = [
    None, True, False, -1, 0, 1, 2, 3, 6, 12, 13, 0.5, 1.5, 50, 100, 100.5, "x", "", [], {}, 2**70,
    "2025-01-01", "2025-W01-1", "active", "exempt", "good", "poor", "staff", "state", "party",
    {"previous": 1, "remedied": 1}, {"previous": 2, "remedied": 3}, [{"year": 2025}],
    [{"year": 2025, "duty_related": True, "self_remedied": True}], [{"year": "2025"}],
    {"assigned": 3, "completed": 3, "on_time": 2, "exceeded": 1},
    {"assigned": 3, "completed": 4, "on_time": 2, "exceeded": 1},
]  # fmt: skip
ODD_TOP: list[tuple[str, list[Any]]] = [
    ("year", [2017, 2018, 2022, 2023, 2100, 2101, "2025", 2025.5]),
    ("caps", [[], ["x"], ["head_le_unit"], "head_le_unit", None]),
    ("rules", [{}, {"party": "qd366"}, {"state": "nd335"}, {"party": "nd90"}, {"x": "qd366"}, None,
               {"party": "haiphong212"}, {"state": "haiphong212"}]),
    ("peer_groups", [{}, {"G0-0": {"ratio": "0.3"}}, {"G0-0": {"ratio": "0"}}, {"G0-0": {}},
                     {"G0-0": None}, {"Z": {"ratio": "0.25"}}, []]),
]  # fmt: skip
EV_KEYS = sorted(
    [
        "id",
        "subject",
        "role",
        "track",
        "peer_group",
        "score",
        "general",
        "results_grade",
        "tasks",
        "leads",
        "head_of",
        "manages",
        "leadership_of",
        "state_evaluation",
        "parent",
        "discipline",
        "degradation",
        "prohibition_violation",
        "shortcomings",
        "low_confidence_share",
        "socioeconomic_targets_failed",
        "corruption_in_managed_unit",
        "cadre_work_wrongdoing",
        "months_worked",
        "absent_months",
        "maternity",
        "party_admission",
        "party_status",
    ]
)


def mutate(seed: int) -> dict[str, Any]:
    """A generated population with one key set to an odd value, deleted, or a top-level key
    replaced: valid or not, the engine must decide as the reference does."""
    rng = random.Random(seed)
    doc = generate(seed)
    evs = doc["evaluations"]
    ids = [e["id"] for e in evs]
    if rng.random() < 0.2:
        key, values = rng.choice(ODD_TOP)
        doc[key] = rng.choice(values)
        return doc
    ev = rng.choice(evs)
    key = rng.choice(EV_KEYS)
    if rng.random() < 0.15:
        ev.pop(key, None)
    else:
        pool = ODD_VALUES + ids + [[rng.choice(ids)], [rng.choice(ids), rng.choice(ids)]]
        ev[key] = rng.choice(pool)
    return doc
