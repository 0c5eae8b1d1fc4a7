"""Checking parsed rows against each other and the database, with the validators the pages use
(`kiemdiem.orgs.validators`), before anything is written; the result is a plan of what to create,
update and leave unchanged.

Problems are appended to `parsed.problems`; the plan is written only when there are none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.orgs import access
from kiemdiem.orgs.models import Organization, Person
from kiemdiem.orgs.validators import (
    organization_link_errors,
    person_errors,
)
from kiemdiem.roster.layout import ORGANIZATIONS, PEOPLE, Sheet
from kiemdiem.roster.parse import OrgRow, Parsed, PartyRow, PersonRow, PositionRow
from kiemdiem.roster.reader import Problem

CHUNK = 5000
ORG_REFS = ("parent", "party_organization", "leads")


# The database's side of the comparison, as plain tuples: a re-import of 100,000 unchanged rows
# spent a third of its time building model instances only to compare a few of their values.
# The writes load the instances of the rows that did change (`kiemdiem.roster.services`).
class ExistingPerson(NamedTuple):
    pk: int
    full_name: str
    gender: str
    date_of_birth: dt.date | None
    employment: str
    email: str
    phone: str


class ExistingPosition(NamedTuple):
    pk: int
    person_id: int
    organization_id: int
    title: str
    start_date: dt.date | None
    level: int
    is_head: bool
    end_date: dt.date | None


class ExistingMembership(NamedTuple):
    pk: int
    person_id: int
    cell_id: int
    admitted_on: dt.date | None
    official_on: dt.date | None
    status: str
    outside_system: bool


@dataclass
class Plan:
    parsed: Parsed
    orgs: dict[str, Organization] = field(default_factory=dict)
    new_orgs: list[OrgRow] = field(default_factory=list)
    changed_orgs: list[tuple[Organization, OrgRow]] = field(default_factory=list)
    people: dict[str, ExistingPerson] = field(default_factory=dict)
    new_people: list[PersonRow] = field(default_factory=list)
    changed_people: list[tuple[ExistingPerson, PersonRow]] = field(default_factory=list)
    new_positions: list[PositionRow] = field(default_factory=list)
    changed_positions: list[tuple[ExistingPosition, PositionRow]] = field(default_factory=list)
    new_party: list[PartyRow] = field(default_factory=list)
    changed_party: list[tuple[ExistingMembership, PartyRow]] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=dict)
    # Codes of the existing organizations by id (no query per foreign key).
    code_of: dict[int | None, str] = field(default_factory=dict)

    def problem(self, sheet: Sheet, row: int, key: str, message: str) -> None:
        header = next(c.header for c in sheet.columns if c.key == key)
        self.parsed.problems.append(Problem(sheet.title, row, header, message))

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            "organizations": _count(self.new_orgs, self.changed_orgs, self.unchanged, "org"),
            "people": _count(self.new_people, self.changed_people, self.unchanged, "person"),
            "positions": _count(self.new_positions, self.changed_positions, self.unchanged, "pos"),
            "party": _count(self.new_party, self.changed_party, self.unchanged, "party"),
        }


def _count(
    new: list[Any], changed: list[Any], unchanged: dict[str, int], key: str
) -> dict[str, int]:
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged.get(key, 0)}


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _field_errors(errors: dict[str, Any], mapping: dict[str, str]) -> Iterable[tuple[str, str]]:
    for name, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            yield mapping.get(name, name), message


def _scope_anchor(plan: Plan, code: str) -> Organization | None:
    """The organization itself or, for a new one, its nearest existing ancestor: whose records
    decide whether the actor may write it."""
    rows = {r.code: r for r in plan.new_orgs}
    seen: set[str] = set()
    while code and code not in seen:
        seen.add(code)
        org = plan.orgs.get(code)
        if org is not None and org.pk is not None:
            return org
        row = rows.get(code)
        code = row.parent if row else ""
    return None


def in_actor_scope(plan: Plan, actor: User, code: str) -> bool:
    if actor is None:
        return True
    anchor = _scope_anchor(plan, code)
    if anchor is None:
        return access.is_superuser(actor)
    return access.keeps_records_of(actor, anchor)


# --- organizations ----------------------------------------------------------------------------


def _org_parent_codes(existing: dict[str, Organization]) -> dict[str, str]:
    code_of = {o.pk: o.code for o in existing.values()}
    return {o.code: code_of.get(o.parent_id, "") if o.parent_id else "" for o in existing.values()}


def _in_cycle(start: str, parent_of: dict[str, str]) -> bool:
    seen: set[str] = set()
    current = parent_of.get(start, "")
    while current and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = parent_of.get(current, "")
    return False


def check_organizations(plan: Plan, actor: User) -> None:
    existing = {o.code: o for o in Organization.objects.all()}
    rows: dict[str, OrgRow] = {}
    for r in plan.parsed.organizations:
        if r.code in rows:
            plan.problem(
                ORGANIZATIONS,
                r.row,
                "code",
                _("mã “%(code)s” trùng với dòng %(row)s.")
                % {"code": r.code, "row": rows[r.code].row},
            )
            continue
        rows[r.code] = r
    known = set(existing) | set(rows) | plan.parsed.bad_keys
    plan.code_of = {o.pk: o.code for o in existing.values()}
    parent_of = _org_parent_codes(existing)
    parent_of.update({code: r.parent for code, r in rows.items()})
    plan.orgs = dict(existing)
    for code, r in rows.items():
        if code not in existing:
            plan.orgs[code] = Organization(code=code, name=r.name, kind=r.kind)
    bad: set[str] = set()
    for code, r in rows.items():
        for key in ORG_REFS:
            ref = getattr(r, key)
            if ref and ref not in known:
                bad.add(code)
                plan.problem(
                    ORGANIZATIONS,
                    r.row,
                    key,
                    _("không có tổ chức mã “%(code)s” trong tệp hay trong hệ thống.")
                    % {"code": ref},
                )
        if _in_cycle(code, parent_of):
            bad.add(code)
            plan.problem(
                ORGANIZATIONS,
                r.row,
                "parent",
                _(
                    "“%(code)s” nằm trong một vòng lặp của cây tổ chức (một đơn vị là cấp trên của chính nó)."
                )
                % {"code": code},
            )
    for code, r in rows.items():
        if code not in bad:
            _check_org_row(plan, actor, existing.get(code), r)
    plan.new_orgs = _creation_order([r for c, r in rows.items() if c not in existing])


def _check_org_row(plan: Plan, actor: User, org: Organization | None, r: OrgRow) -> None:
    refs = {key: plan.orgs.get(getattr(r, key)) if getattr(r, key) else None for key in ORG_REFS}
    errors = organization_link_errors(kind=r.kind, **refs)
    for key, message in _field_errors(errors, {}):
        plan.problem(
            ORGANIZATIONS, r.row, key if key in dict.fromkeys(ORG_REFS) else "kind", message
        )
    if org is None:
        if not in_actor_scope(plan, actor, r.code):
            plan.problem(
                ORGANIZATIONS, r.row, "parent", _("Bạn không có quyền tạo đơn vị ở vị trí này.")
            )
        return
    if org.kind != r.kind:
        plan.problem(ORGANIZATIONS, r.row, "kind", _("không đổi được loại của tổ chức đã có."))
    code_of = plan.code_of
    if code_of.get(org.leads_id, "") != r.leads:
        plan.problem(
            ORGANIZATIONS,
            r.row,
            "leads",
            _("không đổi được tổ chức mà tập thể lãnh đạo đã gắn với."),
        )
    party_code = code_of.get(org.party_organization_id, "")
    parent_code = code_of.get(org.parent_id, "")
    same = (org.name, org.short_name, party_code, parent_code) == (
        r.name,
        r.short_name,
        r.party_organization,
        r.parent,
    )
    if same:
        plan.unchanged["org"] = plan.unchanged.get("org", 0) + 1
        return
    if actor is not None and not (
        access.keeps_records_of(actor, org) and in_actor_scope(plan, actor, r.parent)
    ):
        plan.problem(
            ORGANIZATIONS,
            r.row,
            "code",
            _("Bạn không có quyền sửa “%(name)s”.") % {"name": org.name},
        )
    plan.changed_orgs.append((org, r))


def _creation_order(rows: list[OrgRow]) -> list[OrgRow]:
    """New organizations after every new one they refer to (parent, party organization, the
    organization a collective leads)."""
    by_code = {r.code: r for r in rows}
    ordered: list[OrgRow] = []
    state: dict[str, int] = {}

    def visit(r: OrgRow) -> None:
        state[r.code] = 1
        for key in ORG_REFS:
            ref = by_code.get(getattr(r, key))
            if ref is not None and state.get(ref.code) is None:
                visit(ref)
        state[r.code] = 2
        ordered.append(r)

    for r in rows:
        if r.code not in state:
            visit(r)
    return ordered


# --- people -----------------------------------------------------------------------------------

PERSON_COMPARED = ("full_name", "gender", "date_of_birth", "employment", "email", "phone")


def check_people(plan: Plan, actor: User, today: dt.date) -> None:
    numbers = sorted(
        {r.identity_number for r in plan.parsed.people}
        | {r.identity_number for r in plan.parsed.positions}
        | {r.identity_number for r in plan.parsed.party}
    )
    fields = ExistingPerson._fields
    for chunk in _chunks(numbers):
        found = Person.objects.filter(identity_number__in=chunk).values_list(
            "identity_number", *fields
        )
        plan.people.update((row[0], ExistingPerson(*row[1:])) for row in found)
    seen: dict[str, int] = {}
    for r in plan.parsed.people:
        if r.identity_number in seen:
            plan.problem(
                PEOPLE,
                r.row,
                "identity_number",
                _("số CCCD “%(number)s” trùng với dòng %(row)s (một người chỉ ghi một dòng).")
                % {"number": r.identity_number, "row": seen[r.identity_number]},
            )
            continue
        seen[r.identity_number] = r.row
        person = plan.people.get(r.identity_number)
        errors = person_errors(
            full_name=r.full_name,
            gender=r.gender,
            date_of_birth=r.date_of_birth,
            identity_number=r.identity_number,
            employment=r.employment,
            today=today,
            exclude_pk=person.pk if person else None,
            # Every number of the file was looked up at once above: a number found there is
            # the person this row updates, one not found is free.
            check_duplicate=False,
        )
        for key, message in _field_errors(errors, {}):
            plan.problem(PEOPLE, r.row, key, message)
        if errors:
            continue
        if person is None:
            plan.new_people.append(r)
        elif tuple(getattr(person, f) for f in PERSON_COMPARED) == tuple(
            getattr(r, f) for f in PERSON_COMPARED
        ):
            plan.unchanged["person"] = plan.unchanged.get("person", 0) + 1
        else:
            if actor is not None and not access.can_manage_person(actor, person):
                plan.problem(
                    PEOPLE,
                    r.row,
                    "identity_number",
                    _("Bạn không có quyền quản lý hồ sơ của %(name)s.")
                    % {"name": person.full_name},
                )
            plan.changed_people.append((person, r))
