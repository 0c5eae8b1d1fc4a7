"""Rows → the JSON shapes of decisions.md §4 (formatting only; the selectors fetch)."""

from __future__ import annotations

from typing import Any

from kiemdiem.accounts.models import RoleAssignment
from kiemdiem.api.selectors import dependency_links, depends_on
from kiemdiem.core.models import AuditEvent
from kiemdiem.explain.render import explain_reasons
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.models import Cycle, Evaluation, Level

#: Keys of a statistics row: the levels, then evaluations without a decided level.
STAT_KEYS = (*Level.values, "undecided")


def org_ref(org: Organization) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def role_json(assignment: RoleAssignment) -> dict[str, Any]:
    return {"role": assignment.role, "organization": org_ref(assignment.organization)}


def cycle_json(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "year": cycle.year,
        "quarter": cycle.quarter,
        "rules": {"party": cycle.party_rules, "state": cycle.state_rules},
        "status": cycle.status,
    }


def _level(value: str) -> str | None:
    return value or None


def _reasons(ev: Evaluation) -> list[dict[str, str]]:
    """The engine's reasons with `detail` as the sentence the pages show (the engine writes
    short technical English; a reader of the API gets the Vietnamese explanation)."""
    reasons = [r for r in (ev.suggested_reasons or []) if isinstance(r, dict)]
    explained = explain_reasons(
        reasons, base_level=ev.suggested_base_level, level=ev.suggested_level
    )
    return [
        {"rule": said.rule, "effect": said.effect, "detail": said.sentence} for said in explained
    ]


def evaluation_json(ev: Evaluation, links: dict[int, list[int]]) -> dict[str, Any]:
    if ev.subject == Evaluation.Subject.INDIVIDUAL and ev.person is not None:
        subject = {"kind": ev.subject, "id": ev.person_id, "name": ev.person.full_name}
    else:
        subject = {"kind": ev.subject, "id": ev.organization_id, "name": ev.organization.name}
    group = ev.peer_group
    return {
        "id": ev.pk,
        "cycle": ev.cycle_id,
        "subject": subject,
        "role": ev.role,
        "track": ev.track or None,
        "organization": org_ref(ev.organization),
        "peer_group": (
            {"id": group.pk, "name": group.name, "ratio": group.ratio} if group else None
        ),
        "state": ev.status,
        "version": ev.version,
        "levels": {
            "self": _level(ev.self_level),
            "meeting": _level(ev.meeting_level),
            "proposed": _level(ev.proposed_level),
            "decided": _level(ev.decided_level),
        },
        # The stored suggestion (recomputed with the cycle and by the decision service).
        "suggestion": {
            "level": _level(ev.suggested_level),
            "base_level": _level(ev.suggested_base_level),
            "flags": list(ev.suggested_flags or []),
            "reasons": _reasons(ev),
        },
        "depends_on": depends_on(ev, links),
    }


def evaluations_json(rows: list[Evaluation]) -> list[dict[str, Any]]:
    links = dependency_links([ev.pk for ev in rows])
    return [evaluation_json(ev, links) for ev in rows]


def _side(values: Any) -> Any:
    """A workflow move shows as its states ("verified" → "decided"); any other recorded change
    as the values it recorded."""
    if isinstance(values, dict) and "status" in values:
        return values["status"]
    return values


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor.get_username() if event.actor else None,
        "action": event.action,
        "from": _side(event.before),
        "to": _side(event.after),
        "reason": event.reason,
    }


def statistics_json(org: Organization, rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = dict.fromkeys(STAT_KEYS, 0)
    by_role: dict[str, dict[str, int]] = {}
    for row in rows:
        key = row["decided_level"] or "undecided"
        total[key] += row["n"]
        role = by_role.setdefault(row["role"], dict.fromkeys(STAT_KEYS, 0))
        role[key] += row["n"]
    return {
        "organization": org_ref(org),
        "total": sum(total.values()),
        "by_level": total,
        "by_role": dict(sorted(by_role.items())),
    }
