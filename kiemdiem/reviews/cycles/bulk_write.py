"""The raw bulk writers the opening (`kiemdiem.reviews.cycles.opening`) uses to write tens of
thousands of evaluations.

Vendor-specific SQL (PostgreSQL COPY, SQLite executemany) kept apart from the cycle services so
that the opening reads as what it does, and the speed-ups (measured, see `insert_evaluations`)
can be changed without touching it.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from kiemdiem.core.bulk import update_rows
from kiemdiem.reviews.cycles.derivation import FACT_FIELDS, LINK_FIELDS
from kiemdiem.reviews.evaluations.models import Evaluation


def insert_evaluations(values: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING of new evaluations (SQLite and PostgreSQL).

    Measured: `bulk_create` spends most of a 100,000-person opening preparing the ~45 columns of
    each row one value at a time; here every column the opening does not set is prepared once
    (its model default), and only dates and decimals go through their field. A conflict (another
    opening of the same cycle running concurrently) skips the row, as `ignore_conflicts` would.
    """
    if not values:
        return
    fields = [f for f in Evaluation._meta.concrete_fields if not f.primary_key]
    given = values[0].keys()
    constants = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in given
    }
    if connection.vendor == "postgresql":
        # Constant JSON columns as text once (COPY's text format), not one adapter per row.
        for f in fields:
            if f.attname in constants and f.get_internal_type() == "JSONField":
                constants[f.attname] = json.dumps(f.get_default())
    prepared = {
        f.attname: f
        for f in fields
        if f.attname in given and f.get_internal_type() in ("DecimalField", "DateField")
    }
    columns = [f.column for f in fields]
    qn = connection.ops.quote_name
    # Identifiers come from the model's metadata (quoted); values are parameters.
    table = qn(Evaluation._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
    params = []
    for v in values:
        row = []
        for f in fields:
            name = f.attname
            if name in constants:
                row.append(constants[name])
            elif name in prepared:
                row.append(prepared[name].get_db_prep_save(v[name], connection))
            else:
                row.append(v[name])
        params.append(row)
    if connection.vendor == "postgresql":
        # COPY into a session-local table, then one INSERT … SELECT … ON CONFLICT: statements
        # with many placeholders spend their time in client-side query parsing.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS kd_evaluation_load AS "  # noqa: S608
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            cursor.execute("TRUNCATE kd_evaluation_load")
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY kd_evaluation_load ({names}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} "  # noqa: S608
                "FROM kd_evaluation_load ON CONFLICT DO NOTHING"
            )
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def derived_keys() -> tuple[str, ...]:
    return (*FACT_FIELDS, *LINK_FIELDS, "peer_group_id", "peer_group_note")


def update_evaluations(objs: list[Evaluation], fields: list[str]) -> None:
    if not objs:
        return
    names = [f[:-3] if f.endswith("_id") else f for f in fields]
    update_rows(Evaluation, objs, names)  # not bulk_update: see core.bulk


def update_parents(chunk: list[Evaluation]) -> None:
    """Set `parent` on a batch of evaluations created in the same opening (the one link
    written after creation: it points at collectives of the same phase)."""
    table = connection.ops.quote_name(Evaluation._meta.db_table)
    parent_col = connection.ops.quote_name(Evaluation._meta.get_field("parent").column)
    with connection.cursor() as cursor:
        # Cheaper than bulk_update's CASE over thousands of ids: on PostgreSQL one UPDATE
        # joined to a VALUES list, on SQLite one prepared statement run per row.
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} AS e SET {parent_col} = v.parent "  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, parent) WHERE e.id = v.id",
                [x for e in chunk for x in (e.pk, e.parent_id)],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {parent_col} = %s WHERE id = %s",  # noqa: S608
                [(e.parent_id, e.pk) for e in chunk],
            )
