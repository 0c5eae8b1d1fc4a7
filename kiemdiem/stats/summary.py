"""The statistics page's figures read from the per-cycle summary (`kiemdiem.stats.models`).

`rebuild(cycle)` replaces a cycle's summary in one transaction: the state row is locked first
(two rebuilds of one cycle never interleave) and its time taken; then one INSERT … SELECT …
GROUP BY for each organization's own counts and one per compliance query (the only reads of the
evaluations); then, from the deepest level up, one INSERT … SELECT per level summing each unit's
rows into its parent's. So a rebuild reads everything committed before it began.

`request_refresh(cycle_id)` is called by every change that moves counts
(`kiemdiem.stats.refresh`): once the change commits, it stamps the cycle as changed and enqueues
one `refresh_summary` task, none if one for the cycle is still waiting. `statistics()` reads the
unit's own summary rows in a fixed number of queries whatever the size of its subtree; a cycle
without summary yet is built synchronously, once.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, IntegerField, Max, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.jobs import job_enqueue
from kiemdiem.core.models import Job
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.services import path_segment
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import compliance, selectors
from kiemdiem.stats.models import ComplianceSummary, CycleSummary, SummaryState
from kiemdiem.stats.shares import level_counts

JOB_KIND = "stats.refresh"
COMPLIANCE_COLUMNS = [
    *(f"{key}_{s}" for key, _fk in compliance.CAPS for s in ("n", "x")),
    "order_n",
    "order_x",
]


@dataclass(frozen=True)
class Freshness:
    """When the figures were counted, and whether a change since waits for a refresh."""

    built_at: dt.datetime
    pending: bool


def _insert_select(model: type, columns: list[str], values: list[str], rows: QuerySet) -> None:  # type: ignore[type-arg]
    """INSERT INTO model (columns) SELECT values FROM (rows) AS sub: set-based, in the database."""
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(values)} FROM ({sql}) sub",  # noqa: S608 - fixed names
            params,
        )


def _evaluations(cycle: Cycle) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(cycle=cycle).exclude(status=Evaluation.Status.ANNULLED)


def _write_own_counts(cycle: Cycle) -> None:
    """Each organization's own evaluations (`child_id` NULL): the one scan of the cycle."""
    rows = (
        _evaluations(cycle)
        .annotate(
            cid=Value(cycle.pk, output_field=IntegerField()),
            lvl=selectors.level_expr(),
            pg=selectors.quota_group_expr(),
        )
        .values("cid", "organization_id", "role", "track", "status", "lvl", "pg")
        .annotate(total=Count("id"))
        .order_by()
    )
    _insert_select(
        CycleSummary,
        ["cycle_id", "unit", "role", "track", "status", "level", "peer_group_id", "n"],
        [f"sub.{c}" for c in ("cid", "organization_id", "role", "track", "status", "lvl", "pg")]
        + ["sub.total"],
        rows,
    )


def _write_own_compliance(cycle: Cycle) -> None:
    for part in compliance.parts(_evaluations(cycle)):
        names = list(part.counts)
        values = []
        for column in COMPLIANCE_COLUMNS:
            if column in names:
                values.append(f"sub.{column}")
            elif column.startswith("order_"):
                suffix = column[len("order") :]  # "_n" or "_x"
                summed = [
                    f"sub.{k}" for k in names if k.startswith("order_") and k.endswith(suffix)
                ]
                values.append(" + ".join(summed) or "0")
            else:
                values.append("0")
        _insert_select(
            ComplianceSummary,
            ["cycle_id", "unit", *COMPLIANCE_COLUMNS],
            [str(int(cycle.pk)), "sub.unit", *values],
            part.grouped(),
        )


def _roll_up(cycle: Cycle, depth: int) -> None:
    """Every row of the units `depth` levels down, summed into their parents' rows (the
    unit becoming the parent's `child_id`): the summary's own rows, not the evaluations."""
    q = connection.ops.quote_name
    orgs = q(Organization._meta.db_table)
    counts, checks = q(CycleSummary._meta.db_table), q(ComplianceSummary._meta.db_table)
    kind = ["role", "track", "status", "level", "peer_group_id"]
    columns = ", ".join(f"s.{q(c)}" for c in kind)
    sums = ", ".join(f"SUM(s.{q(c)})" for c in COMPLIANCE_COLUMNS)
    where = f"FROM {{table}} s JOIN {orgs} o ON o.id = s.unit WHERE s.cycle_id = %s AND o.depth = %s AND o.parent_id IS NOT NULL"  # noqa: E501
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {counts} (cycle_id, unit, child_id, {', '.join(q(c) for c in kind)}, n) "  # noqa: S608 - fixed names
            f"SELECT s.cycle_id, o.parent_id, s.unit, {columns}, SUM(s.n) "
            + where.format(table=counts)
            + f" GROUP BY s.cycle_id, o.parent_id, s.unit, {columns}",
            [cycle.pk, depth],
        )
        cursor.execute(
            f"INSERT INTO {checks} (cycle_id, unit, {', '.join(q(c) for c in COMPLIANCE_COLUMNS)}) "  # noqa: S608 - fixed names
            f"SELECT s.cycle_id, o.parent_id, {sums} "
            + where.format(table=checks)
            + " GROUP BY s.cycle_id, o.parent_id",
            [cycle.pk, depth],
        )


def rebuild(cycle: Cycle) -> SummaryState:
    """Replace the cycle's summary with counts of everything committed before it began."""
    SummaryState.objects.get_or_create(cycle=cycle)
    started = time.perf_counter()
    with transaction.atomic():
        state = SummaryState.objects.select_for_update().get(cycle=cycle)
        state.built_at = timezone.now()
        CycleSummary.objects.filter(cycle=cycle).delete()
        ComplianceSummary.objects.filter(cycle=cycle).delete()
        _write_own_counts(cycle)
        _write_own_compliance(cycle)
        deepest = Organization.objects.aggregate(d=Max("depth"))["d"] or 0
        for depth in range(deepest, 0, -1):  # the deepest units first: each sum is complete
            _roll_up(cycle, depth)
        state.build_ms = round((time.perf_counter() - started) * 1000)
        state.save(update_fields=["built_at", "build_ms"])
    return state


@dataclass(frozen=True)
class _Refresh:
    """The commit callback of one cycle (equal callbacks: asked once per transaction)."""

    cycle_id: int

    def __call__(self) -> None:
        _changed(self.cycle_id)


def request_refresh(cycle_id: int) -> None:
    """After the current transaction commits: the cycle's counts changed; refresh them. Once
    per transaction however many rows it saves; `robust`: a committed change never fails
    because its refresh could not be asked for (the next change asks again)."""
    callback = _Refresh(cycle_id)
    if any(entry[1] == callback for entry in connection.run_on_commit):
        return
    transaction.on_commit(callback, robust=True)


def _changed(cycle_id: int) -> None:
    SummaryState.objects.filter(cycle_id=cycle_id).update(changed_at=timezone.now())
    waiting = Job.objects.filter(kind=JOB_KIND, status=Job.Status.QUEUED)
    if waiting.filter(title__endswith=f" #{cycle_id}").exists():
        return  # that one has not started yet: it will read this change
    cycle = Cycle.objects.filter(pk=cycle_id).select_related("scope").first()
    if cycle is None:
        return
    from kiemdiem.stats.tasks import refresh_summary

    job_enqueue(
        task=refresh_summary,
        kind=JOB_KIND,
        title=_("Cập nhật số liệu thống kê đợt #%(id)s") % {"id": cycle_id},
        organization=cycle.scope,
        kwargs={"cycle_id": cycle_id},
    )


def freshness(cycle: Cycle) -> Freshness:
    """The summary's stamp, the summary built first if the cycle has none yet."""
    state = SummaryState.objects.filter(cycle=cycle).first()
    if state is None or state.built_at is None:
        state = rebuild(cycle)
    assert state.built_at is not None  # noqa: S101 - set by rebuild
    pending = state.changed_at is not None and state.changed_at > state.built_at
    return Freshness(state.built_at, pending)


def _scan(cycle: Cycle, org: Organization, today: dt.date) -> selectors.Scan:
    """The tables from the unit's own summary rows (one per child unit, role, track, status,
    level and quota peer group): read as they are, no GROUP BY over the subtree."""
    scan = selectors.Scan()
    rows = CycleSummary.objects.filter(cycle=cycle, unit=org.pk).values_list(
        "child_id", "role", "track", "status", "level", "peer_group_id", "n"
    )
    paths = {None: org.path}
    for child, role, track, status, level, pg, n in rows:
        if child not in paths:
            paths[child] = org.path + path_segment(child)
        group = {"prefix": paths[child], "role": role, "track": track, "status": status}
        scan.add({**group, "lvl": level, "pg": pg, "n": n}, cycle, today)
    return scan


def _by_level(cycle: Cycle, org: Organization) -> dict[str, int]:
    rows = CycleSummary.objects.filter(cycle=cycle, unit=org.pk).values("level")
    return level_counts({r["level"]: r["n"] for r in rows.annotate(n=Sum("n")).order_by()})


def _checks(cycle: Cycle, org: Organization) -> list[compliance.Check]:
    rows = ComplianceSummary.objects.filter(cycle=cycle, unit=org.pk)
    return compliance.combine(rows.aggregate(**{c: Sum(c) for c in COMPLIANCE_COLUMNS}))


def statistics(
    cycle: Cycle, org: Organization, *, today: dt.date | None = None, here_label: str = ""
) -> tuple[selectors.Statistics, Freshness]:
    """`selectors.statistics`' figures, from the summary (the previous year's from its own)."""
    stamp = freshness(cycle)
    previous = selectors.previous_cycle(cycle)
    if previous is not None:
        freshness(previous)
    stats = selectors.assemble(
        cycle,
        org,
        _scan(cycle, org, today or dt.date.today()),
        previous=previous,
        previous_levels=_by_level(previous, org) if previous else {},
        checks=_checks(cycle, org),
        here_label=here_label,
    )
    return stats, stamp
