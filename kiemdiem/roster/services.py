"""Importing a roster file: read, check everything, then write all of it or nothing.

Organizations are few and go through the organization services one by one. People, posts and
party memberships can be a hundred thousand rows: they are checked row by row with the same
validators as the services (`kiemdiem.roster.checks`), then written with bulk statements and
one audit event per row, inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.core.logs import current_request_id
from kiemdiem.core.models import AuditEvent
from kiemdiem.core.text import nfc
from kiemdiem.orgs.models import Organization, PartyMembership, Person, Position
from kiemdiem.orgs.services import (
    organization_keys,
    organization_move,
    organization_update,
    path_segment,
    person_name_fields,
    snapshot,
)
from kiemdiem.roster.checks import Plan, check_organizations, check_people
from kiemdiem.roster.inserts import copy_rows, insert_rows
from kiemdiem.roster.layout import PEOPLE, SHEETS
from kiemdiem.roster.parse import Parsed, parse_tables
from kiemdiem.roster.posts import check_party, check_positions
from kiemdiem.roster.reader import Problem, RosterReadError, read_roster

BATCH = 2000


class RosterInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    counts: dict[str, dict[str, int]]
    dry_run: bool

    def lines(self) -> list[str]:
        labels = {
            "organizations": _("Tổ chức"),
            "people": _("Cá nhân"),
            "positions": _("Chức vụ"),
            "party": _("Đảng viên"),
        }
        return [
            _("%(what)s: tạo mới %(created)s, cập nhật %(updated)s, không đổi %(unchanged)s.")
            % {"what": labels[key], **value}
            for key, value in self.counts.items()
        ]


def roster_read(path: Path) -> Parsed:
    """Read and parse the file (no database): every malformed cell becomes a problem."""
    try:
        tables, problems = read_roster(path)
    except RosterReadError as exc:
        raise RosterInvalid(exc.problems) from exc
    if not tables and not problems:
        problems = [Problem(path.name, 0, "", _("tệp không có trang nào theo mẫu."))]
    return parse_tables(tables, problems)


def roster_plan(*, actor: User, parsed: Parsed) -> Plan:
    """Check the parsed rows against each other and the database; raises RosterInvalid listing
    every problem (those of the reading too)."""
    today = timezone.localdate()
    plan = Plan(parsed)
    check_organizations(plan, actor)
    check_people(plan, actor, today)
    covered: set[str] = set()
    check_positions(plan, actor, covered)
    check_party(plan, actor, covered, today)
    if actor is not None:
        for r in plan.new_people:
            if r.identity_number not in covered:
                plan.problem(
                    PEOPLE,
                    r.row,
                    "identity_number",
                    _("người mới phải có chức vụ hoặc đảng tịch ở đơn vị bạn quản lý."),
                )
    if parsed.problems:
        raise RosterInvalid(sorted(parsed.problems, key=_order))
    return plan


def _order(p: Problem) -> tuple[int, str, int]:
    titles = [s.title for s in SHEETS]
    return (titles.index(p.sheet) if p.sheet in titles else -1, p.sheet, p.row)


def roster_import(
    *,
    actor: User,
    path: Path,
    dry_run: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> ImportReport:
    """All or nothing: any problem raises RosterInvalid and nothing is written. `progress`
    hears of each phase (1 read, 2 checked and written) outside the transaction."""
    parsed = roster_read(path)
    if progress:
        progress(1, _("Đã đọc tệp; đang kiểm tra và ghi…"))
    with transaction.atomic():
        plan = roster_plan(actor=actor, parsed=parsed)
        if not dry_run:
            reason = _("Nhập danh sách từ tệp %(name)s") % {"name": path.name}
            _write_organizations(plan, actor, reason)
            ids: dict[str, int] = {}
            _write_people(plan, actor, reason, ids)
            _write_positions(plan, actor, reason, ids)
            _write_party(plan, actor, reason, ids)
    if progress:
        progress(2, _("Hoàn thành."))
    return ImportReport(plan.counts(), dry_run)


def _ref(plan: Plan, code: str) -> Any:
    return plan.orgs[code] if code else None


def _generations(plan: Plan) -> list[list[Any]]:
    """New organizations in waves: each wave refers only to existing ones or earlier waves."""
    wave: dict[str, int] = {}
    for r in plan.new_orgs:  # already ordered: referred-to organizations first
        refs = [getattr(r, key) for key in ("parent", "party_organization", "leads")]
        wave[r.code] = 1 + max((wave.get(ref, -1) for ref in refs if ref), default=-1)
    waves: list[list[Any]] = [[] for _ in range(max(wave.values(), default=-1) + 1)]
    for r in plan.new_orgs:
        waves[wave[r.code]].append(r)
    return waves


def _create_organizations(plan: Plan, actor: User, reason: str) -> None:
    """Bulk `organization_create`: the same checks ran in `check_organizations`; the derived
    columns (path, depth, collation keys) are computed as the service does."""
    for wave in _generations(plan):
        orgs = []
        for r in wave:
            parent = _ref(plan, r.parent)
            orgs.append(
                Organization(
                    code=r.code,
                    kind=r.kind,
                    parent=parent,
                    party_organization=_ref(plan, r.party_organization),
                    leads=_ref(plan, r.leads),
                    short_name=nfc(r.short_name),
                    depth=(parent.depth + 1) if parent else 0,
                    path="",
                    **organization_keys(r.name),
                )
            )
        _insert_organizations(orgs)
        for org in orgs:
            org.path = (org.parent.path if org.parent else "") + path_segment(org.pk)
            plan.orgs[org.code] = org
        _set_paths(orgs)
        _audit(actor, "organization.create", orgs, ["code", "name", "kind", "parent_id"], reason)


ORG_GIVEN = [
    "code",
    "kind",
    "parent_id",
    "party_organization_id",
    "leads_id",
    "short_name",
    "depth",
    "path",
    "name",
    "name_key",
    "search_key",
]


def _insert_organizations(orgs: list[Organization]) -> None:
    """`bulk_create` without its per-field preparation (a twentieth of the import for 8,000
    units): the instances' values by the same raw insert as people; the instances get their
    ids and are marked saved, as `bulk_create` leaves them."""
    rows = [{name: getattr(org, name) for name in ORG_GIVEN} for org in orgs]
    for org, pk in zip(orgs, insert_rows(Organization, ORG_GIVEN, rows), strict=True):
        org.pk = pk
        org._state.adding, org._state.db = False, connection.alias


def _set_paths(orgs: list[Organization]) -> None:
    """UPDATE … WHERE id by executemany: bulk_update's CASE over 2,000 ids is quadratic."""
    meta = Organization._meta
    qn = connection.ops.quote_name
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    sql = "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608
        qn(meta.db_table), qn(meta.get_field("path").column), qn("id")
    )
    with connection.cursor() as cursor:
        cursor.cursor.executemany(sql, [(o.path, o.pk) for o in orgs])  # see insert_rows


def _write_organizations(plan: Plan, actor: User, reason: str) -> None:
    _create_organizations(plan, actor, reason)
    for org, r in plan.changed_orgs:
        updated = organization_update(
            actor=actor,
            organization=org,
            name=r.name,
            code=r.code,
            short_name=r.short_name,
            party_organization=_ref(plan, r.party_organization),
            position=org.position,
            is_active=org.is_active,
            reason=reason,
        )
        if (updated.parent.code if updated.parent else "") != r.parent:
            updated = organization_move(
                actor=actor, organization=updated, new_parent=_ref(plan, r.parent), reason=reason
            )
        plan.orgs[r.code] = updated


AUDIT_COLUMNS = (
    "actor_id",
    "at",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "request_id",
)


def _audit(actor: User, action: str, objs: list[Any], fields: list[str], reason: str) -> None:
    if objs:
        label = objs[0]._meta.label_lower
        _audit_rows(actor, action, label, [(o.pk, snapshot(o, fields)) for o in objs], reason)


def _audit_rows(
    actor: User, action: str, label: str, rows: list[tuple[Any, dict[str, Any]]], reason: str
) -> None:
    """One AuditEvent per (id, after) pair, as `audit_record` writes it, inserted with
    executemany: the ORM's bulk_create spent a quarter of a 100,000-row import preparing these."""
    if not rows:
        return
    meta = AuditEvent._meta
    assert {f.attname for f in meta.concrete_fields} - {"id"} == set(AUDIT_COLUMNS)
    qn = connection.ops.quote_name
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        qn(meta.db_table),
        ", ".join(qn(c) for c in AUDIT_COLUMNS),
        ", ".join(["%s"] * len(AUDIT_COLUMNS)),
    )
    who = actor.pk if actor is not None and actor.is_authenticated else None
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    # What JSONField.get_db_prep_save ends in, without its per-value checks.
    adapt, encoder = connection.ops.adapt_json_value, meta.get_field("after").encoder
    request_id = current_request_id()
    values = [
        (
            who,
            at,
            action,
            label,
            str(pk),
            None,
            adapt(data, encoder),
            reason,
            request_id,
        )
        for pk, data in rows
    ]
    if connection.vendor == "postgresql":
        copy_rows(meta.db_table, AUDIT_COLUMNS, values)
        return
    with connection.cursor() as cursor:
        for i in range(0, len(values), BATCH):
            cursor.cursor.executemany(sql, values[i : i + BATCH])  # see insert_rows


def _after(values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """`snapshot` of a row not built as a model instance."""
    out = {}
    for f in fields:
        value = values[f]
        out[f] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _instances(model: type[Any], changed: list[tuple[Any, Any]]) -> dict[int, Any]:
    """The model instances of the changed rows (the checks compared plain tuples), by id."""
    pks = [existing.pk for existing, _row in changed]
    out: dict[int, Any] = {}
    for i in range(0, len(pks), BATCH):
        out.update(model.objects.in_bulk(pks[i : i + BATCH]))
    return out


PERSON_WRITTEN = ["full_name", "identity_number", "gender", "date_of_birth", "employment"]
PERSON_GIVEN = [
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "sort_key",
    "search_key",
    "gender",
    "date_of_birth",
    "identity_number",
    "employment",
    "email",
    "phone",
]


def _person_values(r: Any) -> dict[str, Any]:
    return {
        "gender": r.gender,
        "date_of_birth": r.date_of_birth,
        "identity_number": r.identity_number,
        "employment": r.employment,
        "email": r.email,
        "phone": r.phone,
        **person_name_fields(r.full_name),
    }


def _write_people(plan: Plan, actor: User, reason: str, ids: dict[str, int]) -> None:
    """New people by raw INSERT; `ids` receives every person's id by identity number."""
    for number, person in plan.people.items():
        ids[number] = person.pk
    rows = [_person_values(r) for r in plan.new_people]
    new_ids = insert_rows(Person, PERSON_GIVEN, rows)
    for pk, row in zip(new_ids, rows, strict=True):
        ids[row["identity_number"]] = pk
    label = Person._meta.label_lower
    pairs = [(pk, _after(row, PERSON_WRITTEN)) for pk, row in zip(new_ids, rows, strict=True)]
    _audit_rows(actor, "person.create", label, pairs, reason)
    changed = []
    people = _instances(Person, plan.changed_people)
    for existing, r in plan.changed_people:
        person = people[existing.pk]
        for key, value in _person_values(r).items():
            setattr(person, key, value)
        person.updated_at = timezone.now()  # bulk_update skips auto_now
        changed.append(person)
    Person.objects.bulk_update(changed, [*PERSON_GIVEN, "updated_at"], batch_size=BATCH)
    _audit(actor, "person.update", changed, PERSON_WRITTEN, reason)


POSITION_WRITTEN = [
    "person_id",
    "organization_id",
    "title",
    "level",
    "is_head",
    "start_date",
    "end_date",
]


def _write_positions(plan: Plan, actor: User, reason: str, ids: dict[str, int]) -> None:
    rows = [
        {
            "person_id": ids[r.identity_number],
            "organization_id": plan.orgs[r.organization].pk,
            "title": r.title,
            "level": r.level,
            "is_head": r.is_head,
            "start_date": r.start_date,
            "end_date": r.end_date,
        }
        for r in plan.new_positions
    ]
    new_ids = insert_rows(Position, POSITION_WRITTEN, rows)
    pairs = [(pk, _after(row, POSITION_WRITTEN)) for pk, row in zip(new_ids, rows, strict=True)]
    _audit_rows(actor, "position.add", Position._meta.label_lower, pairs, reason)
    changed = []
    positions = _instances(Position, plan.changed_positions)
    for existing, r in plan.changed_positions:
        pos = positions[existing.pk]
        pos.level, pos.is_head, pos.end_date = r.level, r.is_head, r.end_date
        changed.append(pos)
    Position.objects.bulk_update(changed, ["level", "is_head", "end_date"], batch_size=BATCH)
    _audit(actor, "position.update", changed, POSITION_WRITTEN, reason)


PARTY_WRITTEN = ["person_id", "cell_id", "admitted_on", "official_on", "status", "outside_system"]


def _write_party(plan: Plan, actor: User, reason: str, ids: dict[str, int]) -> None:
    rows = [
        {
            "person_id": ids[r.identity_number],
            "cell_id": plan.orgs[r.cell].pk,
            "admitted_on": r.admitted_on,
            "official_on": r.official_on,
            "status": r.status,
            "outside_system": r.outside_system,
        }
        for r in plan.new_party
    ]
    new_ids = insert_rows(PartyMembership, PARTY_WRITTEN, rows)
    pairs = [(pk, _after(row, PARTY_WRITTEN)) for pk, row in zip(new_ids, rows, strict=True)]
    _audit_rows(actor, "party_membership.set", PartyMembership._meta.label_lower, pairs, reason)
    changed = []
    memberships = _instances(PartyMembership, plan.changed_party)
    for existing, r in plan.changed_party:
        membership = memberships[existing.pk]
        membership.cell = plan.orgs[r.cell]
        membership.admitted_on, membership.official_on = r.admitted_on, r.official_on
        membership.status, membership.outside_system = r.status, r.outside_system
        changed.append(membership)
    PartyMembership.objects.bulk_update(
        changed,
        ["cell", "admitted_on", "official_on", "status", "outside_system"],
        batch_size=BATCH,
    )
    _audit(actor, "party_membership.set", changed, PARTY_WRITTEN, reason)
