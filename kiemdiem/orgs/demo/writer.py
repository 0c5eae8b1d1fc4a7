"""Write a generated demo province into an empty database: batched inserts in one transaction.

Ids are assigned here (1..n after the current maximum), so paths, parents and every foreign key
are known before the first insert and each table is written once, without a second pass; on
PostgreSQL the id sequences are reset afterwards. Foreign keys are deferred on both databases,
so the insert order inside the transaction does not matter.

Rows go in through `cursor.executemany` rather than `bulk_create`: building 250,000 model
instances costs more than the inserts themselves (100k people: ~20 s with `bulk_create` on
SQLite on a quiet 2-core machine). The column lists are checked against the models, so a schema
change fails loudly here instead of writing wrong columns. `created_at`/`updated_at` get a fixed
time (the demo's "today"), so the same seed gives the same rows byte for byte.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model

from kiemdiem.core.audit import audit_record
from kiemdiem.core.numbers import vn_number
from kiemdiem.orgs.demo import Demo
from kiemdiem.orgs.demo.staffing import AS_OF
from kiemdiem.orgs.models import (
    CadreManagement,
    Organization,
    PartyMembership,
    Person,
    Position,
)
from kiemdiem.orgs.services import organization_keys, path_segment, person_name_fields

BATCH = 5_000
WRITTEN_AT = dt.datetime.combine(AS_OF, dt.time(8, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

ORG_COLUMNS = [
    "id",
    "code",
    "name",
    "short_name",
    "kind",
    "parent_id",
    "party_organization_id",
    "leads_id",
    "path",
    "depth",
    "name_key",
    "search_key",
    "position",
    "is_active",
]
PERSON_COLUMNS = [
    "id",
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "sort_key",
    "search_key",
    "gender",
    "date_of_birth",
    "identity_number",
    "email",
    "phone",
    "employment",
    "user_id",
    "created_at",
    "updated_at",
]
POSITION_COLUMNS = [
    "id",
    "person_id",
    "organization_id",
    "title",
    "level",
    "is_head",
    "start_date",
    "end_date",
]
MEMBER_COLUMNS = [
    "id",
    "person_id",
    "cell_id",
    "admitted_on",
    "official_on",
    "status",
    "outside_system",
]
MANAGEMENT_COLUMNS = ["id", "manager_id", "person_id", "organization_id", "note"]


def _next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _insert(model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    fields = {f.attname: f.column for f in model._meta.concrete_fields}
    assert set(columns) == set(fields), f"{model.__name__}: {set(fields) ^ set(columns)}"
    qn = connection.ops.quote_name
    # Identifiers come from the model's metadata, values go in as parameters.
    table = qn(model._meta.db_table)
    names = ", ".join(qn(fields[c]) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    count = 0
    if connection.vendor == "postgresql":
        # COPY is several times faster than batched INSERTs on PostgreSQL.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(  # type: ignore[attr-defined]
                f"COPY {table} ({names}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def write_demo(demo: Demo, *, progress: Callable[[str], None] = lambda _msg: None) -> dict:
    started = time.perf_counter()
    province = demo.province
    orgs = province.tree.orgs
    persons = demo.people.persons
    date = connection.ops.adapt_datefield_value
    written_at = connection.ops.adapt_datetimefield_value(WRITTEN_AT)

    def step(message: str) -> None:
        progress(f"  {message} ({time.perf_counter() - started:.1f} s)")

    with transaction.atomic():
        org_base = _next_id(Organization)
        person_base = _next_id(Person)
        position_base = _next_id(Position)
        member_base = _next_id(PartyMembership)
        management_base = _next_id(CadreManagement)
        org_id = {o.idx: org_base + o.idx for o in orgs}

        paths: dict[int, str] = {}
        org_rows = []
        for o in orgs:
            pk = org_id[o.idx]
            paths[o.idx] = (paths[o.parent.idx] if o.parent else "") + path_segment(pk)
            keys = organization_keys(o.name)
            org_rows.append(
                (
                    pk,
                    o.code,
                    keys["name"],
                    o.short_name,
                    o.kind,
                    org_id[o.parent.idx] if o.parent else None,
                    org_id[o.party.idx] if o.party else None,
                    org_id[o.leads.idx] if o.leads else None,
                    paths[o.idx],
                    o.depth,
                    keys["name_key"],
                    keys["search_key"],
                    o.position,
                    True,
                )
            )
        n_orgs = _insert(Organization, ORG_COLUMNS, org_rows)
        step(f"{vn_number(n_orgs)} tổ chức")

        name_cache: dict[str, tuple[str, ...]] = {}

        def person_row(p: Any) -> tuple[Any, ...]:
            names = name_cache.get(p.full_name)
            if names is None:
                f = person_name_fields(p.full_name)
                names = name_cache[p.full_name] = (
                    f["full_name"],
                    f["family_name"],
                    f["middle_name"],
                    f["given_name"],
                    f["sort_key"],
                    f["search_key"],
                )
            return (
                person_base + p.idx,
                *names,
                p.gender,
                date(p.dob),
                p.cccd,
                "",
                "",
                p.employment,
                None,
                written_at,
                written_at,
            )

        chunk = 25_000
        for i in range(0, len(persons), chunk):
            _insert(Person, PERSON_COLUMNS, (person_row(p) for p in persons[i : i + chunk]))
            step(f"{vn_number(min(i + chunk, len(persons)))}/{vn_number(len(persons))} cá nhân")

        posts = ((p, post) for p in persons for post in p.posts)
        n_positions = _insert(
            Position,
            POSITION_COLUMNS,
            (
                (
                    position_base + k,
                    person_base + p.idx,
                    org_id[post.org.idx],
                    post.title,
                    int(post.level),
                    post.is_head,
                    date(post.start),
                    None,
                )
                for k, (p, post) in enumerate(posts)
            ),
        )
        step(f"{vn_number(n_positions)} chức vụ")

        members = (p for p in persons if p.cell is not None)
        n_members = _insert(
            PartyMembership,
            MEMBER_COLUMNS,
            (
                (
                    member_base + k,
                    person_base + p.idx,
                    org_id[p.cell.idx],
                    date(p.admitted),
                    date(p.official),
                    str(p.status),
                    p.outside,
                )
                for k, p in enumerate(members)
            ),
        )
        managed = (p for p in persons if p.manager is not None)
        n_managed = _insert(
            CadreManagement,
            MANAGEMENT_COLUMNS,
            (
                (management_base + k, org_id[p.manager.idx], person_base + p.idx, None, "")
                for k, p in enumerate(managed)
            ),
        )
        step(f"{vn_number(n_members)} đảng viên, {vn_number(n_managed)} diện quản lý")

        sequences = connection.ops.sequence_reset_sql(
            no_style(), [Organization, Person, Position, PartyMembership, CadreManagement]
        )
        if sequences:
            with connection.cursor() as cursor:
                for sql in sequences:
                    cursor.execute(sql)

        summary = {
            "province": province.name,
            "seed": demo.seed,
            "people": len(persons),
            "organizations": n_orgs,
            "positions": n_positions,
            "party_members": n_members,
            "cadre_management": n_managed,
            "communes": len(province.communes),
            "kinds": dict(sorted(Counter(o.kind for o in orgs).items())),
        }
        root = Organization.objects.get(pk=org_id[province.party_root.idx])
        audit_record(actor=None, action="demo.seed", obj=root, after=summary)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary
