"""The values of an evaluation's keys (contract 2.1, 9.2–9.4): one check per kind of key.

``check_values`` is one generic pass over the keys present, whatever their set and order:
nothing is generated or cached per key set (issue 15). Valid values are replaced by their
canonical form (shared strings, ``Tasks``/``Shortcomings``/``Discipline`` objects, tuples);
anything doubtful goes to the structured checks below, which name every problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from kiemdiem.engine.model import GRADES, Discipline, Evaluation, Shortcomings, Tasks
from kiemdiem.engine.refs import quote

EVAL_KEYS = frozenset(Evaluation.__dataclass_fields__) - {"prepared"}
TASK_KEYS = ("assigned", "completed", "on_time", "exceeded")
DISCIPLINE_KEYS = frozenset({"year", "duty_related", "self_remedied", "already_counted"})
GRADE_NAMES = {g: g for g in GRADES}
PARTY_STATUSES = {"active": "active", "exempt": "exempt", "suspended": "suspended"}

# Kinds of evaluation keys, for one dispatch per key present.
SKIP, _BOOL, _REF, _NUM, _GRADE, _TASKS, _DATE, _SPECIAL = range(8)
KIND: dict[str, int] = {
    "id": SKIP,
    "subject": SKIP,
    "role": SKIP,
    "track": SKIP,
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
#: Sets a ``Tasks``' ``__dict__`` (cheaper than ``object.__setattr__``: no attribute lookup).
_set_tasks = vars(Tasks)["__dict__"].__set__
NO_SHORTCOMINGS = Shortcomings(0, 0)


def number(v: object) -> Decimal | int | None:
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


def show(v: object) -> str:
    """A value as it appeared in the JSON (strings quoted, so "12" is visibly a string)."""
    if isinstance(v, str):
        return quote(v)
    if v is True or v is False or v is None:
        return json.dumps(v)
    if isinstance(v, dict | list):
        return "an object" if isinstance(v, dict) else "a list"
    return str(v)


#: What ``check_values`` tells its caller besides the messages (bits of its result).
UNKNOWN_KEY = 1  # a key that is not an evaluation field (the caller names them)
REFERS = 2  # a reference to another evaluation (leads, head_of, …, manages)
GROUPED = 4  # a peer group


def check_values(d: dict[str, Any], errs: list[str], copy: bool) -> int:
    """Check every value of ``d`` by its key's kind (2.1, 9.2), in key order; messages into
    ``errs``; valid values replaced by their canonical form (strings, ``Tasks``, tuples …).

    Returns ``UNKNOWN_KEY | REFERS | GROUPED`` bits: unknown keys are skipped (the caller reports them,
    before the values' messages), so no separate pass over the key set is needed."""
    seen = 0
    kinds = KIND
    for k, v in d.items():
        try:  # free in 3.11 when nothing is raised
            kind = kinds[k]
        except KeyError:
            seen |= UNKNOWN_KEY
            continue
        if not kind:  # SKIP (0): id, subject, role, track — checked by the caller
            continue
        # The kinds most keys have come first (references; booleans when exporters write
        # every default): each test passed costs every key behind it.
        if kind == _REF:
            if type(v) is not str:
                errs.append(f"{k} must be a string, not {show(v)}")
            elif k != "peer_group":
                seen |= REFERS
            else:
                seen |= GROUPED
        elif kind == _BOOL:
            if v is not True and v is not False:
                errs.append(f"{k} must be true or false, not {show(v)}")
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
                    _set_tasks(tasks, dict(v) if copy else v)
                    d[k] = tasks
                    continue
            special(k, v, d, errs)
        elif kind == _NUM:
            lo, hi = _RANGES[k]
            if type(v) is int and lo <= v <= hi:
                continue
            _number(k, v, lo, hi, d, errs)
        elif kind == _GRADE:
            g = GRADE_NAMES.get(v) if type(v) is str else None
            if g is None:
                errs.append(f"{k} must be one of excellent, good, average, poor, not {show(v)}")
            else:
                d[k] = g
        elif kind == _DATE:
            if type(v) is not str or v not in _DATES:  # a valid date seen before: not again
                _date(k, v, errs)
        elif type(v) is list and not v and (k == "discipline" or k == "manages"):
            d[k] = ()
        elif k == "manages":
            seen |= REFERS
            special(k, v, d, errs)
        elif k == "shortcomings":
            _shortcomings(k, v, d, errs)
        else:
            special(k, v, d, errs)
    return seen


# The less frequent kinds, out of check_values' loop (a call each, only where the key is).


def _number(k: str, v: Any, lo: int, hi: int, d: dict[str, Any], errs: list[str]) -> None:
    x = number(v)
    if x is None:
        errs.append(f"{k} must be a number, not {show(v)}")
    elif not lo <= x <= hi:
        errs.append(f"{k} ({v}) is outside {lo}–{hi}")
    elif x is not v:
        d[k] = x


#: Valid dates met so far (strings): most evaluations' dates repeat. Bounded.
_DATES: set[object] = set()
DATES_KEPT = 100_000


def _date(k: str, v: Any, errs: list[str]) -> None:
    if not (type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-"):
        errs.append(f"{k} must be a date YYYY-MM-DD, not {show(v)}")
        return
    try:
        date.fromisoformat(v)
    except ValueError:
        errs.append(f"{k} {quote(v)} is not a valid date")
        return
    if len(_DATES) < DATES_KEPT:
        _DATES.add(v)


def _shortcomings(k: str, v: Any, d: dict[str, Any], errs: list[str]) -> None:
    p = v.get("previous") if type(v) is dict and len(v) == 2 else None
    r = v.get("remedied") if p is not None else None
    if type(p) is int and type(r) is int and 0 <= r <= p:
        if p:
            sc = _new(Shortcomings)
            _set(sc, "__dict__", {"previous": p, "remedied": r})
            d[k] = sc
        else:  # 0/0, what exporters write by default: one shared (frozen) object
            d[k] = NO_SHORTCOMINGS
    else:
        special(k, v, d, errs)


def special(k: str, v: Any, d: dict[str, Any], errs: list[str]) -> None:
    """Structured fields: tasks, shortcomings, manages, discipline, party_status."""
    _STRUCTURED[k](v, d, errs)


def _tasks_value(v: Any, d: dict[str, Any], errs: list[str]) -> None:
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
            errs.append(f"tasks.{name} must be an integer, not {show(x)}")
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


def _shortcomings_value(v: Any, d: dict[str, Any], errs: list[str]) -> None:
    if type(v) is not dict:
        errs.append("shortcomings must be an object")
        return
    for extra in sorted(v.keys() - {"previous", "remedied"}):
        errs.append(f"shortcomings.{extra}: unknown key")
    p, r = v.get("previous"), v.get("remedied")
    if type(p) is not int or type(r) is not int:
        errs.append(
            f"shortcomings.previous and .remedied must be integers, not {show(p)} and {show(r)}"
        )
    elif p < 0 or r < 0:
        errs.append("shortcomings counts must not be negative")
    elif r > p:
        errs.append(f"shortcomings.remedied ({r}) exceeds shortcomings.previous ({p})")
    else:
        d["shortcomings"] = Shortcomings(p, r)


def _manages_value(v: Any, d: dict[str, Any], errs: list[str]) -> None:
    if type(v) is not list or not all(type(x) is str for x in v):
        errs.append("manages must be a list of ids")
    else:
        d["manages"] = tuple(v)


def _discipline_value(v: Any, d: dict[str, Any], errs: list[str]) -> None:
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
            errs.append(f"{at}.year must be an integer, not {show(y)}")
            ok = False
        elif not 1900 <= y <= 2100:
            errs.append(f"{at}.year ({y}) is outside 1900–2100")
            ok = False
        for b in ("duty_related", "self_remedied", "already_counted"):
            x = entry.get(b, False)
            if x is not True and x is not False:
                errs.append(f"{at}.{b} must be true or false, not {show(x)}")
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


def _party_status_value(v: Any, d: dict[str, Any], errs: list[str]) -> None:
    s = PARTY_STATUSES.get(v) if type(v) is str else None
    if s is None:
        errs.append(f"party_status must be active, exempt or suspended, not {show(v)}")
    else:
        d["party_status"] = s


_STRUCTURED: dict[str, Callable[[Any, dict[str, Any], list[str]], None]] = {
    "tasks": _tasks_value,
    "shortcomings": _shortcomings_value,
    "manages": _manages_value,
    "discipline": _discipline_value,
    "party_status": _party_status_value,
}
