"""Raw multi-row INSERT … RETURNING for the import's hundred thousand new rows.

Django's `bulk_create` prepares every value of every instance through the field machinery;
for 255,000 rows that was the largest cost of the import. Here the rows are plain dicts of
values already checked (`kiemdiem.roster.checks`); only dates need adapting, the columns the
file does not carry get the model's default (prepared once), and the new ids come back with
RETURNING, in row order, as `bulk_create` itself relies on (SQLite ≥ 3.35).

On PostgreSQL the rows go by COPY instead (psycopg 3's `cursor.copy`), with their ids taken
from the table's sequence first: adapting some two million parameters of multi-row INSERTs cost
the client more CPU than all the checks of the import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _columns(model: type[models.Model], given: list[str]) -> tuple[list[Any], list[Any]]:
    """The concrete fields to write and, for those not in `given`, their prepared default."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = []
    for f in fields:
        if f.attname in given:
            defaults.append(None)
            continue
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else None
        if value is None:
            value = f.get_default()
        defaults.append(f.get_db_prep_save(value, connection))
    return fields, defaults


def _adapter(f: Any) -> Callable[[Any], Any] | None:
    if isinstance(f, models.DateTimeField):
        return None  # none of the given columns is a datetime
    if isinstance(f, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _max_params() -> int:
    """Parameters one statement may carry: SQLite's own limit (32,766 since 3.32), where
    Django assumes the old 999 and so sends 55-row statements for people."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 65535  # PostgreSQL's protocol limit (this path is not used there: COPY)


def insert_rows(
    model: type[models.Model], given: list[str], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert `rows` (dicts keyed by attname, covering `given`); return their new ids in order."""
    if not rows:
        return []
    fields, defaults = _columns(model, given)
    plan = []
    for f, default in zip(fields, defaults, strict=True):
        plan.append((f.attname, f.attname in given, _adapter(f), default))
    if connection.vendor == "postgresql":
        return _copy_new_rows(model, fields, plan, rows)
    qn = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    per_row = len(fields)
    size = max(1, min(_max_params() // per_row, 1000))
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    one = "(" + ", ".join(["%s"] * per_row) + ")"
    template = [default for _name, _given, _adapt, default in plan]
    given_at = [(i, name, adapt) for i, (name, is_given, adapt, _d) in enumerate(plan) if is_given]
    ids: list[int] = []
    with connection.cursor() as wrapper:
        # The database cursor itself, past Django's debug wrapper: with DEBUG on, that wrapper
        # quotes every parameter of every statement back through SQLite to log the query,
        # which doubled the work of these inserts.
        cursor = wrapper.cursor
        for i in range(0, len(rows), size):
            chunk = rows[i : i + size]
            params: list[Any] = []
            for row in chunk:
                values = template.copy()
                for at, name, adapt in given_at:
                    value = row[name]
                    values[at] = adapt(value) if adapt is not None and value is not None else value
                params.extend(values)
            # Identifiers from the model's own metadata, quoted; every value is a parameter.
            sql = head + ", ".join([one] * len(chunk)) + " RETURNING " + qn(pk.column)
            cursor.execute(sql, params)
            ids.extend(r[0] for r in cursor.fetchall())
    assert len(ids) == len(rows)
    return ids


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `table`, PostgreSQL only."""
    qn = connection.ops.quote_name
    # Identifiers from the models' own metadata, quoted; the values travel as COPY data.
    sql = "COPY {} ({}) FROM STDIN".format(qn(table), ", ".join(qn(c) for c in columns))
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_new_rows(
    model: type[models.Model], fields: list[Any], plan: list[Any], rows: list[dict[str, Any]]
) -> list[int]:
    """New ids from the sequence (ascending, in row order, as RETURNING would give them), then
    COPY with explicit ids. The sequence is the identity column's own, so later inserts by the
    ORM continue after these ids."""
    pk = model._meta.pk
    assert pk is not None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), pk.column, len(rows)],
        )
        ids = sorted(r[0] for r in cursor.fetchall())
    values = (
        [new_id, *(row[name] if is_given else default for name, is_given, _, default in plan)]
        for new_id, row in zip(ids, rows, strict=True)
    )
    copy_rows(table, [pk.column, *(f.column for f in fields)], values)
    return ids
