"""Whether the subtree's decisions kept the rules: the cross caps (classification.md §5), the
evaluation order (§7) and the quota (§6, counted in `selectors`).

Read over decided evaluations (decided or published) only: a cap is checked where both the
evaluation and the one that caps it hold a rating; the order per link where the evaluation
depends on another (`state_evaluation`, `head_of`, `leads`, `leadership_of`, `manages`, or a sub-unit
naming it as `parent`), which must be decided no later than it. Three aggregate queries in all,
whatever the size of the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def checks(evaluations: QuerySet[Evaluation]) -> list[Check]:
    """The caps, then the order, over `evaluations` (a subtree's, annulled left out)."""
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
    row = (
        evaluations.filter(linked)
        .annotate(rank=_rank("decided_level"), **ranks)
        .aggregate(**aggregates)
    )
    row |= evaluations.filter(parent__isnull=False, parent__status__in=DONE).aggregate(
        order_parent_n=Count("id"),
        order_parent_x=Count("id", filter=~_decided() | Q(decided_at__gt=F("parent__decided_at"))),
    )
    managed = _manages(evaluations)
    return [
        *(Check(key, row[f"{key}_n"], row[f"{key}_x"]) for key, _ in CAPS),
        Check(
            "order",
            sum(row[f"order_{fk}_n"] for fk in (*DEPENDS_ON, "parent")) + managed.checked,
            sum(row[f"order_{fk}_x"] for fk in (*DEPENDS_ON, "parent")) + managed.breaches,
        ),
    ]


def _manages(evaluations: QuerySet[Evaluation]) -> Check:
    """`manages` is many-to-many: one aggregate over its link table."""
    through = Evaluation.manages.through
    ids = evaluations.filter(_decided()).values("pk")
    links = through.objects.filter(from_evaluation_id__in=ids)
    row = links.aggregate(
        n=Count("id"),
        x=Count(
            "id",
            filter=~Q(to_evaluation__status__in=DONE)
            | Q(to_evaluation__decided_at__gt=F("from_evaluation__decided_at")),
        ),
    )
    return Check("manages", row["n"], row["x"])
