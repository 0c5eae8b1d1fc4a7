"""A clean-room reference of the classification contract (shared/domain/classification.md).

Written from the contract text, README's "Rules engine" readings and bench/ENGINE_RESULTS.md
"Readings of the contract decided here" only, without reading kiemdiem/engine. It is slow and
plain on purpose: a second opinion for the differential test (test_reference.py).

Input is the parsed JSON document (numbers as int or Decimal). Validation is reduced to the
cases the random populations can produce (``Invalid``); the output has level, base_level,
flags, reasons (rule, effect) in order, the quota rows and the dependency constraints of
``order`` (``order_ok`` checks the engine's order; ``canonical_order`` is the literal
"ties by input order" order, one id at a time).

Readings taken here where the contract leaves room (beyond README's and ENGINE_RESULTS.md's):
- each knock-out cause is its own reason: under ``qd124`` a poor ``general`` and a poor
  ``results_grade`` are two ``124-13`` reasons; every ``qd366`` cause repeats the subject's id;
- ``qd366``: ``REVIEW_REQUIRED`` when any current-year duty-related discipline is
  self-remedied, even if another one is not (9.11);
- an empty ``id`` is invalid; ``party_admission`` is exactly ``YYYY-MM-DD`` (no ISO week date);
  a ratio is ``digits[.digits]`` or ``.digits`` (the engine also accepts ``"0."``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

RANK = {"KHTNV": 0, "HTNV": 1, "HTTNV": 2, "HTXSNV": 3}
LEVELS = ["HTXSNV", "HTTNV", "HTNV"]
GRADE = {"poor": 0, "average": 1, "good": 2, "excellent": 3}
PARTY_SETS = {"qd124", "qd366"}
STATE_SETS = {"nd90", "nd335", "haiphong212"}
POINT_SETS = {"qd366", "nd335", "haiphong212"}
COLLECTIVE_ROLES = {"organization", "party_organization", "leadership"}
QUOTA_RULE = {
    "qd366": "366-19",
    "qd124": "124-14",
    "nd90": "ND90-9",
    "nd335": "ND335-5",
    "haiphong212": "HP212-3",
}
ALL_CAPS = ["party_le_state", "head_le_unit", "leadership_le_unit"]


class Invalid(Exception):
    """The input is invalid (exit 2)."""


def F(x: Any) -> Fraction:
    return Fraction(str(x))


def lower(a: str, b: str) -> str:
    return a if RANK[a] <= RANK[b] else b


@dataclass
class Result:
    level: str = ""
    base_level: str = ""
    flags: set[str] = field(default_factory=set)
    reasons: list[tuple[str, str]] = field(default_factory=list)
    decided: bool = False  # final (after caps and quota)


def default_rules(year: int, rules: dict[str, str] | None) -> dict[str, str]:
    rules = dict(rules or {})
    for k in rules:
        if k not in ("party", "state"):
            raise Invalid(f"rules.{k}")
    if "party" in rules and rules["party"] not in PARTY_SETS:
        raise Invalid("rules.party")
    if "state" in rules and rules["state"] not in STATE_SETS:
        raise Invalid("rules.state")
    if "party" not in rules:
        if year < 2023:
            raise Invalid("year without rules")
        rules["party"] = "qd124" if year <= 2024 else "qd366"
    if "state" not in rules:
        if year < 2023:
            raise Invalid("year without rules")
        rules["state"] = "nd90" if year <= 2025 else "nd335"
    return rules


class Reference:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.year: int = doc["year"]
        self.rules = default_rules(self.year, doc.get("rules"))
        self.caps = list(doc.get("caps", ALL_CAPS))
        self.ratios = {g: v.get("ratio", "0.20") for g, v in doc.get("peer_groups", {}).items()}
        for r in self.ratios.values():
            if F(r) > Fraction(1, 4):
                raise Invalid("ratio above 0.25")
        self.evs: list[dict[str, Any]] = doc["evaluations"]
        self.by_id = {e["id"]: e for e in self.evs}
        if len(self.by_id) != len(self.evs):
            raise Invalid("duplicate id")
        self.index = {e["id"]: i for i, e in enumerate(self.evs)}
        self.res: dict[str, Result] = {e["id"]: Result() for e in self.evs}
        self.deps = {e["id"]: self._deps(e) for e in self.evs}
        for e in self.evs:
            if e.get("parent") is not None:
                self.deps[e["parent"]].add(e["id"])
        self._check_groups()

    # ---- structure -------------------------------------------------------------------
    def ruleset(self, e: dict[str, Any]) -> str:
        if e["subject"] == "collective":
            return self.rules["party"]
        return self.rules[e["track"]]

    def _deps(self, e: dict[str, Any]) -> set[str]:
        out: set[str] = set()
        for key in ("state_evaluation", "head_of", "leads", "leadership_of"):
            if e.get(key) is not None:
                out.add(e[key])
        out.update(e.get("manages", []))
        for d in out:
            if d not in self.by_id:
                raise Invalid(f"unknown id {d}")
        return out

    def _closure(self, i: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.deps[i])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(self.deps[x])
        return seen

    def _check_groups(self) -> None:
        self.groups: dict[str, list[str]] = {}
        for e in self.evs:
            if e.get("peer_group") is not None:
                self.groups.setdefault(e["peer_group"], []).append(e["id"])
        self.closure = {i: self._closure(i) for i in self.by_id}
        for i, c in self.closure.items():
            if i in c:
                raise Invalid("cycle")
        for members in self.groups.values():
            kinds = {self.ruleset(self.by_id[m]) in POINT_SETS for m in members}
            if len(kinds) > 1:
                raise Invalid("mixed point and grade group")
            ms = set(members)
            for m in members:
                if self.closure[m] & ms:
                    raise Invalid("dependency inside a peer group")
        # groups depending on each other (9.7)
        gdeps: dict[str, set[str]] = {}
        for g, members in self.groups.items():
            gdeps[g] = set()
            for m in members:
                for d in self.closure[m]:
                    dg = self.by_id[d].get("peer_group")
                    if dg is not None and dg != g:
                        gdeps[g].add(dg)
        for g, ds in gdeps.items():
            for d in ds:
                if g in gdeps[d]:
                    raise Invalid("groups depend on each other")
        # a group member depending (through anything) on another group that depends on it
        self.node_closure: dict[str, set[str]] = {}
        for i in self.by_id:
            c = set(self.closure[i])
            g = self.by_id[i].get("peer_group")
            if g is not None:
                for m in self.groups[g]:
                    c |= self.closure[m]
            self.node_closure[i] = c

    # ---- helpers ---------------------------------------------------------------------
    def cur_disc(self, e: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            d
            for d in e.get("discipline", [])
            if d["year"] == self.year and not d.get("already_counted", False)
        ]

    def unit_tasks(self, e: dict[str, Any], key: str) -> dict[str, int] | None:
        ref = e.get(key)
        if ref is not None and self.by_id[ref].get("tasks") is not None:
            return self.by_id[ref]["tasks"]
        return e.get("tasks")

    def final(self, i: str) -> str:
        r = self.res[i]
        assert r.decided, i
        return r.level

    def managed_levels(self, e: dict[str, Any]) -> list[str]:
        return [self.final(m) for m in e.get("manages", []) if self.final(m) != "NOT_RATED"]

    # ---- step 1: exclusion -------------------------------------------------------------
    def exclusion(self, e: dict[str, Any], rs: str) -> str | None:
        if e["subject"] == "collective":
            return None
        if rs in PARTY_SETS:
            status = e.get("party_status", "active")
            adm = e.get("party_admission")
            late = adm is not None and date.fromisoformat(adm) > date(self.year, 6, 30)
            if status in ("exempt", "suspended") or late:
                return "366-3" if rs == "qd366" else "124-2"
            return None
        if F(e.get("months_worked", 12)) < 6 and not e.get("maternity", False):
            return "HP212-3" if rs == "haiphong212" else "ND90-2"
        return None

    # ---- step 2: knock-outs ------------------------------------------------------------
    def knockouts(self, e: dict[str, Any], rs: str) -> tuple[list[str], bool]:
        """Rule ids of every knock-out, and whether one comes from a self-remedied discipline."""
        role = e["role"]
        indiv = e["subject"] == "individual"
        leader = role == "leader"
        out: list[str] = []
        review = False
        cur = self.cur_disc(e)
        t = e.get("tasks")
        if rs == "qd366":
            rid = {
                "leadership": "366-24",
                "leader": "366-25",
                "staff": "366-26",
                "party_outside": "366-26",
            }.get(role, "366-28")
            hits = [e.get("degradation", False), F(e["score"]) < 50]
            duty = [d for d in cur if d.get("duty_related", False)]
            if indiv:
                hits += [
                    bool(duty),
                    e.get("prohibition_violation", False),
                    2 * (t["assigned"] - t["completed"]) > t["assigned"],
                ]
                review = any(d.get("self_remedied", False) for d in duty)
            if leader:
                u = self.unit_tasks(e, "leads")
                assert u is not None
                ml = self.managed_levels(e)
                hits += [
                    10 * u["completed"] < 7 * u["assigned"],
                    e.get("socioeconomic_targets_failed", False),
                    2 * sum(1 for x in ml if x == "KHTNV") > len(ml),
                    F(e.get("low_confidence_share", 0)) > Fraction(1, 2),
                    e.get("corruption_in_managed_unit", False),
                ]
            if role == "leadership":
                u = self.unit_tasks(e, "leadership_of")
                assert u is not None
                hits += [
                    e.get("cadre_work_wrongdoing", False),
                    bool(duty),
                    10 * u["completed"] < 7 * u["assigned"],
                    e.get("socioeconomic_targets_failed", False),
                ]
                review = any(d.get("self_remedied", False) for d in duty)
            out = [rid] * sum(1 for h in hits if h)
            return out, review and bool(duty)
        if rs == "qd124":
            hits = [
                e.get("degradation", False),
                # each poor criterion is its own knock-out (the engine's granularity)
                e["general"] == "poor",
                e["results_grade"] == "poor",
                any(not d.get("self_remedied", False) for d in cur),
            ]
            if indiv:
                hits.append(2 * (t["assigned"] - t["completed"]) > t["assigned"])
            return ["124-13"] * sum(1 for h in hits if h), False
        if rs == "nd90":
            a = t["assigned"]
            ids = []
            if e.get("degradation", False):
                ids.append("ND90-16")
            if e["general"] == "poor":
                ids.append("ND90-16")
            if cur:
                ids.append("ND90-6")
            if 2 * (a - t["on_time"]) > a:
                ids.append("ND90-16")
            if leader:
                u = self.unit_tasks(e, "leads")
                assert u is not None
                if 2 * u["completed"] < u["assigned"]:
                    ids.append("ND90-16")
                if e.get("corruption_in_managed_unit", False):
                    ids.append("ND90-16")
            return ids, False
        if rs == "nd335":
            hits = [
                e.get("degradation", False),
                F(e["score"]) < 50,
                any(d.get("duty_related", False) for d in cur),
                e.get("prohibition_violation", False),
                leader and e.get("corruption_in_managed_unit", False),
            ]
            return ["ND335-4"] * sum(1 for h in hits if h), False
        if rs == "haiphong212":
            rid = "HP212-7" if leader else "HP212-6"
            a = t["assigned"]
            hits = [
                e.get("degradation", False),
                F(e["score"]) < 50,
                bool(cur),
                2 * (a - t["on_time"]) > a,
            ]
            if leader:
                u = self.unit_tasks(e, "leads")
                assert u is not None
                hits += [
                    2 * u["completed"] < u["assigned"],
                    e.get("corruption_in_managed_unit", False),
                ]
            return [rid] * sum(1 for h in hits if h), False
        raise Invalid(f"unknown rule set {rs}")

    # ---- step 3: base level ------------------------------------------------------------
    def level_holds(self, e: dict[str, Any], rs: str, level: str) -> bool:
        role = e["role"]
        indiv = e["subject"] == "individual"
        leader = role == "leader"
        own = e.get("tasks")
        if rs == "qd366":
            tk = self.unit_tasks(e, "leads") if leader else own
            assert tk is not None
            s = F(e["score"])
            a, c, t, x = tk["assigned"], tk["completed"], tk["on_time"], tk["exceeded"]
            if level == "HTXSNV":
                sh = e.get("shortcomings")
                ok = s >= 90 and t == a and 10 * x >= 3 * a
                ok = ok and (sh is None or sh["remedied"] == sh["previous"])
                if not indiv:
                    ok = ok and not self.cur_disc(e)
                return ok
            if level == "HTTNV":
                return s >= 70 and t == a
            return s >= 50 and c == a and 5 * (c - t) <= a
        if rs == "qd124":
            g, r = GRADE[e["general"]], GRADE[e["results_grade"]]
            if not indiv:
                if level == "HTXSNV":
                    return g >= 2 and r == 3 and not self.cur_disc(e)
                if level == "HTTNV":
                    return g >= 1 and r >= 2
                return g >= 1 and r >= 1
            assert own is not None
            a, c, t, x = own["assigned"], own["completed"], own["on_time"], own["exceeded"]
            if level == "HTXSNV":
                return g >= 2 and r == 3 and t == a and 2 * x >= a and not self.cur_disc(e)
            if level == "HTTNV":
                return g >= 2 and r >= 2 and t == a
            return g >= 1 and r >= 1 and c == a and 5 * (c - t) <= a
        if rs == "nd90":
            assert own is not None
            g = GRADE[e["general"]]
            a, c, t, x = own["assigned"], own["completed"], own["on_time"], own["exceeded"]
            if level == "HTXSNV":
                ok = g >= 2 and t == a and 2 * x >= a
            elif level == "HTTNV":
                ok = g >= 2 and t == a
            else:
                ok = g >= 1 and c == a and 5 * (c - t) <= a
            if not ok or not leader:
                return ok
            u = self.unit_tasks(e, "leads")
            assert u is not None
            ua, uc, ut, ux = u["assigned"], u["completed"], u["on_time"], u["exceeded"]
            ml = self.managed_levels(e)
            n = len(ml)
            n_htnv = sum(1 for m in ml if RANK[m] >= 1)
            n_httnv = sum(1 for m in ml if RANK[m] >= 2)
            if level == "HTXSNV":
                return (
                    uc == ua
                    and 10 * ut >= 8 * ua
                    and 2 * ux >= ua
                    and n_htnv == n
                    and 10 * n_httnv >= 7 * n
                )
            if level == "HTTNV":
                return uc == ua and 10 * ut >= 8 * ua and n_htnv == n and 10 * n_httnv >= 7 * n
            return 10 * uc > 7 * ua and 10 * n_htnv >= 7 * n
        if rs == "nd335":
            s = F(e["score"])
            return s >= {"HTXSNV": 90, "HTTNV": 70, "HTNV": 50}[level]
        if rs == "haiphong212":
            s = F(e["score"])
            assert own is not None
            a, c, t, x = own["assigned"], own["completed"], own["on_time"], own["exceeded"]
            if level == "HTXSNV":
                return s > 90 and t == a and 2 * x >= a
            if level == "HTTNV":
                return s > 80 and t == a
            return s >= 50 and c == a and 5 * (c - t) <= a
        raise Invalid(rs)

    def level_rule(self, e: dict[str, Any], rs: str, level: str) -> str:
        role = e["role"]
        i = LEVELS.index(level)
        if rs == "qd366":
            if e["subject"] == "collective":
                return ["366-15", "366-20", "366-23"][i]
            if role == "leader":
                return ["366-16", "366-21", "366-23"][i]
            return ["366-17", "366-22", "366-23"][i]
        if rs == "qd124":
            if e["subject"] == "collective":
                return ["124-9", "124-11", "124-12"][i]
            return ["124-10", "124-15", "124-15"][i]
        if rs == "nd90":
            if role == "leader":
                return ["ND90-12", "ND90-14", "ND90-15"][i]
            return ["ND90-11", "ND90-13", "ND90-15"][i]
        if rs == "nd335":
            return "ND335-4"
        return "HP212-7" if role == "leader" else "HP212-6"

    REVIEW_RULE = {
        "qd366": "366-34",
        "qd124": "124-8",
        "nd90": "ND90-17",
        "nd335": "ND335-4",
        "haiphong212": "HP212-8",
    }

    # ---- one evaluation up to cross caps -------------------------------------------------
    def decide_own(self, i: str) -> None:
        e = self.by_id[i]
        rs = self.ruleset(e)
        r = self.res[i]
        excl = self.exclusion(e, rs)
        if excl is not None:
            r.level = r.base_level = "NOT_RATED"
            r.reasons.append((excl, "exclusion"))
            return
        kos, review = self.knockouts(e, rs)
        if kos:
            r.level = r.base_level = "KHTNV"
            r.reasons += [(k, "knockout") for k in kos]
            if review:
                r.flags.add("REVIEW_REQUIRED")
                r.reasons.append(("366-27", "review"))
        else:
            for level in LEVELS:
                if self.level_holds(e, rs, level):
                    r.level = r.base_level = level
                    r.reasons.append((self.level_rule(e, rs, level), "base"))
                    break
            else:
                r.level = r.base_level = "KHTNV"
                r.reasons.append((self.level_rule(e, rs, "HTNV"), "base"))
                r.reasons.append((self.REVIEW_RULE[rs], "review"))
                r.flags.add("REVIEW_REQUIRED")
        # own caps (individuals only)
        own_cap = {"nd90": "ND90-3", "qd124": "124-18", "haiphong212": "HP212-3"}.get(rs)
        if (
            own_cap is not None
            and e["subject"] == "individual"
            and F(e.get("absent_months", 0)) >= 3
            and RANK[r.level] > RANK["HTNV"]
        ):
            r.level = "HTNV"
            r.reasons.append((own_cap, "cap"))
        # cross caps
        cap_refs = []
        if "party_le_state" in self.caps and e.get("track") == "party":
            cap_refs.append((e.get("state_evaluation"), "X-3"))
        if "head_le_unit" in self.caps and e["subject"] == "individual":
            cap_refs.append((e.get("head_of"), "X-4"))
        if "leadership_le_unit" in self.caps and e["role"] == "leadership":
            cap_refs.append((e.get("leadership_of"), "X-5"))
        for ref, rid in cap_refs:
            if ref is None or r.level == "NOT_RATED":
                continue
            other = self.final(ref)
            if other != "NOT_RATED" and RANK[other] < RANK[r.level]:
                r.level = other
                r.reasons.append((rid, "cap"))

    # ---- quota ---------------------------------------------------------------------------
    def rank_key(self, e: dict[str, Any]) -> tuple[Fraction, ...]:
        rs = self.ruleset(e)
        if rs in POINT_SETS:
            return (F(e["score"]),)
        t = e["tasks"]
        return (Fraction(t["exceeded"], t["assigned"]), Fraction(t["on_time"], t["assigned"]))

    def quota(self, g: str) -> dict[str, Any]:
        members = self.groups[g]
        ratio = self.ratios.get(g, "0.20")
        r = F(ratio)
        p_members = [m for m in members if self.res[m].level in ("HTXSNV", "HTTNV")]
        P = len(p_members)
        k = (P * r / (1 + r)).__floor__()
        cands = [m for m in members if self.res[m].level == "HTXSNV"]
        demoted: set[str] = set()
        tied: set[str] = set()
        if len(cands) > k:
            ranked = sorted(cands, key=lambda m: tuple(-x for x in self.rank_key(self.by_id[m])))
            if k == 0:
                demoted = set(ranked)
            else:
                kk = self.rank_key(self.by_id[ranked[k - 1]])
                k1 = self.rank_key(self.by_id[ranked[k]])
                demoted = set(ranked[k:])
                if kk == k1:
                    tied = {m for m in ranked if self.rank_key(self.by_id[m]) == k1}
                    demoted |= tied
        for m in members:
            if m in demoted:
                res = self.res[m]
                res.level = "HTTNV"
                res.reasons.append((QUOTA_RULE[self.ruleset(self.by_id[m])], "quota"))
                if m in tied:
                    res.flags.add("QUOTA_TIE")
        return {
            "peer_group": g,
            "ratio": ratio,
            "eligible": P,
            "max_excellent": k,
            "excellent": sum(1 for m in members if self.res[m].level == "HTXSNV"),
            "demoted": [m for m in members if m in demoted],
        }

    # ---- driver --------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        # nodes: a peer group, or an evaluation outside groups; decide in dependency order
        pending = [e["id"] for e in self.evs]
        done: set[str] = set()
        rows: dict[str, dict[str, Any]] = {}
        while pending:
            progress = False
            for i in list(pending):
                if i in done:
                    continue
                g = self.by_id[i].get("peer_group")
                members = self.groups[g] if g is not None else [i]
                need = set().union(*(self.deps[m] for m in members)) - set(members)
                if not need <= done:
                    continue
                for m in members:
                    self.decide_own(m)
                if g is not None:
                    rows[g] = self.quota(g)
                for m in members:
                    self.res[m].decided = True
                    done.add(m)
                progress = True
            pending = [i for i in pending if i not in done]
            if not progress:
                raise Invalid("groups depend on each other")
        return {
            "year": self.year,
            "rules": self.rules,
            "results": [
                {
                    "id": e["id"],
                    "level": self.res[e["id"]].level,
                    "base_level": self.res[e["id"]].base_level,
                    "flags": sorted(self.res[e["id"]].flags),
                    "reasons": self.res[e["id"]].reasons,
                }
                for e in self.evs
            ],
            "quota": [rows[g] for g in sorted(rows)],
        }

    def canonical_order(self) -> list[str]:
        """Each id after everything it (or a member of its peer group) depends on; among the
        ids ready at a step, the first in input order (section 7, 9.24)."""
        import heapq

        need: dict[str, set[str]] = {}
        for i in self.by_id:
            g = self.by_id[i].get("peer_group")
            members = self.groups[g] if g is not None else [i]
            need[i] = set().union(*(self.deps[m] for m in members)) - set(members)
        users: dict[str, list[str]] = {i: [] for i in self.by_id}
        for i, ds in need.items():
            for d in ds:
                users[d].append(i)
        left = {i: len(ds) for i, ds in need.items()}
        ready = [self.index[i] for i, n in left.items() if n == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            i = self.evs[heapq.heappop(ready)]["id"]
            out.append(i)
            for u in users[i]:
                left[u] -= 1
                if left[u] == 0:
                    heapq.heappush(ready, self.index[u])
        return out

    def order_ok(self, order: list[str]) -> bool:
        """Every id once, each after everything it (or its peer group) depends on."""
        if sorted(order) != sorted(self.by_id):
            return False
        pos = {x: n for n, x in enumerate(order)}
        for i in self.by_id:
            g = self.by_id[i].get("peer_group")
            members = self.groups[g] if g is not None else [i]
            for m in members:
                for d in self.deps[m]:
                    if d not in members and pos[d] > pos[i]:
                        return False
        return True


def reference(doc: dict[str, Any]) -> tuple[dict[str, Any], Reference]:
    ref = Reference(doc)
    return ref.run(), ref


# ---- input validation, reduced to "invalid or not" (contract 1, 2, 9.1-9.8) ----------------
TOP_KEYS = {"year", "rules", "caps", "peer_groups", "evaluations"}
EV_KEYS = {
    "id", "subject", "role", "track", "peer_group", "score", "general", "results_grade", "tasks",
    "leads", "head_of", "manages", "leadership_of", "state_evaluation", "parent", "discipline",
    "degradation", "prohibition_violation", "shortcomings", "low_confidence_share",
    "socioeconomic_targets_failed", "corruption_in_managed_unit", "cadre_work_wrongdoing",
    "months_worked", "absent_months", "maternity", "party_admission", "party_status",
}  # fmt: skip
BOOL_KEYS = {
    "degradation", "prohibition_violation", "socioeconomic_targets_failed",
    "corruption_in_managed_unit", "cadre_work_wrongdoing", "maternity",
}  # fmt: skip
ROLES = {
    "individual": {"leader", "staff", "party_outside"},
    "collective": {"organization", "party_organization", "leadership"},
}
RATIO_TEXT = re.compile(r"^(\d+(\.\d+)?|\.\d+)$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _num(x: Any, lo: int, hi: int) -> bool:
    from decimal import Decimal

    return isinstance(x, (int, Decimal)) and not isinstance(x, bool) and lo <= x <= hi


def validate(doc: Any) -> None:
    """Raise ``Invalid`` when the document is invalid input; the structural checks (references'
    existence, cycles, peer groups) are those of ``Reference.__init__``."""

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise Invalid(what)

    need(isinstance(doc, dict) and set(doc) <= TOP_KEYS, "top level")
    need("year" in doc and "evaluations" in doc, "year/evaluations missing")
    need(_int(doc["year"]) and 2018 <= doc["year"] <= 2100, "year")
    rules = doc.get("rules", {})
    need(isinstance(rules, dict), "rules")
    rules = default_rules(doc["year"], rules)
    caps = doc.get("caps", [])
    need(isinstance(caps, list) and all(c in ALL_CAPS for c in caps), "caps")
    groups = doc.get("peer_groups", {})
    need(isinstance(groups, dict), "peer_groups")
    for v in groups.values():
        need(isinstance(v, dict) and set(v) <= {"ratio"}, "peer group entry")
        if "ratio" in v:
            r = v["ratio"]
            need(isinstance(r, str) and bool(RATIO_TEXT.match(r)), "ratio text")
            need(F(r) <= Fraction(1, 4), "ratio above 0.25")
    evs = doc["evaluations"]
    need(isinstance(evs, list) and all(isinstance(e, dict) for e in evs), "evaluations")
    by_id = {}
    for e in evs:
        need(set(e) <= EV_KEYS, "unknown key")
        need(all(v is not None for v in e.values()), "null")
        need(
            isinstance(e.get("id"), str) and e["id"] != "",
            "id (a non-empty string: the engine's reading)",
        )
        need(e["id"] not in by_id, "duplicate id")
        by_id[e["id"]] = e
    for e in evs:
        subject, role = e.get("subject"), e.get("role")
        need(subject in ROLES and role in ROLES[subject], "subject/role")
        if subject == "collective":
            need("track" not in e, "track on a collective")
            rs = rules["party"]
        else:
            need(e.get("track") in ("state", "party"), "track")
            need(not (role == "party_outside" and e["track"] == "state"), "party_outside state")
            rs = rules[e["track"]]
        need(isinstance(e.get("peer_group", ""), str), "peer_group")
        if "score" in e:
            need(_num(e["score"], 0, 100), "score")
        need(rs not in POINT_SETS or "score" in e, "score missing")
        for k in ("general", "results_grade"):
            need(e.get(k, "good") in GRADE, k)
        need(rs not in ("qd124", "nd90") or "general" in e, "general missing")
        need(rs != "qd124" or "results_grade" in e, "results_grade missing")
        if "tasks" in e:
            t = e["tasks"]
            need(
                isinstance(t, dict) and set(t) == {"assigned", "completed", "on_time", "exceeded"},
                "tasks keys",
            )
            need(all(_int(v) for v in t.values()), "tasks integers")
            a, c, ot, x = t["assigned"], t["completed"], t["on_time"], t["exceeded"]
            need(0 <= ot <= c <= a and 0 <= x <= c and a >= 1, "tasks counts")
        need(rs == "nd335" or "tasks" in e, "tasks missing")
        for k in BOOL_KEYS:
            need(isinstance(e.get(k, False), bool), k)
        if "discipline" in e:
            need(isinstance(e["discipline"], list), "discipline")
            for d in e["discipline"]:
                need(isinstance(d, dict), "discipline entry")
                need(
                    set(d) <= {"year", "duty_related", "self_remedied", "already_counted"},
                    "discipline key",
                )
                need(_int(d.get("year")) and 1900 <= d["year"] <= 2100, "discipline year")
                need(
                    all(isinstance(v, bool) for k, v in d.items() if k != "year"), "discipline bool"
                )
        if "shortcomings" in e:
            s = e["shortcomings"]
            need(isinstance(s, dict) and set(s) == {"previous", "remedied"}, "shortcomings keys")
            need(_int(s["previous"]) and _int(s["remedied"]), "shortcomings integers")
            need(0 <= s["remedied"] <= s["previous"], "shortcomings counts")
        if "low_confidence_share" in e:
            need(_num(e["low_confidence_share"], 0, 1), "low_confidence_share")
        for k in ("months_worked", "absent_months"):
            if k in e:
                need(_num(e[k], 0, 12), k)
        if "party_admission" in e:
            adm = e["party_admission"]
            need(isinstance(adm, str) and bool(DATE_TEXT.match(adm)), "party_admission YYYY-MM-DD")
            try:
                date.fromisoformat(adm)
            except ValueError:
                raise Invalid("party_admission") from None
        need(e.get("party_status", "active") in ("active", "exempt", "suspended"), "party_status")
        # references of the right kind (9.1)
        for k in ("leads", "head_of", "leadership_of", "state_evaluation", "parent"):
            if k in e:
                ref = by_id.get(e[k]) if isinstance(e[k], str) else None
                need(ref is not None, f"{k} unknown")
                assert ref is not None
                if k == "state_evaluation":
                    need(ref["subject"] == "individual" and ref.get("track") == "state", k)
                elif k in ("leads", "leadership_of"):
                    need(ref.get("role") in ("organization", "party_organization"), k)
                else:
                    need(ref.get("subject") == "collective", k)
        if "manages" in e:
            m = e["manages"]
            need(isinstance(m, list) and len(set(map(str, m))) == len(m), "manages")
            for x in m:
                need(isinstance(x, str) and x in by_id, "manages unknown")
                need(by_id[x]["subject"] == "collective", "manages kind")


def check(doc: Any) -> None:
    """Raise ``Invalid`` for invalid input, else return (all checks, structural ones too)."""
    try:
        validate(doc)
    except (TypeError, KeyError, AttributeError, ValueError) as error:  # a wrong type somewhere
        raise Invalid(repr(error)) from None
    Reference(doc).run()  # a cycle through peer groups (G1 -> G2 -> G3 -> G1) shows here
