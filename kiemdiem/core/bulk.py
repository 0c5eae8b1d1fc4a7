"""Updating many rows by id, fast on SQLite and PostgreSQL alike.

`QuerySet.bulk_update` writes one `UPDATE … SET f = CASE WHEN id = 1 THEN … WHEN id = 2 …`
per batch: building and evaluating the CASE costs time quadratic in the batch (a 7,898-row
recompute of suggestions took 49 s). Here, on SQLite, each row is its own `UPDATE … WHERE id =
?`, all of a batch sent by one `executemany` (no network: a statement per row is what SQLite
does best); on PostgreSQL a batch is COPied into a session-local table and written by one
`UPDATE … FROM` (one statement per batch, no placeholders to parse), unless there are only a
few rows (`SMALL`: then like SQLite). Values go through each
field's own database preparation (JSON, dates and time zones), as `save()` would send them.
Like `bulk_update`, no signals and no `auto_now`: the caller sets what it writes.

`changed_only` names fields whose values decide whether a row is written at all: a row whose
stored values of those fields equal the new ones is left alone (none of its fields written), so
recomputing what did not change costs no row write (SQLite: no page, PostgreSQL: no new tuple).
`stamp` names a field set on every written row (when it was written): a row where it is still
NULL is written even if unchanged, so "never written" stays distinguishable.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router, transaction

from kiemdiem.core.memo import remembered, typed

BATCH = 2000
#: Fewer rows than this go to PostgreSQL by `executemany` too: the COPY path's five statements
#: (temporary table, truncate, copy, analyse, update) cost more than a few single-row updates.
SMALL = 50


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk job: its hundreds of thousands of row dicts
    and results all live until the end, and the collector would only rescan them again and
    again (a province's recompute: 40% of its CPU; `kiemdiem classify` does the same)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def update_rows(
    model: type[models.Model],
    objs: Sequence[Any],
    fields: Sequence[str],
    *,
    changed_only: Sequence[str] = (),
    stamp: str = "",
) -> None:
    """Write `fields` (model field names) of every instance in `objs` to its row."""
    attnames = [model._meta.get_field(name).attname for name in fields]
    update_values(
        model,
        fields,
        [(obj.pk, *[getattr(obj, a) for a in attnames]) for obj in objs],
        changed_only=changed_only,
        stamp=stamp,
    )


def update_values(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    changed_only: Sequence[str] = (),
    stamp: str = "",
) -> None:
    """Write rows given as `(pk, value of fields[0], value of fields[1], …)`: no model
    instances (building 140,000 of them cost more than the write)."""
    if not rows:
        return
    conn = connections[router.db_for_write(model)]  # once: the `connection` proxy costs per use
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    prepare = [_memoized(f, conn) for f in targets]
    copying = conn.vendor == "postgresql" and len(rows) >= SMALL
    write = _write_postgresql if copying else _write_executemany
    compared = [targets[list(fields).index(name)] for name in changed_only]
    stamped = meta.get_field(stamp) if stamp and compared else None
    for start in range(0, len(rows), BATCH):
        params = [
            [row[0], *[prep(v) for prep, v in zip(prepare, row[1:], strict=True)]]
            for row in rows[start : start + BATCH]
        ]
        write(conn, meta, targets, compared, stamped, params)


def _write_executemany(
    conn: Any,
    meta: Any,
    targets: list[Any],
    compared: list[Any],
    stamped: Any,
    params: list[list[Any]],
) -> None:
    """One `UPDATE … WHERE id = %s` per row, the batch sent by one `executemany`."""
    quote = conn.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in targets)
    where = f"{quote(meta.pk.column)} = %s"
    positions = [targets.index(f) + 1 for f in compared]
    if compared and conn.vendor == "postgresql":
        where += " AND " + _changed(quote, compared, stamped, "", ["%s"] * len(compared))
    elif compared:
        same = " AND ".join(f"{quote(f.column)} IS %s" for f in compared)
        if stamped is not None:
            same += f" AND {quote(stamped.column)} IS NOT NULL"
        where += f" AND NOT ({same})"
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {where}"  # noqa: S608
    with conn.cursor() as cursor:
        cursor.executemany(sql, [[*p[1:], p[0], *[p[i] for i in positions]] for p in params])


def _write_postgresql(
    conn: Any,
    meta: Any,
    targets: list[Any],
    compared: list[Any],
    stamped: Any,
    params: list[list[Any]],
) -> None:
    quote = conn.ops.quote_name
    table = quote(meta.db_table)
    pk = quote(meta.pk.column)
    columns = [pk, *(quote(f.column) for f in targets)]
    names = ", ".join(columns)
    # One session-local table per (table, columns), created once per connection.
    load = f"kd_update_{zlib.crc32(f'{meta.db_table}:{names}'.encode()):08x}"
    sets = ", ".join(f"{c} = s.{c}" for c in columns[1:])
    where = f"t.{pk} = s.{pk}"
    if compared:
        new = [f"s.{quote(f.column)}" for f in compared]
        where += " AND " + _changed(quote, compared, stamped, "t.", new)
    with transaction.atomic(using=conn.alias, savepoint=False), conn.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {load} AS "  # noqa: S608
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {load}")
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {load} ({names}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        # Its row count for the planner: without it the join may scan the whole table per batch
        # instead of looking each id up in the primary key.
        cursor.execute(f"ANALYZE {load}")
        cursor.execute(f"UPDATE {table} AS t SET {sets} FROM {load} AS s WHERE {where}")  # noqa: S608


def _changed(quote: Any, compared: list[Any], stamped: Any, old: str, new: list[str]) -> str:
    """PostgreSQL: the row's compared columns (prefixed `old`) differ from `new`, or its stamp
    was never set."""
    columns = ", ".join(f"{old}{quote(f.column)}" for f in compared)
    changed = f"({columns}) IS DISTINCT FROM ({', '.join(new)})"
    if stamped is not None:
        changed += f" OR {old}{quote(stamped.column)} IS NULL"
    return f"({changed})"


def _memoized(field: Any, conn: Any) -> Callable[[Any], Any]:
    """The field's preparation, remembered per value (a recompute writes one timestamp and a
    handful of levels 140,000 times; a datetime's preparation alone was a third of the write);
    a list of strings (the flags) by its items; other lists (JSON) are prepared every time."""
    return remembered(lambda value: field.get_db_prep_save(value, conn), key=_prep_key)


def _prep_key(value: Any) -> Hashable:
    if type(value) is list:
        return (list, *_strings(value))  # TypeError for any other list: prepared every time
    return typed(value)


def _strings(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        if type(item) is not str:
            raise TypeError("not a list of strings")
        yield item
