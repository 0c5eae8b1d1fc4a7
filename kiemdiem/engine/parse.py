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
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from kiemdiem.engine import ruleset as registry
from kiemdiem.engine.core import MAX_RATIO, InvalidInput, resolve_rules
from kiemdiem.engine.model import (
    CAP_NAMES,
    GRADES,
    ClassifyInput,
    Discipline,
    Evaluation,
    Shortcomings,
    Tasks,
)
from kiemdiem.engine.refs import place, prepare, quote

TOP_KEYS = frozenset({"year", "rules", "caps", "peer_groups", "evaluations"})
EVAL_KEYS = frozenset(Evaluation.__dataclass_fields__) - {"prepared"}
TASK_KEYS = ("assigned", "completed", "on_time", "exceeded")
DISCIPLINE_KEYS = frozenset({"year", "duty_related", "self_remedied", "already_counted"})
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
GRADE_NAMES = {g: g for g in GRADES}
PARTY_STATUSES = {"active": "active", "exempt": "exempt", "suspended": "suspended"}
RATIO_RE = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")

# Kinds of evaluation keys, for one dispatch per key present.
_SKIP, _BOOL, _REF, _NUM, _GRADE, _TASKS, _DATE, _SPECIAL = range(8)
_KIND: dict[str, int] = {
    "id": _SKIP,
    "subject": _SKIP,
    "role": _SKIP,
    "track": _SKIP,
    "tasks": _TASKS,
    "party_admission": _DATE,
    "shortcomings": _SPECIAL,
    "manages": _SPECIAL,
    "discipline": _SPECIAL,
    "party_status": _SPECIAL,
    "degradation": _BOOL,
    "prohibition_violation": _BOOL,
    "socioeconomic_targets_failed": _BOOL,
    "corruption_in_managed_unit": _BOOL,
    "cadre_work_wrongdoing": _BOOL,
    "maternity": _BOOL,
    "leads": _REF,
    "head_of": _REF,
    "leadership_of": _REF,
    "state_evaluation": _REF,
    "parent": _REF,
    "peer_group": _REF,
    "score": _NUM,
    "months_worked": _NUM,
    "absent_months": _NUM,
    "low_confidence_share": _NUM,
    "general": _GRADE,
    "results_grade": _GRADE,
}
_RANGES: dict[str, tuple[int, int]] = {
    "score": (0, 100),
    "months_worked": (0, 12),
    "absent_months": (0, 12),
    "low_confidence_share": (0, 1),
}

_new = object.__new__
_set = object.__setattr__


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


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


def _number(v: object) -> Decimal | int | None:
    """A JSON number as ``int``/``Decimal``; ``None`` for anything else (bool, str, NaN …)."""
    t = type(v)
    if t is int:
        return v  # type: ignore[return-value]
    if t is Decimal:
        return v if v.is_finite() else None  # type: ignore[attr-defined,return-value]
    if t is float:  # Python callers: the shortest repr is the decimal they wrote
        d = Decimal(repr(v))
        return d if d.is_finite() else None
    return None


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
        errors.append(f"year: must be an integer 2018–2100, not {_show(year)}")
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
                    errors.append(f"rules.{k}: must be a rule-set name, not {_show(v)}")
                    rules_ok = False
                else:
                    named[k] = v
    rules: dict[str, str] = {}
    if year_ok and rules_ok:
        n_before = len(errors)
        rules = resolve_rules(year, named, errors)  # type: ignore[arg-type]
        rules_ok = len(errors) == n_before
    caps: tuple[str, ...] = CAP_NAMES
    if "caps" in data:
        raw_caps = data["caps"]
        if not isinstance(raw_caps, list):
            errors.append("caps: must be a list")
        else:
            for i, c in enumerate(raw_caps):
                if c not in CAP_NAMES:
                    errors.append(f"caps[{i}]: unknown cap {_show(c)} ({', '.join(CAP_NAMES)})")
            caps = tuple(c for c in raw_caps if c in CAP_NAMES)
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
                            f'{where}.ratio: must be a decimal string such as "0.20", not {_show(r)}'
                        )
                    elif Decimal(r) > MAX_RATIO:
                        errors.append(f"{where}.ratio: {r} exceeds 0.25 (366-19)")
                    else:
                        ratios[g] = r
    raw_evs = data.get("evaluations")
    if "evaluations" not in data:
        errors.append("evaluations: is required")
        raw_evs = []
    elif not isinstance(raw_evs, list):
        errors.append("evaluations: must be a list")
        raw_evs = []
    top_errors = len(errors)

    evs: list[Evaluation | None] = []
    append = evs.append
    plan_rules = rules if rules_ok else None
    roles: dict[object, RoleInfo] = {}
    index: dict[str, int] = {}
    setdefault = index.setdefault
    for i, raw in enumerate(raw_evs):
        ev = _evaluation(i, raw, plan_rules, roles, errors, copy)
        append(ev)
        ev_id = ev.id if ev is not None else _raw_id(raw)
        if type(ev_id) is str and setdefault(ev_id, i) != i:
            errors.append(
                f"{place(i, ev_id)}: duplicate id, first used at evaluations[{index[ev_id]}]"
            )
    prepared = None
    if rules_ok and year_ok:
        prepared = prepare(
            year,  # type: ignore[arg-type]
            rules,
            caps,
            ratios,
            evs,
            index,
            errors,
            order=len(errors) == 0,
        )
    if errors:
        del top_errors
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


def _raw_id(raw: object) -> object:
    return raw.get("id") if isinstance(raw, dict) else None


def _show(v: object) -> str:
    """A value as it appeared in the JSON (strings quoted, so "12" is visibly a string)."""
    if isinstance(v, str):
        return quote(v)
    if v is True or v is False or v is None:
        return json.dumps(v)
    if isinstance(v, dict | list):
        return "an object" if isinstance(v, dict) else "a list"
    return str(v)


#: What depends only on an evaluation's subject, role and track (2.1, 9.3): the canonical
#: strings, the messages they deserve and the fields the selected rule set requires.
RoleInfo = tuple["str | None", "str | None", "str | None", tuple[str, ...], tuple[str, ...], str]

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
            f"subject must be individual or collective, not {_show(raw_subject)}"
            if "subject" in d
            else "subject is required"
        )
    else:
        roles = ROLES_BY_SUBJECT[subject]
        raw_role = d.get("role")
        role = roles.get(raw_role) if type(raw_role) is str else None
        if role is None:
            head.append(
                f"role must be one of {', '.join(roles)} for a {subject}, not {_show(raw_role)}"
                if "role" in d
                else "role is required"
            )
        if subject == "individual":
            raw_track = d.get("track")
            track = TRACKS.get(raw_track) if type(raw_track) is str else None
            if track is None:
                head.append(
                    f"track must be party or state, not {_show(raw_track)}"
                    if "track" in d
                    else "track is required for an individual"
                )
            elif role == "party_outside" and track != "party":
                head.append("track: a party_outside individual is party track only")
        elif "track" in d:
            head.append("track: a collective has no track (it is rated on the party side)")
    requires: tuple[str, ...] = ()
    name = ""
    if rules is not None and role is not None and (subject == "collective" or track is not None):
        name = rules.get("party" if subject == "collective" else track or "") or ""
        if name:
            requires = registry.load(name).requires
    return subject, role, track, tuple(head), requires, name


def _evaluation(
    i: int,
    raw: object,
    rules: Mapping[str, str] | None,
    roles: dict[object, RoleInfo],
    errors: list[str],
    copy: bool,
) -> Evaluation | None:
    """Check one evaluation's fields (2.1, 9.2–9.4); ``None`` (and messages) when invalid.

    One generic pass over the keys present, whatever their set and order (performance,
    section 8: no work depends on the key set beyond what each key costs)."""
    if type(raw) is not dict:
        errors.append(f"evaluations[{i}]: must be an object")
        return None
    d: dict[str, Any] = dict(raw) if copy else raw
    errs: list[str] = []
    ev_id = d.get("id")
    if type(ev_id) is not str or not ev_id:
        errs.append(
            "id is required (a non-empty string)"
            if ev_id is None
            else f"id must be a non-empty string, not {_show(ev_id)}"
        )
    key = (d.get("subject", _ABSENT), d.get("role", _ABSENT), d.get("track", _ABSENT))
    try:
        info = roles.get(key)  # only string keys are stored: True == 1 must not collide
    except TypeError:
        info = None
    if info is None:
        info = _role_info(d, rules)
        if len(roles) < _ROLE_KEYS_CACHED and all(type(x) is str or x is _ABSENT for x in key):
            roles[key] = info
    subject, role, track, head, requires, name = info
    kinds = _KIND
    if not d.keys() <= EVAL_KEYS:
        unknown = sorted(d.keys() - EVAL_KEYS)
        errs.extend(f"unknown key {quote(k)}" for k in unknown)
        kinds = {**_KIND, **dict.fromkeys(unknown, _SKIP)}
    if head:
        errs.extend(head)
    # The canonical strings replace the parsed ones: a million copies of "individual" cost.
    if subject is not None:
        d["subject"] = subject
    if role is not None:
        d["role"] = role
    if track is not None:
        d["track"] = track
    for k, v in d.items():
        kind = kinds[k]
        if kind == _SKIP:
            continue
        if kind == _REF:
            if type(v) is not str:
                errs.append(f"{k} must be a string, not {_show(v)}")
        elif kind == _TASKS:
            # Fast path for the common, valid case; _special explains anything else.
            if type(v) is dict and len(v) == 4:
                try:
                    a = v["assigned"]
                    c = v["completed"]
                    t = v["on_time"]
                    e = v["exceeded"]
                except KeyError:  # an unknown key among the four: _special explains
                    a = c = t = e = None
                if (
                    type(a) is type(c) is type(t) is type(e) is int
                    and 0 <= t <= c <= a
                    and 0 <= e <= c
                    and a >= 1
                ):
                    tasks = _new(Tasks)
                    _set(tasks, "__dict__", dict(v) if copy else v)
                    d[k] = tasks
                    continue
            _special(k, v, d, errs)
        elif kind == _NUM:
            lo, hi = _RANGES[k]
            if type(v) is int and lo <= v <= hi:
                continue
            x = _number(v)
            if x is None:
                errs.append(f"{k} must be a number, not {_show(v)}")
            elif not lo <= x <= hi:
                errs.append(f"{k} ({v}) is outside {lo}–{hi}")
            elif x is not v:
                d[k] = x
        elif kind == _GRADE:
            g = GRADE_NAMES.get(v) if type(v) is str else None
            if g is None:
                errs.append(f"{k} must be one of excellent, good, average, poor, not {_show(v)}")
            else:
                d[k] = g
        elif kind == _DATE:
            if not (type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-"):
                errs.append(f"{k} must be a date YYYY-MM-DD, not {_show(v)}")
            else:
                try:
                    date.fromisoformat(v)
                except ValueError:
                    errs.append(f"{k} {quote(v)} is not a valid date")
        elif kind == _BOOL:
            if v is not True and v is not False:
                errs.append(f"{k} must be true or false, not {_show(v)}")
        elif type(v) is list and not v and (k == "discipline" or k == "manages"):
            d[k] = ()
        elif k == "shortcomings" and type(v) is dict and len(v) == 2:
            p = v.get("previous")
            r = v.get("remedied")
            if type(p) is int and type(r) is int and 0 <= r <= p:
                sc = _new(Shortcomings)
                _set(sc, "__dict__", {"previous": p, "remedied": r})
                d[k] = sc
            else:
                _special(k, v, d, errs)
        else:
            _special(k, v, d, errs)
    for f in requires:
        if f not in d:
            errs.append(f"{f} is required under {name}")
    if errs:
        where = place(i, ev_id) if type(ev_id) is str and ev_id else f"evaluations[{i}]"
        errors.extend([f"{where}: {m}" for m in errs])
        return None
    ev = _new(Evaluation)
    _set(ev, "__dict__", d)
    return ev


def _special(k: str, v: Any, d: dict[str, Any], errs: list[str]) -> None:
    """Structured fields: tasks, shortcomings, manages, discipline, party_admission/status."""
    if k == "tasks":
        if type(v) is not dict:
            errs.append("tasks must be an object")
            return
        t = dict(v)
        bad = False
        for extra in sorted(t.keys() - set(TASK_KEYS)):
            errs.append(f"tasks.{extra}: unknown key")
            bad = True
        for name in TASK_KEYS:
            x = t.get(name)
            if name not in t:
                errs.append(f"tasks.{name} is required")
                bad = True
            elif type(x) is not int:
                errs.append(f"tasks.{name} must be an integer, not {_show(x)}")
                bad = True
            elif x < 0:
                errs.append(f"tasks.{name} ({x}) is negative")
                bad = True
        if bad:
            return
        a, c, on, e = t["assigned"], t["completed"], t["on_time"], t["exceeded"]
        if a < 1:
            errs.append(f"tasks.assigned ({a}) must be at least 1")
            bad = True
        if c > a:
            errs.append(f"tasks.completed ({c}) exceeds tasks.assigned ({a})")
            bad = True
        if on > c:
            errs.append(f"tasks.on_time ({on}) exceeds tasks.completed ({c})")
            bad = True
        if e > c:
            errs.append(f"tasks.exceeded ({e}) exceeds tasks.completed ({c})")
            bad = True
        if not bad:
            tasks = _new(Tasks)
            _set(tasks, "__dict__", t)
            d["tasks"] = tasks
    elif k == "shortcomings":
        if type(v) is not dict:
            errs.append("shortcomings must be an object")
            return
        for extra in sorted(v.keys() - {"previous", "remedied"}):
            errs.append(f"shortcomings.{extra}: unknown key")
        p, r = v.get("previous"), v.get("remedied")
        if type(p) is not int or type(r) is not int:
            errs.append(
                f"shortcomings.previous and .remedied must be integers, "
                f"not {_show(p)} and {_show(r)}"
            )
        elif p < 0 or r < 0:
            errs.append("shortcomings counts must not be negative")
        elif r > p:
            errs.append(f"shortcomings.remedied ({r}) exceeds shortcomings.previous ({p})")
        else:
            d["shortcomings"] = Shortcomings(p, r)
    elif k == "manages":
        if type(v) is not list or not all(type(x) is str for x in v):
            errs.append("manages must be a list of ids")
        else:
            d["manages"] = tuple(v)
    elif k == "discipline":
        if type(v) is not list:
            errs.append("discipline must be a list")
            return
        out = []
        for j, entry in enumerate(v):
            at = f"discipline[{j}]"
            if type(entry) is not dict:
                errs.append(f"{at} must be an object")
                continue
            ok = True
            for extra in sorted(entry.keys() - DISCIPLINE_KEYS):
                errs.append(f"{at}.{extra}: unknown key")
                ok = False
            y: Any = entry.get("year")
            if "year" not in entry:
                errs.append(f"{at}.year is required")
                ok = False
            elif type(y) is not int:
                errs.append(f"{at}.year must be an integer, not {_show(y)}")
                ok = False
            elif not 1900 <= y <= 2100:
                errs.append(f"{at}.year ({y}) is outside 1900–2100")
                ok = False
            for b in ("duty_related", "self_remedied", "already_counted"):
                x = entry.get(b, False)
                if x is not True and x is not False:
                    errs.append(f"{at}.{b} must be true or false, not {_show(x)}")
                    ok = False
            if ok:
                out.append(
                    Discipline(
                        y,
                        entry.get("duty_related", False),
                        entry.get("self_remedied", False),
                        entry.get("already_counted", False),
                    )
                )
        d["discipline"] = tuple(out)
    elif k == "party_status":
        s = PARTY_STATUSES.get(v) if type(v) is str else None
        if s is None:
            errs.append(f"party_status must be active, exempt or suspended, not {_show(v)}")
        else:
            d[k] = s
