"""Whether the subtree's decisions kept the rules: the cross caps (classification.md §5), the
evaluation order (§7) and the quota (§6, counted in `selectors`).

Read over decided evaluations (decided or published) only: a cap is checked where both the
evaluation and the one that caps it hold a rating; the order per link where the evaluation
depends on another (`state_evaluation`, `head_of`, `leads`, `leadership_of`, `manages`, or a sub-unit
naming it as `parent`), which must be decided no later than it. Three aggregate queries in all,
whatever the size of the subtree (`parts`; the statistics summary stores the
same counts per organization, `Part.grouped`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from kiemdiem.reviews.evaluations.models import Evaluation

DONE = (Evaluation.Status.DECIDED, Evaluation.Status.PUBLISHED)
RANKED = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")

# (key, the foreign key naming the evaluation that caps it)
CAPS = (
    ("party_le_state", "state_evaluation"),
    ("head_le_unit", "head_of"),
    ("leadership_le_unit", "leadership_of"),
)
# Foreign keys naming an evaluation that must be decided first.
DEPENDS_ON = ("state_evaluation", "head_of", "leads", "leadership_of")


@dataclass(frozen=True)
class Check:
    key: str
    checked: int
    breaches: int

    @property
    def ok(self) -> bool:
        return self.breaches == 0


def _rank(field: str) -> Case:
    return Case(
        *(When(**{field: level}, then=Value(len(RANKED) - i)) for i, level in enumerate(RANKED)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _decided(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": DONE})


def _late(prefix: str) -> Q:
    """The evaluation named by `prefix` is not decided, or was decided after this one."""
    return ~_decided(f"{prefix}__") | Q(**{f"{prefix}__decided_at__gt": F("decided_at")})


def _capped(fk: str) -> Q:
    return (
        _decided()
        & Q(decided_level__in=RANKED)
        & _decided(f"{fk}__")
        & Q(**{f"{fk}__decided_level__in": RANKED})
    )


@dataclass(frozen=True)
class Part:
    """One of the aggregate queries: its rows, the relation to the organization of the
    evaluation checked, and its named counts."""

    rows: QuerySet[Any]
    organization: str
    counts: dict[str, Count]

    def grouped(self) -> QuerySet[Any]:
        """The counts per organization of the evaluation checked (`unit`): the statistics
        summary's own rows."""
        unit = F(f"{self.organization}_id")
        return self.rows.values(unit=unit).annotate(**self.counts).order_by()


def parts(evaluations: QuerySet[Evaluation]) -> list[Part]:
    """The caps and order as three aggregate queries over `evaluations` (a subtree's or a
    cycle's, annulled left out)."""
    # Only rows that can count: decided with a link, or a sub-unit whose parent is decided
    # (the rest of the subtree is not joined at all).
    linked = Q()
    for fk in DEPENDS_ON:
        linked |= Q(**{f"{fk}__isnull": False})
    # Two row sets, each read by its own query so each can use an index: the decided rows with
    # a link (the (cycle, status) index) and the sub-units with a decided parent. An OR of the
    # two made SQLite join every evaluation of the cycle to five others.
    linked = _decided() & linked
    aggregates: dict[str, Count] = {}
    for key, fk in CAPS:
        aggregates[f"{key}_n"] = Count("id", filter=_capped(fk))
        aggregates[f"{key}_x"] = Count(
            "id", filter=_capped(fk) & Q(**{"rank__gt": F(f"rank_{fk}")})
        )
    # Counted per link (an evaluation depending on two others is checked twice).
    for fk in DEPENDS_ON:
        linked_here = _decided() & Q(**{f"{fk}__isnull": False})
        aggregates[f"order_{fk}_n"] = Count("id", filter=linked_here)
        aggregates[f"order_{fk}_x"] = Count("id", filter=linked_here & _late(fk))
    # A sub-unit comes before its parent: the parent decided while the sub-unit is not yet, or
    # was decided before it.
    ranks = {f"rank_{fk}": _rank(f"{fk}__decided_level") for _, fk in CAPS}
    return [
        Part(
            evaluations.filter(linked).annotate(rank=_rank("decided_level"), **ranks),
            "organization",
            aggregates,
        ),
        Part(
            evaluations.filter(parent__isnull=False, parent__status__in=DONE),
            "organization",
            {
                "order_parent_n": Count("id"),
                "order_parent_x": Count(
                    "id", filter=~_decided() | Q(decided_at__gt=F("parent__decided_at"))
                ),
            },
        ),
        _manages(evaluations),
    ]


def combine(row: dict[str, int | None]) -> list[Check]:
    """The checks from the counts of `parts` (or their sums in the summary): every `order_…`
    count adds to the order check; a missing or NULL count is zero."""

    def order(suffix: str) -> int:
        return sum(v or 0 for k, v in row.items() if k.startswith("order_") and k.endswith(suffix))

    return [
        *(Check(key, row.get(f"{key}_n") or 0, row.get(f"{key}_x") or 0) for key, _ in CAPS),
        Check("order", order("_n"), order("_x")),
    ]


def checks(evaluations: QuerySet[Evaluation]) -> list[Check]:
    """The caps, then the order, over `evaluations` (a subtree's, annulled left out)."""
    row: dict[str, int | None] = {}
    for part in parts(evaluations):
        row |= part.rows.aggregate(**part.counts)
    return combine(row)


def _manages(evaluations: QuerySet[Evaluation]) -> Part:
    """`manages` is many-to-many: one aggregate over its link table."""
    through = Evaluation.manages.through
    ids = evaluations.filter(_decided()).values("pk")
    return Part(
        through.objects.filter(from_evaluation_id__in=ids),
        "from_evaluation__organization",
        {
            "order_manages_n": Count("id"),
            "order_manages_x": Count(
                "id",
                filter=~Q(to_evaluation__status__in=DONE)
                | Q(to_evaluation__decided_at__gt=F("from_evaluation__decided_at")),
            ),
        },
    )
