"""Reading and checking the input (contract sections 1, 2 and 9.1–9.8).

``parse_input`` turns the parsed JSON document into frozen ``ClassifyInput``/``Evaluation``
objects and reports *every* problem it can find in one pass: all field errors of all
evaluations, then the reference errors of the evaluations whose own fields were readable, so
that a single run names e.g. both ``evaluations[1] (id "B"): tasks.completed …`` and
``evaluations[2] (id "C"): state_evaluation "Z" …``. Dependency cycles are looked for once
everything else is valid.

Numbers must be real JSON numbers (9.2): ``int`` (never ``bool``) for counts, ``int`` or
``Decimal`` for decimals — ``load_json`` parses non-integers as ``Decimal`` so that nothing is
rounded (9.18).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kiemdiem.engine import ruleset as registry
from kiemdiem.engine.core import MAX_RATIO, InvalidInput, resolve_rules
from kiemdiem.engine.fields import (
    EVAL_KEYS,
    GROUPED,
    REFERS,
    UNKNOWN_KEY,
    check_values,
    show,
)
from kiemdiem.engine.model import (
    CAP_NAMES,
    ClassifyInput,
    Evaluation,
)
from kiemdiem.engine.refs import Scan, place, prepare, quote
from kiemdiem.engine.ruleset import Plan

_set = object.__setattr__

TOP_KEYS = frozenset({"year", "rules", "caps", "peer_groups", "evaluations"})
SUBJECTS = {"individual": "individual", "collective": "collective"}
ROLES_BY_SUBJECT = {
    "individual": {"leader": "leader", "staff": "staff", "party_outside": "party_outside"},
    "collective": {
        "organization": "organization",
        "party_organization": "party_organization",
        "leadership": "leadership",
    },
}
TRACKS = {"party": "party", "state": "state"}
RATIO_RE = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def decode_json(raw: bytes, source: str = "input") -> str:
    """The text of a JSON file's bytes, as ``json.loads`` would decode them (UTF-8, -16 or -32,
    by the BOM or the first bytes). Decoding apart lets the caller drop the bytes before the
    document is built: a 1M input's peak memory is then the text and the objects, not the
    bytes as well (bench/ENGINE_RESULTS.md)."""
    try:
        return raw.decode(json.detect_encoding(raw), "surrogatepass")
    except UnicodeDecodeError as exc:
        raise InvalidInput([f"{source}: malformed JSON: {exc}"]) from None


def load_json(text: str | bytes, source: str = "input") -> Any:
    """Parse JSON exactly: non-integers become ``Decimal``; NaN/Infinity are malformed."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [f"{source}: malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInput([f"{source}: malformed JSON: {exc}"]) from None


def parse_input(data: object) -> ClassifyInput:
    """Check a parsed JSON document and build the frozen request (contract sections 1, 2, 9).

    Raises ``InvalidInput`` listing every problem found. ``data`` is not modified.
    """
    return _parse(data, copy=True)


def _parse(data: object, copy: bool) -> ClassifyInput:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InvalidInput(["input: must be a JSON object"])
    for k in sorted(data.keys() - TOP_KEYS):
        errors.append(f"{k}: unknown top-level key")
    year = data.get("year")
    year_ok = type(year) is int and 2018 <= year <= 2100
    if "year" not in data:
        errors.append("year: is required")
    elif not year_ok:
        errors.append(f"year: must be an integer 2018–2100, not {show(year)}")
    named, rules_ok = _named_rules(data, errors)
    rules: dict[str, str] = {}
    if year_ok and rules_ok:
        n_before = len(errors)
        rules = resolve_rules(year, named, errors)  # type: ignore[arg-type]
        rules_ok = len(errors) == n_before
    caps = _caps(data, errors)
    ratios = _ratios(data, errors)
    raw_evs = data.get("evaluations")
    if "evaluations" not in data:
        errors.append("evaluations: is required")
        raw_evs = []
    elif not isinstance(raw_evs, list):
        errors.append("evaluations: must be a list")
        raw_evs = []

    plan_rules = rules if rules_ok and year_ok else None
    evs, index, scanned = _evaluations(raw_evs, plan_rules, errors, copy)
    prepared = None
    if plan_rules is not None:
        prepared = prepare(
            year,  # type: ignore[arg-type]
            rules,
            caps,
            ratios,
            evs,
            index,
            errors,
            order=len(errors) == 0,
            scanned=scanned,
        )
    if errors:
        raise InvalidInput(errors)
    request = ClassifyInput(
        year=year,  # type: ignore[arg-type]
        evaluations=tuple(evs),  # type: ignore[arg-type]
        rules=tuple(sorted(named.items())),
        caps=caps,
        peer_groups=tuple(ratios.items()),
    )
    _set(request, "prepared", prepared)
    return request


def _named_rules(data: dict[str, Any], errors: list[str]) -> tuple[dict[str, str], bool]:
    """``rules`` (section 2) as given: rule-set name by track; false when malformed."""
    named: dict[str, str] = {}
    rules_ok = True
    if "rules" in data:
        raw_rules = data["rules"]
        if not isinstance(raw_rules, dict):
            errors.append("rules: must be an object")
            rules_ok = False
        else:
            for k, v in raw_rules.items():
                if k not in ("party", "state"):
                    errors.append(f"rules.{k}: unknown track (party or state)")
                    rules_ok = False
                elif type(v) is not str:
                    errors.append(f"rules.{k}: must be a rule-set name, not {show(v)}")
                    rules_ok = False
                else:
                    named[k] = v
    return named, rules_ok


def _caps(data: dict[str, Any], errors: list[str]) -> tuple[str, ...]:
    """``caps`` (section 2): known cap names; default all three."""
    caps: tuple[str, ...] = CAP_NAMES
    if "caps" in data:
        raw_caps = data["caps"]
        if not isinstance(raw_caps, list):
            errors.append("caps: must be a list")
        else:
            for i, c in enumerate(raw_caps):
                if c not in CAP_NAMES:
                    errors.append(f"caps[{i}]: unknown cap {show(c)} ({', '.join(CAP_NAMES)})")
            caps = tuple(c for c in raw_caps if c in CAP_NAMES)
    return caps


def _ratios(data: dict[str, Any], errors: list[str]) -> dict[str, str]:
    """``peer_groups`` (section 2): a decimal-string ratio per group, at most 0.25 (366-19)."""
    ratios: dict[str, str] = {}
    if "peer_groups" in data:
        raw_groups = data["peer_groups"]
        if not isinstance(raw_groups, dict):
            errors.append("peer_groups: must be an object")
        else:
            for g, spec in raw_groups.items():
                where = f"peer_groups[{quote(g)}]"
                if not isinstance(spec, dict):
                    errors.append(f"{where}: must be an object")
                    continue
                for k in sorted(spec.keys() - {"ratio"}):
                    errors.append(f"{where}: unknown key {quote(k)} (only ratio)")
                if "ratio" in spec:
                    r = spec["ratio"]
                    if type(r) is not str or not RATIO_RE.fullmatch(r):
                        errors.append(
                            f'{where}.ratio: must be a decimal string such as "0.20", not {show(r)}'
                        )
                    elif Decimal(r) > MAX_RATIO:
                        errors.append(f"{where}.ratio: {r} exceeds 0.25 (366-19)")
                    else:
                        ratios[g] = r
    return ratios


#: What depends only on an evaluation's subject, role and track (2.1, 9.3): the canonical
#: strings, the messages they deserve and the fields the selected rule set requires.
RoleInfo = tuple[
    "str | None", "str | None", "str | None", tuple[str, ...], tuple[str, ...], str, "Plan | None"
]

#: ``subject``/``role``/``track`` absent (a JSON null is a different message).
_ABSENT = object()
_ROLE_KEYS_CACHED = 64


def _role_info(d: dict[str, Any], rules: Mapping[str, str] | None) -> RoleInfo:
    """Canonical subject/role/track, their messages, and the required fields (9.3, 9.4)."""
    head: list[str] = []
    raw_subject = d.get("subject")
    subject = SUBJECTS.get(raw_subject) if type(raw_subject) is str else None
    role = None
    track = None
    if subject is None:
        head.append(
            f"subject must be individual or collective, not {show(raw_subject)}"
            if "subject" in d
            else "subject is required"
        )
    else:
        roles = ROLES_BY_SUBJECT[subject]
        raw_role = d.get("role")
        role = roles.get(raw_role) if type(raw_role) is str else None
        if role is None:
            head.append(
                f"role must be one of {', '.join(roles)} for a {subject}, not {show(raw_role)}"
                if "role" in d
                else "role is required"
            )
        if subject == "individual":
            raw_track = d.get("track")
            track = TRACKS.get(raw_track) if type(raw_track) is str else None
            if track is None:
                head.append(
                    f"track must be party or state, not {show(raw_track)}"
                    if "track" in d
                    else "track is required for an individual"
                )
            elif role == "party_outside" and track != "party":
                head.append("track: a party_outside individual is party track only")
        elif "track" in d:
            head.append("track: a collective has no track (it is rated on the party side)")
    requires: tuple[str, ...] = ()
    name = ""
    plan = None
    if rules is not None and role is not None and (subject == "collective" or track is not None):
        name = rules.get("party" if subject == "collective" else track or "") or ""
        if name:
            requires = registry.load(name).requires
            plan = registry.plan(name, role)
    return subject, role, track, tuple(head), requires, name, plan


def _evaluations(
    raw_evs: list[Any], rules: Mapping[str, str] | None, errors: list[str], copy: bool
) -> tuple[list[Evaluation | None], dict[str, int], Scan]:
    """Check every evaluation's fields (2.1, 9.2–9.4; ``None`` and messages when invalid) and
    record, in the same pass, the id index and what ``refs.prepare`` needs (plans, peer groups,
    the evaluations that name another).

    One generic pass over the keys present, whatever their set and order (performance,
    section 8: no work depends on the key set beyond what each key costs)."""
    n = len(raw_evs)
    evs: list[Evaluation | None] = [None] * n
    plans: list[Plan | None] = [None] * n
    ids: list[str | None] = [None] * n
    groups: dict[str, list[int]] = {}
    linked: list[int] = []
    roles: dict[object, RoleInfo] = {}
    marks: list[tuple[int, int]] = []  # (evaluation, len(errors) after its messages)
    first = len(errors)
    errs: list[str] = []  # this evaluation's messages (emptied after each that has some)
    make = object.__new__
    set_dict = _SET_DICT
    for i, raw in enumerate(raw_evs):
        if type(raw) is not dict:
            errors.append(f"evaluations[{i}]: must be an object")
            marks.append((i, len(errors)))
            continue
        d: dict[str, Any] = dict(raw) if copy else raw
        ev_id = d.get("id")
        if type(ev_id) is str and ev_id:
            ids[i] = ev_id
        else:
            _bad_id(ev_id, ids, i, errs)
        try:  # subscripts: cheaper than calls, and subject and role are required anyway
            key = (d["subject"], d["role"], d.get("track", _ABSENT))
            info = roles.get(key)  # only string keys are stored: True == 1 must not collide
        except (KeyError, TypeError):
            key = (d.get("subject", _ABSENT), d.get("role", _ABSENT), d.get("track", _ABSENT))
            info = None
        if info is None:
            info = _role_info(d, rules)
            if len(roles) < _ROLE_KEYS_CACHED and all(type(x) is str or x is _ABSENT for x in key):
                roles[key] = info
        subject, role, track, head, requires, name, plan = info
        if head:
            errs.extend(head)
        # The canonical strings replace the parsed ones: a million copies of "individual" cost.
        if subject is not None:
            d["subject"] = subject
        if role is not None:
            d["role"] = role
        if track is not None:
            d["track"] = track
        seen = check_values(d, errs, copy)
        if seen & UNKNOWN_KEY:
            at = 0 if type(ev_id) is str and ev_id else 1  # after the id's message, if any
            errs[at:at] = [f"unknown key {quote(k)}" for k in sorted(d.keys() - EVAL_KEYS)]
        for f in requires:
            if f not in d:
                errs.append(f"{f} is required under {name}")
        if errs:
            _report(errors, i, ev_id, errs)
            marks.append((i, len(errors)))
            errs.clear()
            continue
        ev = make(Evaluation)
        set_dict(ev, d)
        evs[i] = ev
        plans[i] = plan
        if seen & GROUPED:
            g = d["peer_group"]
            members = groups.get(g)
            if members is None:
                groups[g] = [i]
            else:
                members.append(i)
        if seen & REFERS:
            linked.append(i)
    index = _index(ids, errors, marks, first)
    return evs, index, (plans, groups, linked)


#: Sets an object's ``__dict__`` (cheaper than ``object.__setattr__``: no attribute lookup).
_SET_DICT = vars(Evaluation)["__dict__"].__set__


def _index(
    ids: list[str | None], errors: list[str], marks: list[tuple[int, int]], first: int
) -> dict[str, int]:
    """Id → first input position, built at C speed when every id is a distinct string; else
    built again one by one, each repeated id's message put right after its evaluation's own
    (``marks``: where each evaluation with messages ended; ``first``: where the first began)."""
    fast = dict(zip(ids, range(len(ids)), strict=True))
    if len(fast) == len(ids) and None not in fast:
        return fast  # type: ignore[return-value]  # no None key: every id is a string
    index: dict[str, int] = {}
    repeats: list[tuple[int, str]] = []
    for i, ev_id in enumerate(ids):
        if ev_id is not None:
            j = index.setdefault(ev_id, i)
            if j != i:
                repeats.append(
                    (i, f"{place(i, ev_id)}: duplicate id, first used at evaluations[{j}]")
                )
    ends = [i for i, _ in marks]
    for i, message in reversed(repeats):
        k = bisect_right(ends, i)
        errors.insert(marks[k - 1][1] if k else first, message)
    return index


def _bad_id(ev_id: object, ids: list[str | None], i: int, errs: list[str]) -> None:
    """An id that is missing, not a string or empty (an empty one still counts as used)."""
    if ev_id is None:
        errs.append("id is required (a non-empty string)")
    else:
        errs.append(f"id must be a non-empty string, not {show(ev_id)}")
    if type(ev_id) is str:
        ids[i] = ev_id


def _report(errors: list[str], i: int, ev_id: object, errs: list[str]) -> None:
    where = place(i, ev_id) if type(ev_id) is str and ev_id else f"evaluations[{i}]"
    errors.extend([f"{where}: {m}" for m in errs])
