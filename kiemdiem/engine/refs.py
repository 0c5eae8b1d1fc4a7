"""References and the evaluation order (contract sections 7, 9.1, 9.6, 9.7, 9.24).

``prepare`` resolves every reference of a request (ids, kinds), gathers the peer groups, picks
each evaluation's compiled plan and computes the order in which the evaluations can be
decided; ``place``/``quote`` name an evaluation or a value in a message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from heapq import heappop, heappush

from kiemdiem.engine import ruleset as registry
from kiemdiem.engine.model import CAP_NAMES, Evaluation
from kiemdiem.engine.ruleset import Plan


def place(i: int, ev_id: object) -> str:
    """``evaluations[3] (id "P17")``: how every message names an evaluation."""
    if isinstance(ev_id, str):
        return f"evaluations[{i}] (id {quote(ev_id)})"
    return f"evaluations[{i}]"


def quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def ruleset_name(ev: Evaluation, rules: Mapping[str, str]) -> str | None:
    """Collectives are rated under the party-side rule set; individuals under their track's."""
    if ev.subject == "collective":
        return rules.get("party")
    return rules.get(ev.track) if ev.track is not None else None


class Prepared:
    """The resolved request: rules, a plan per evaluation, groups and the evaluation order."""

    __slots__ = (
        "caps",
        "group_of_rep",
        "groups",
        "index",
        "plans",
        "ratios",
        "rules",
        "steps",
    )

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}
        self.caps: frozenset[str] = frozenset(CAP_NAMES)
        self.ratios: dict[str, str] = {}
        self.index: dict[str, int] = {}
        self.plans: list[Plan] = []
        self.groups: dict[str, list[int]] = {}
        self.group_of_rep: dict[int, str] = {}
        self.steps: list[int] = []


def build_index(ids: Sequence[object]) -> tuple[dict[str, int], list[str]]:
    """Id → input position; a repeated id is invalid (section 1)."""
    index: dict[str, int] = {}
    errors: list[str] = []
    setdefault = index.setdefault
    for i, ev_id in enumerate(ids):
        if type(ev_id) is not str:
            continue
        j = setdefault(ev_id, i)
        if j != i:
            errors.append(f"{place(i, ev_id)}: duplicate id, first used at evaluations[{j}]")
    return index, errors


REF_FIELDS = ("state_evaluation", "head_of", "leads", "leadership_of", "parent")
_REF_KINDS = {
    "state_evaluation": "a state-track individual",
    "leads": "an organization or party_organization",
    "leadership_of": "an organization or party_organization",
    "head_of": "a collective",
    "manages": "a collective",
    "parent": "a collective",
}


def _kind_ok(field: str, t: Evaluation) -> bool:
    """9.1: references must name the right kind of evaluation."""
    if field == "state_evaluation":
        return t.subject == "individual" and t.track == "state"
    if field in ("leads", "leadership_of"):
        return t.role == "organization" or t.role == "party_organization"
    return t.subject == "collective"


#: Scan = (a plan per evaluation, the members of each peer group, the positions of the
#: evaluations that name another): what ``prepare`` needs from each evaluation. ``parse``
#: records it while it reads each evaluation; ``scan`` does it for evaluations built in Python.
Scan = tuple[list["Plan | None"], dict[str, list[int]], list[int]]


def scan(evs: Sequence[Evaluation | None], rules: Mapping[str, str]) -> Scan:
    """The plans, peer groups and referring evaluations of ``evs`` (``None``: invalid)."""
    plans: list[Plan | None] = [None] * len(evs)
    plan_cache: dict[tuple[str, str | None], Plan | None] = {}
    groups: dict[str, list[int]] = {}
    linked: list[int] = []
    for i, ev in enumerate(evs):
        if ev is None:
            continue
        key = (ev.role, ev.track)
        if key in plan_cache:
            p = plan_cache[key]
        else:
            name = ruleset_name(ev, rules)
            p = registry.plan(name, ev.role) if name is not None else None
            plan_cache[key] = p
        plans[i] = p
        g = ev.peer_group
        if g is not None:
            members = groups.get(g)
            if members is None:
                groups[g] = [i]
            else:
                members.append(i)
        if (not ev.__dict__.keys().isdisjoint(REF_FIELDS)) or ev.manages:
            linked.append(i)
    return plans, groups, linked


def prepare(
    year: int,
    rules: Mapping[str, str],
    caps: Sequence[str],
    ratios: Mapping[str, str],
    evs: Sequence[Evaluation | None],
    index: dict[str, int],
    errors: list[str],
    order: bool = True,
    scanned: Scan | None = None,
) -> Prepared:
    """Resolve references (9.1), peer groups (9.6) and the evaluation order (section 7, 9.7).

    ``evs`` may hold ``None`` for evaluations that failed field checks (their ids are still in
    ``index``), so that one run reports reference errors beside field errors. The order is only
    computed when ``order`` is true and nothing is wrong so far. ``scanned`` is what ``scan``
    would return, when the caller recorded it already.
    """
    prep = Prepared()
    prep.rules = dict(rules)
    prep.caps = frozenset(caps)
    prep.ratios = dict(ratios)
    prep.index = index
    plans, groups, linked = scanned if scanned is not None else scan(evs, rules)
    src: list[int] = []
    dst: list[int] = []
    for i in linked:
        ev: Evaluation = evs[i]  # type: ignore[assignment]
        _link(i, ev, evs, index, errors, src, dst)
        if ev.manages:
            _link_managed(i, ev, evs, index, errors, src, dst)
    _check_groups(groups, plans, errors)
    prep.plans = plans  # type: ignore[assignment]
    prep.groups = groups
    if order and not errors:
        prep.steps, prep.group_of_rep = _order(evs, groups, src, dst, errors)  # type: ignore[arg-type]
    return prep


def _link(
    i: int,
    ev: Evaluation,
    evs: Sequence[Evaluation | None],
    index: dict[str, int],
    errors: list[str],
    src: list[int],
    dst: list[int],
) -> None:
    """The single references (9.1): known ids of the right kind; section 7's dependencies."""
    # Section 7: B depends on A when B names A; a parent depends on its sub-units.
    d = ev.__dict__
    for field in REF_FIELDS:
        if field not in d:  # cheaper than a call per field: most name one reference or none
            continue
        ref = d[field]
        if ref is None:  # an ``Evaluation`` built in Python carries every field
            continue
        j = index.get(ref)
        if j is None:
            errors.append(
                f"{place(i, ev.id)}: {field} {quote(ref)} is not the id of any evaluation"
            )
            continue
        t = evs[j]
        if t is None:
            ok = True
        elif field == "state_evaluation":  # _kind_ok, inlined
            ok = t.subject == "individual" and t.track == "state"
        elif field == "leads" or field == "leadership_of":
            ok = t.role == "organization" or t.role == "party_organization"
        else:
            ok = t.subject == "collective"
        if not ok:
            errors.append(f"{place(i, ev.id)}: {field} {quote(ref)} must name {_REF_KINDS[field]}")
            continue
        if field == "parent":
            src.append(i)
            dst.append(j)
        else:
            src.append(j)
            dst.append(i)


def _link_managed(
    i: int,
    ev: Evaluation,
    evs: Sequence[Evaluation | None],
    index: dict[str, int],
    errors: list[str],
    src: list[int],
    dst: list[int],
) -> None:
    """``manages`` (9.1): each id once, naming a collective; a leader depends on them."""
    seen: set[str] = set()
    for k, ref in enumerate(ev.manages):
        if ref in seen:
            errors.append(f"{place(i, ev.id)}: manages[{k}] {quote(ref)} is listed twice")
            continue
        seen.add(ref)
        j = index.get(ref)
        if j is None:
            errors.append(
                f"{place(i, ev.id)}: manages[{k}] {quote(ref)} is not the id of any evaluation"
            )
            continue
        t = evs[j]
        if t is not None and not _kind_ok("manages", t):
            errors.append(f"{place(i, ev.id)}: manages[{k}] {quote(ref)} must name a collective")
            continue
        src.append(j)
        dst.append(i)


def _check_groups(
    groups: dict[str, list[int]], plans: Sequence[Plan | None], errors: list[str]
) -> None:
    """9.6: a peer group's ranking keys must be comparable."""
    for g, members in groups.items():
        kinds = {p.kind for m in members if (p := plans[m]) is not None}
        if len(kinds) > 1:
            errors.append(
                f"peer group {quote(g)}: mixes point rule sets and grade rule sets "
                f"({', '.join(sorted({p.name for m in members if (p := plans[m]) is not None}))})"
            )


def _order(
    evs: Sequence[Evaluation],
    groups: dict[str, list[int]],
    src: list[int],
    dst: list[int],
    errors: list[str],
) -> tuple[list[int], dict[int, str]]:
    """Kahn's algorithm over the graph where each peer group is one node (section 7, 9.7, 9.24).

    Returns the steps (an evaluation's position, or ``-1 - p`` for the peer group whose first
    member is at ``p``) and the group of each such first member.

    A group's node sits at its first member's input position; ties are broken by input
    position (smallest first), and a group's members are emitted together in input order.
    A self-loop on a group node is a dependency between members; any cycle is invalid.
    """
    n = len(evs)
    node = list(range(n))
    group_of_rep: dict[int, str] = {}
    for g, members in groups.items():
        rep = members[0]
        group_of_rep[rep] = g
        for m in members:
            node[m] = rep
    indeg = [0] * n
    succ: dict[int, list[int]] = {}
    said: set[str] = set()
    for u, v in zip(src, dst, strict=True):
        a = node[u]
        b = node[v]
        if a == b:
            if u == v:
                message = f"{place(v, evs[v].id)}: refers to itself (dependency cycle)"
            else:
                g = quote(evs[v].peer_group or "")
                message = f"{place(v, evs[v].id)}: depends on {quote(evs[u].id)} of the same peer group {g}"
            if message not in said:  # two fields naming the same evaluation: one message
                said.add(message)
                errors.append(message)
            continue
        lst = succ.get(a)
        if lst is None:
            succ[a] = [b]
        else:
            lst.append(b)
        indeg[b] += 1
    ready = [i for i in range(n) if node[i] == i and indeg[i] == 0]
    heap: list[int] = []
    steps: list[int] = []
    p = 0
    r = len(ready)
    while True:
        if heap and (p >= r or heap[0] < ready[p]):
            u = heappop(heap)
        elif p < r:
            u = ready[p]
            p += 1
        else:
            break
        steps.append(u if u not in group_of_rep else -1 - u)
        s = succ.get(u)
        if s is not None:
            for v in s:
                d = indeg[v] - 1
                indeg[v] = d
                if d == 0:
                    heappush(heap, v)
    nodes = n - sum(len(members) - 1 for members in groups.values())  # a group is one node
    if len(steps) < nodes and not errors:
        errors.append(_cycle_message(evs, succ, indeg, group_of_rep))
    return steps, group_of_rep


def _cycle_message(
    evs: Sequence[Evaluation],
    succ: dict[int, list[int]],
    indeg: list[int],
    group_of_rep: dict[int, str],
) -> str:
    pred: dict[int, int] = {}
    for a, bs in succ.items():
        if indeg[a] > 0:
            for b in bs:
                if indeg[b] > 0:
                    pred.setdefault(b, a)
    start = min(pred)
    seen: dict[int, int] = {}
    path: list[int] = []
    u = start
    while u not in seen:
        seen[u] = len(path)
        path.append(u)
        u = pred[u]
    cycle = path[seen[u] :][::-1]
    cycle.append(cycle[0])

    def name(x: int) -> str:
        g = group_of_rep.get(x)
        return f"peer group {quote(g)}" if g is not None else quote(evs[x].id)

    chain = " → ".join(name(x) for x in cycle)
    groups_in = [group_of_rep[x] for x in cycle[:-1] if x in group_of_rep]
    if groups_in:
        if len(set(groups_in)) == 1:
            what = "its members depend on each other through other evaluations"
        else:
            what = "peer groups depend on each other"
        return f"peer_groups[{quote(groups_in[0])}]: {what}: {chain}"
    first = min(cycle)
    return f"{place(first, evs[first].id)}: dependency cycle: {chain}"
