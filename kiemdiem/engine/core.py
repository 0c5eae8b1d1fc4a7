"""The engine core: decide, cap, apply the quota (contract sections 4–6, 9); the references
and the order are resolved in ``refs``.

This module never names a rule set except in ``DEFAULT_RULES`` (the contract's table of
defaults by review year, section 2). Everything rule-set specific is in a compiled ``Plan``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kiemdiem.engine import ruleset as registry
from kiemdiem.engine.model import (
    CAP_NAMES,
    HTTNV,
    HTXSNV,
    KHTNV,
    LEVEL_NAMES,
    NOT_RATED,
    QUOTA_TIE,
    REVIEW_REQUIRED,
    ClassifyInput,
    Evaluation,
    QuotaRow,
    Reason,
    Result,
)
from kiemdiem.engine.refs import Prepared, build_index, place, prepare, quote, ruleset_name
from kiemdiem.engine.ruleset import Plan

DEFAULT_RATIO = "0.20"
MAX_RATIO = Decimal("0.25")

#: Contract section 2, ``rules``, and 9.5: (first year, last year, rule set) per track; before
#: 2023 there is no default (both tracks must be named).
DEFAULT_RULES: dict[str, tuple[tuple[int, int, str], ...]] = {
    "party": ((2023, 2024, "qd124"), (2025, 9999, "qd366")),
    "state": ((2023, 2025, "nd90"), (2026, 9999, "nd335")),
}
TRACKS = ("party", "state")

NO_LEVEL_REVIEW = "no level's conditions all hold: the competent level decides"

#: The cross caps (contract section 5), in the order they apply (9.13): the cap's name in the
#: input's ``caps``, its rule id, the reference naming the evaluation whose final level it may
#: not exceed, and the ``Plan`` attribute telling which evaluations it applies to.
CROSS_CAPS: tuple[tuple[str, str, str, str], ...] = (
    ("party_le_state", "X-3", "state_evaluation", "party_individual"),
    ("head_le_unit", "X-4", "head_of", "individual"),
    ("leadership_le_unit", "X-5", "leadership_of", "leadership"),
)

# A reason is (rule, effect, detail); kept as a tuple on the hot path. An evaluation's reasons
# are that one tuple when it has one (most have: no list per evaluation), else a list.
ReasonT = tuple[str, str, str]
Reasons = ReasonT | list[ReasonT]


def reasons_of(rs: Reasons) -> Sequence[ReasonT]:
    """An evaluation's reasons as a sequence, whichever way they are kept."""
    return rs if isinstance(rs, list) else (rs,)


def add_reason(reasons: list[Reasons], i: int, reason: ReasonT) -> None:
    """Append a reason to evaluation ``i``'s (a list from the second one on)."""
    rs = reasons[i]
    if isinstance(rs, list):
        rs.append(reason)
    else:
        reasons[i] = [rs, reason]


class InvalidInput(Exception):
    """Invalid input (contract section 1): ``messages`` each name the offending place."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages: list[str] = list(messages)


def resolve_rules(year: int, named: Mapping[str, str], errors: list[str]) -> dict[str, str]:
    """Effective rule set per track (section 2 ``rules``; 9.5): a named track wins, the other
    defaults from the year; before 2023 both must be named; a rule set must be on its track."""
    out: dict[str, str] = {}
    for track in TRACKS:
        name = named.get(track)
        if name is not None:
            if not registry.exists(name):
                known = ", ".join(registry.available())
                errors.append(f"rules.{track}: unknown rule set {quote(name)} (known: {known})")
                continue
            rs = registry.load(name)
            if rs.track != track:
                errors.append(f"rules.{track}: {quote(name)} is a {rs.track}-track rule set")
                continue
            out[track] = name
            continue
        for first, last, default in DEFAULT_RULES[track]:
            if first <= year <= last:
                out[track] = default
                break
        else:
            errors.append(f"rules.{track}: no default rule set for year {year}; name one in rules")
    return out


class Context:
    """What predicates may read besides the evaluation itself."""

    __slots__ = ("evaluations", "index", "levels", "mid_year", "year")

    def __init__(
        self, year: int, evaluations: Sequence[Evaluation], index: dict[str, int], levels: list[int]
    ) -> None:
        self.year = year
        self.mid_year = f"{year:04d}-06-30"
        self.evaluations = evaluations
        self.index = index
        self.levels = levels


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class ClassifyOutput:
    """The outcome (contract section 3), kept column-wise so a million rows stay cheap.

    ``results`` builds ``Result`` objects on demand; ``kiemdiem.engine.output`` writes JSON
    straight from the columns.
    """

    year: int
    rules: tuple[tuple[str, str], ...]
    ids: Sequence[str]
    levels: Sequence[int]
    base_levels: Sequence[int]
    flags: Sequence[str | None]
    reasons: Sequence[Reasons]  # see ``reasons_of``
    quota: tuple[QuotaRow, ...]
    order: Sequence[str]

    def result(self, i: int) -> Result:
        f = self.flags[i]
        return Result(
            id=self.ids[i],
            level=LEVEL_NAMES[self.levels[i]],
            base_level=LEVEL_NAMES[self.base_levels[i]],
            flags=(f,) if f is not None else (),
            reasons=tuple(Reason(*r) for r in reasons_of(self.reasons[i])),
        )

    @property
    def results(self) -> tuple[Result, ...]:
        return tuple(self.iter_results())

    def iter_results(self) -> Iterator[Result]:
        for i in range(len(self.ids)):
            yield self.result(i)


# --------------------------------------------------------------------------- classification


_RATIOS: dict[str, tuple[int, int]] = {}


def _ratio(text: str) -> tuple[int, int]:
    r = _RATIOS.get(text)
    if r is None:
        f = Fraction(Decimal(text))
        r = f.numerator, f.denominator
        if len(_RATIOS) < 10_000:
            _RATIOS[text] = r
    return r


def classify(request: ClassifyInput, fixed: Mapping[str, int] | None = None) -> ClassifyOutput:
    """Classify every evaluation of ``request`` (contract sections 4–7).

    ``fixed`` maps ids to levels already decided by the competent level (decisions.md §3):
    caps, ``manages`` conditions and quotas read those instead of the computed ones.

    Raises ``InvalidInput`` for what only the whole request shows (unknown rule sets, unknown or
    wrong-kind references, mixed peer groups, dependency cycles) when ``request`` was not built
    by ``parse_input``, which reports those itself.
    """
    prep = request.prepared
    if not isinstance(prep, Prepared):
        prep = prepare_request(request)
    return run(request.year, request.evaluations, prep, fixed)


def prepare_request(request: ClassifyInput) -> Prepared:
    errors: list[str] = []
    if not 2018 <= request.year <= 2100:
        raise InvalidInput([f"year: {request.year} is outside 2018–2100"])
    rules = resolve_rules(request.year, dict(request.rules), errors)
    for i, c in enumerate(request.caps):
        if c not in CAP_NAMES:
            errors.append(f"caps[{i}]: unknown cap {quote(c)}")
    for g, ratio in request.peer_groups:
        try:
            ok = Decimal(ratio) <= MAX_RATIO and Decimal(ratio) >= 0
        except ArithmeticError:
            ok = False
        if not ok:
            errors.append(f"peer_groups[{quote(g)}].ratio: {quote(ratio)} is not a ratio 0–0.25")
    evs = request.evaluations
    for i, ev in enumerate(evs):
        if ruleset_name(ev, rules) is None and not errors:
            errors.append(f"{place(i, ev.id)}: track: an individual needs track party or state")
    if errors:
        raise InvalidInput(errors)
    index, errors = build_index([ev.id for ev in evs])
    prep = prepare(request.year, rules, request.caps, dict(request.peer_groups), evs, index, errors)
    if errors:
        raise InvalidInput(errors)
    return prep


def run(
    year: int,
    evs: Sequence[Evaluation],
    prep: Prepared,
    fixed: Mapping[str, int] | None = None,
) -> ClassifyOutput:
    """Decide every evaluation in the prepared order; apply the quota group by group."""
    n = len(evs)
    levels = [NOT_RATED] * n
    base = [NOT_RATED] * n
    flags: list[str | None] = [None] * n
    reasons: list[Reasons] = [[]] * n  # every slot is replaced below
    index = prep.index
    ctx = Context(year, evs, index, levels)
    plans = prep.plans
    caps = prep.caps
    enabled = [cap for cap in CROSS_CAPS if cap[0] in caps]
    caps_of: dict[Plan, list[tuple[str, str, str]]] = {}
    names = LEVEL_NAMES
    group_of_rep = prep.group_of_rep
    groups = prep.groups
    quota_rows: list[QuotaRow] = []

    seq = _sequence(prep)
    # Decided levels (``fixed``) replace the computed ones for what reads them later; the
    # results still report the computed ones (``computed``), i.e. what the rules suggest.
    computed: dict[int, int] = {}
    grouped = {m for members in groups.values() for m in members} if fixed else set()
    for i in seq:
        if i < 0:
            g = group_of_rep[-1 - i]
            quota_rows.append(_quota(g, groups[g], prep, evs, levels, flags, reasons))
            if fixed:  # after the group's quota, its decided members stand for dependents
                for m in groups[g]:
                    _fix(m, evs, levels, fixed, computed)
            continue
        ev = evs[i]
        plan = plans[i]
        # The compiled common cases (no exclusion, knock-out or own cap; a level holds or none).
        fast = plan.fast(ev, ctx)
        rs: Reasons
        if fast is not None:
            lv, rs = fast  # one reason, kept as it is (no list) unless another follows
            if lv < 0:  # no level's conditions all hold: as _decide does
                rs = [rs, (plan.no_level_review, "review", NO_LEVEL_REVIEW)]
                lv = KHTNV
                flags[i] = REVIEW_REQUIRED
            base[i] = lv
        else:
            rs = []
            base[i], lv, flag = _decide(ev, plan, ctx, rs)
            if flag is not None:
                flags[i] = flag
        reasons[i] = rs
        # Section 5: cross caps, in the table's order (9.13), reading final levels.
        if lv > KHTNV:
            mine = caps_of.get(plan)
            if mine is None:
                mine = caps_of[plan] = [(n, r, f) for n, r, f, who in enabled if getattr(plan, who)]
            for cap, rule, field in mine:
                ref = getattr(ev, field)
                if ref is not None:
                    other = levels[index[ref]]
                    if other != NOT_RATED and lv > other:
                        text = f"{cap}: {ref} is {names[other]}, was {names[lv]}"
                        add_reason(reasons, i, (rule, "cap", text))
                        lv = other
        levels[i] = lv
        if fixed and i not in grouped:
            _fix(i, evs, levels, fixed, computed)

    for i, lv in computed.items():
        levels[i] = lv
    quota_rows.sort(key=lambda row: row.peer_group)
    # The index lists every id once, in input order, unless some are missing or repeated.
    ids = list(index) if len(index) == n else [ev.id for ev in evs]
    order = [ids[u] for u in seq if u >= 0]
    rules = tuple((t, prep.rules[t]) for t in TRACKS)
    return ClassifyOutput(year, rules, ids, levels, base, flags, reasons, tuple(quota_rows), order)


def _sequence(prep: Prepared) -> list[int]:
    """One flat pass in the evaluation order; a negative entry closes a peer group (its quota
    is applied once all its members are decided)."""
    seq: list[int] = []
    for u in prep.steps:
        if u >= 0:
            seq.append(u)
        else:
            seq.extend(prep.groups[prep.group_of_rep[-1 - u]])
            seq.append(u)
    return seq


def _fix(
    i: int,
    evs: Sequence[Evaluation],
    levels: list[int],
    fixed: Mapping[str, int],
    computed: dict[int, int],
) -> None:
    """Put the decided level of evaluation ``i`` (if any) where dependents read it."""
    level = fixed.get(evs[i].id)
    if level is not None:
        computed[i] = levels[i]
        levels[i] = level


def _decide(
    ev: Evaluation, plan: Plan, ctx: Context, rs: list[ReasonT]
) -> tuple[int, int, str | None]:
    """Section 4, interpreted: (base level, level after own caps, flag), reasons into ``rs``.

    Used whenever the compiled fast path declines: exclusions, knock-outs, no level, own caps.
    """
    flag = None
    lv = -1
    # Step 1: exclusions (366-3, 124-2, ND90-2); collectives never (9.9, by the plans).
    for rule, fn in plan.exclusions:
        d = fn(ev, ctx)
        if d is not None:
            rs.append((rule, "exclusion", d))
            lv = NOT_RATED
    if lv == NOT_RATED:
        return NOT_RATED, NOT_RATED, None
    # Step 2: knock-outs, every one listed (9.11); mitigation flags REVIEW (366-27).
    review = None
    for rule, fn, rrule, rfn in plan.knockouts:
        d = fn(ev, ctx)
        if d is not None:
            rs.append((rule, "knockout", d))
            lv = KHTNV
            if rfn is not None and review is None:
                rd = rfn(ev, ctx)
                if rd is not None:
                    review = (rrule or "", "review", rd)
    if lv == KHTNV:
        if review is not None:
            rs.append(review)
            flag = REVIEW_REQUIRED
        return KHTNV, KHTNV, flag
    # Step 3: the highest level whose conditions all hold (4.2); else KHTNV + review (9.12).
    for level, rule, conds, score_text in plan.levels:
        for cond in conds:
            if not cond(ev, ctx):
                break
        else:
            rs.append((rule, "base", "; ".join([f(ev, ctx, score_text) for f in plan.facts])))
            lv = level
            break
    else:
        lowest = plan.levels[-1]
        what = "; ".join([f(ev, ctx, lowest[3]) for f in plan.facts])
        rs.append((lowest[1], "base", f"no level's conditions all hold ({what})"))
        rs.append((plan.no_level_review, "review", NO_LEVEL_REVIEW))
        return KHTNV, KHTNV, REVIEW_REQUIRED
    base = lv
    # Step 4: own caps (ND90-3 …), individuals only, a reason only when it lowers (9.13).
    for rule, fn, limit in plan.own_caps:
        if lv > limit:
            d = fn(ev, ctx)
            if d is not None:
                rs.append((rule, "cap", d))
                lv = limit
    return base, lv, flag


_EXACT_FLOAT_DENOMINATOR = 1 << 26


def _rank_key(ev: Evaluation, kind: str) -> object:
    """Section 6 and 9.22: points by score; grades by e/a, then t/a of the own tasks."""
    if kind == "points":
        return ev.score
    t = ev.tasks
    if t is None:
        return (0.0, 0.0)
    a = t.assigned
    if a < _EXACT_FLOAT_DENOMINATOR:
        # Two fractions with denominators below 2**26 differ by at least 2**-52 and equal
        # fractions round to the same double: the float order is the exact order (9.18).
        return (t.exceeded / a, t.on_time / a)
    return (Fraction(t.exceeded, a), Fraction(t.on_time, a))


def _quota(
    g: str,
    members: list[int],
    prep: Prepared,
    evs: Sequence[Evaluation],
    levels: list[int],
    flags: list[str | None],
    reasons: list[Reasons],
) -> QuotaRow:
    """366-19, 124-14, ND90-9, ND335-5 with 6, 9.19–9.23: k = floor(P·r/(1+r)), exactly."""
    ratio = prep.ratios.get(g, DEFAULT_RATIO)
    num, den = _ratio(ratio)
    p = 0
    cands: list[int] = []
    for m in members:
        lv = levels[m]
        if lv == HTXSNV:
            p += 1
            cands.append(m)
        elif lv == HTTNV:
            p += 1
    k = (p * num) // (den + num)
    demoted: list[int] = []
    if len(cands) > k:
        kind = prep.plans[cands[0]].kind
        keyed = [(_rank_key(evs[m], kind), m) for m in cands]
        # Stable: equal keys keep input order, which only affects the "ranked" text (9.22).
        order = sorted(range(len(keyed)), key=lambda x: keyed[x][0], reverse=True)  # type: ignore[arg-type,return-value]
        tie_key: object = None
        tie = k > 0 and keyed[order[k - 1]][0] == keyed[order[k]][0]
        if tie:
            tie_key = keyed[order[k]][0]
        for pos, x in enumerate(order, 1):
            key, m = keyed[x]
            tied = tie and key == tie_key
            if pos <= k and not tied:
                continue
            levels[m] = HTTNV
            text = f"peer group {g} allows {k} HTXSNV of {p}; ranked {pos}"
            if tied:
                text += "; tied at the boundary"
                flags[m] = QUOTA_TIE
            add_reason(reasons, m, (prep.plans[m].quota_rule, "quota", text))
            demoted.append(m)
    demoted.sort()
    excellent = sum(1 for m in members if levels[m] == HTXSNV)
    return QuotaRow(
        peer_group=g,
        ratio=ratio,
        eligible=p,
        max_excellent=k,
        excellent=excellent,
        demoted=tuple(evs[m].id for m in demoted),
    )
