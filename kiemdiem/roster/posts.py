"""Checking the posts and party memberships of a roster file (see `kiemdiem.roster.checks`)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.orgs.models import Organization, PartyMembership, Position
from kiemdiem.orgs.validators import party_membership_errors, position_errors
from kiemdiem.roster.checks import (
    CHUNK,
    ExistingMembership,
    ExistingPosition,
    Plan,
    _field_errors,
    in_actor_scope,
)
from kiemdiem.roster.layout import PARTY, POSITIONS, Sheet

PositionKey = tuple[str, str, str, dt.date | None]


def _unknown_person(plan: Plan, sheet: Sheet, row: int, number: str) -> None:
    plan.problem(
        sheet,
        row,
        "identity_number",
        _("không có người có số CCCD “%(number)s” trong trang “Cá nhân” hay trong hệ thống.")
        % {"number": number},
    )


def _organization(plan: Plan, sheet: Sheet, row: int, key: str, code: str) -> Organization | None:
    org = plan.orgs.get(code)
    if org is None and code not in plan.parsed.bad_keys:
        plan.problem(
            sheet,
            row,
            key,
            _("không có tổ chức mã “%(code)s” trong tệp hay trong hệ thống.") % {"code": code},
        )
    return org


def _existing_positions(plan: Plan) -> dict[PositionKey, ExistingPosition]:
    pks = [p.pk for p in plan.people.values()]
    code_of = {o.pk: code for code, o in plan.orgs.items() if o.pk is not None}
    out: dict[PositionKey, ExistingPosition] = {}
    number_of = {p.pk: n for n, p in plan.people.items()}
    for i in range(0, len(pks), CHUNK):
        found = Position.objects.filter(person_id__in=pks[i : i + CHUNK])
        for pos in map(ExistingPosition._make, found.values_list(*ExistingPosition._fields)):
            key = (
                number_of[pos.person_id],
                code_of.get(pos.organization_id, ""),
                pos.title,
                pos.start_date,
            )
            out[key] = pos
    return out


def check_positions(plan: Plan, actor: User, covered: set[str]) -> None:
    """`covered` receives the identity numbers that have a post or membership the actor may
    write: a new person needs one (rights follow posts)."""
    existing = _existing_positions(plan)
    seen: dict[PositionKey, int] = {}
    heads: dict[str, int] = {}
    new_numbers = {r.identity_number for r in plan.new_people}
    for r in plan.parsed.positions:
        key = (r.identity_number, r.organization, r.title, r.start_date)
        if key in seen:
            plan.problem(
                POSITIONS,
                r.row,
                "title",
                _("chức vụ này trùng với dòng %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = r.row
        known = r.identity_number in plan.people or r.identity_number in new_numbers
        if not known and r.identity_number not in plan.parsed.bad_keys:
            _unknown_person(plan, POSITIONS, r.row, r.identity_number)
        org = _organization(plan, POSITIONS, r.row, "organization", r.organization)
        if org is None or not known:
            continue
        if r.is_head and r.end_date is None:
            if r.organization in heads:
                plan.problem(
                    POSITIONS,
                    r.row,
                    "is_head",
                    _("đơn vị “%(code)s” đã có người đứng đầu ở dòng %(row)s.")
                    % {"code": r.organization, "row": heads[r.organization]},
                )
            heads[r.organization] = r.row
        current = existing.get(key)
        already_head = current is not None and current.is_head and current.end_date is None
        # A new unit has no head yet, and a post that already heads it is not a second head:
        # the validator's query for the current head is skipped (by a closed end date) there.
        skip_head_query = org.pk is None or already_head
        errors = position_errors(
            organization=org,
            title=r.title,
            level=r.level,
            is_head=r.is_head,
            start_date=r.start_date,
            end_date=(r.end_date or r.start_date) if skip_head_query else r.end_date,
        )
        for field_name, message in _field_errors(errors, {}):
            plan.problem(POSITIONS, r.row, field_name, message)
        if errors:
            continue
        in_scope = in_actor_scope(plan, actor, r.organization)
        if in_scope:
            covered.add(r.identity_number)
        if current is None:
            plan.new_positions.append(r)
        elif (current.level, current.is_head, current.end_date) == (r.level, r.is_head, r.end_date):
            plan.unchanged["pos"] = plan.unchanged.get("pos", 0) + 1
            continue
        else:
            plan.changed_positions.append((current, r))
        if not in_scope:
            plan.problem(
                POSITIONS,
                r.row,
                "organization",
                _("Bạn không có quyền quản lý “%(name)s”.") % {"name": org.name},
            )


def _born(subjects: dict[dt.date | None, Any], birth: dt.date | None) -> Any:
    """A stand-in for a person not yet written, for the validator, which reads only the birth
    date: a plain object per date, not a model instance per row (a second on 100,000 rows)."""
    if birth not in subjects:
        subjects[birth] = SimpleNamespace(date_of_birth=birth or dt.date.min)
    return subjects[birth]


def check_party(plan: Plan, actor: User, covered: set[str], today: dt.date) -> None:
    pks = [p.pk for p in plan.people.values()]
    existing: dict[int, ExistingMembership] = {}
    for i in range(0, len(pks), CHUNK):
        found = PartyMembership.objects.filter(person_id__in=pks[i : i + CHUNK])
        for m in map(ExistingMembership._make, found.values_list(*ExistingMembership._fields)):
            existing[m.person_id] = m
    births = {r.identity_number: r.date_of_birth for r in plan.new_people}
    subjects: dict[dt.date | None, Any] = {}
    seen: dict[str, int] = {}
    for r in plan.parsed.party:
        if r.identity_number in seen:
            plan.problem(
                PARTY,
                r.row,
                "identity_number",
                _("số CCCD “%(number)s” trùng với dòng %(row)s.")
                % {"number": r.identity_number, "row": seen[r.identity_number]},
            )
            continue
        seen[r.identity_number] = r.row
        person = plan.people.get(r.identity_number)
        if person is None and r.identity_number not in births:
            if r.identity_number not in plan.parsed.bad_keys:
                _unknown_person(plan, PARTY, r.row, r.identity_number)
            continue
        cell = _organization(plan, PARTY, r.row, "cell", r.cell)
        if cell is None:
            continue
        subject = person or _born(subjects, births[r.identity_number])
        errors = party_membership_errors(
            person=subject,
            cell=cell,
            admitted_on=r.admitted_on,
            official_on=r.official_on,
            status=r.status,
            today=today,
        )
        for field_name, message in _field_errors(errors, {}):
            plan.problem(PARTY, r.row, field_name, message)
        if errors:
            continue
        in_scope = in_actor_scope(plan, actor, r.cell)
        if in_scope:
            covered.add(r.identity_number)
        current = existing.get(person.pk) if person else None
        values = (plan.orgs[r.cell].pk, r.admitted_on, r.official_on, r.status, r.outside_system)
        if current is None:
            plan.new_party.append(r)
        elif (
            current.cell_id,
            current.admitted_on,
            current.official_on,
            current.status,
            current.outside_system,
        ) == values:
            plan.unchanged["party"] = plan.unchanged.get("party", 0) + 1
            continue
        else:
            plan.changed_party.append((current, r))
        if not in_scope:
            plan.problem(
                PARTY,
                r.row,
                "cell",
                _("Bạn không có quyền quản lý “%(name)s”.") % {"name": cell.name},
            )
