"""Give a cycle's evaluations the facts submitted self-reviews carry, at scale and set-based.

`kiemdiem demo-cycle` (`kiemdiem.reviews.decisions.demo._facts`) gives every evaluation a score,
grades and task counts one instance at a time; a 140,000-evaluation province needs the same
done in a few UPDATE statements. Every value is a deterministic function of the row id (a
multiplicative hash, so neighbouring ids differ), the same on SQLite and PostgreSQL:

- ~2% stay drafts with no facts (not submitted yet: the engine reports what is missing);
- the others get a score (62–97.75, 1% below 50), general and results grades (mostly good,
  some excellent, a few average and poor), tasks (10–30 assigned; 3% leave some undone, 20%
  finish some late, 40% exceed 5–8 of them; 0.2% fail more than half);
- skew: half carry the optional facts (shortcomings of the last review, a confidence vote for
  leaders), the other half none; a few carry disciplines (this year's, duty-related or
  self-remedied, or last year's), degradation, prohibition violations, failed socio-economic
  targets, corruption in a managed unit, wrongdoing in cadre work, maternity leave;
- statuses: submitted, returned, reviewed, verified, decided (with a decided level),
  published, with the levels each step sets.

The party admission dates, party status and the leader links (`leads`, `head_of`,
`leadership_of`, `parent`, `manages`) are the opening's, from the province tree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Mod
from django.db.models.lookups import LessThan

from kiemdiem.reviews.models import Evaluation

E = Evaluation


def h(prime: int, modulus: int) -> Any:
    """A pseudo-random bucket 0..modulus-1 of the row id."""
    return Mod(F("id") * Value(prime), Value(modulus))


def _bucketed(bucket: Any, steps: list[tuple[int, Any]], last: Any, field: Any) -> Any:
    """CASE WHEN bucket < s1 THEN v1 WHEN bucket < s2 THEN v2 … ELSE last."""

    def wrap(value: Any) -> Any:
        return value if hasattr(value, "resolve_expression") else Value(value)

    whens = [When(LessThan(bucket, Value(bound)), then=wrap(value)) for bound, value in steps]
    return ExpressionWrapper(Case(*whens, default=wrap(last), output_field=field), field)


def give_facts(cycle: Any, year: int) -> dict[str, int]:
    """Facts, shapes and statuses for the cycle's evaluations (see the module docstring)."""
    evs = E.objects.filter(cycle=cycle, excluded=False)
    out: dict[str, int] = {}
    with transaction.atomic():
        none = evs.annotate(bucket=h(7919, 50)).filter(bucket=0)
        rest = evs.annotate(bucket=h(7919, 50)).exclude(bucket=0)
        out["without facts"] = none.count()
        assigned = Value(10) + h(53, 21)
        undone = _bucketed(h(59, 100), [(1, 2), (3, 1)], 0, models.IntegerField())
        completed = assigned - undone
        late = _bucketed(h(61, 20), [(1, 3), (4, 1)], 0, models.IntegerField())
        exceeded = _bucketed(h(67, 10), [(4, Value(5) + h(71, 4))], h(71, 4), models.IntegerField())
        out["with facts"] = rest.update(
            score=decimal((Value(248) + h(7901, 144)) * Value(Decimal("0.25"))),
            general=_bucketed(
                h(101, 64),
                [(12, "excellent"), (52, "good"), (63, "average")],
                "poor",
                models.CharField(),
            ),
            results_grade=_bucketed(
                h(103, 64),
                [(14, "excellent"), (54, "good"), (63, "average")],
                "poor",
                models.CharField(),
            ),
            tasks_assigned=assigned,
            tasks_completed=completed,
            tasks_on_time=completed - late,
            tasks_exceeded=exceeded,
            status=_bucketed(
                h(97, 100),
                [
                    (30, "submitted"),
                    (32, "returned"),
                    (55, "reviewed"),
                    (78, "verified"),
                    (94, "decided"),
                ],
                "published",
                models.CharField(),
            ),
        )
        # Knock-outs by the numbers: 1% score below 50, 0.2% failing more than half.
        rest.annotate(k=h(37, 100)).filter(k=0).update(score=Value(Decimal("42.50")))
        rest.annotate(k=h(71, 500)).filter(k=0).update(
            tasks_completed=Value(3), tasks_on_time=Value(2), tasks_exceeded=Value(0)
        )
        # Skew: optional facts on half of them.
        optional = rest.annotate(k=h(73, 2)).filter(k=0)
        out["with optional facts"] = optional.update(
            shortcomings_previous=Value(1) + h(79, 3),
            shortcomings_remedied=Value(1)
            + h(79, 3)
            - _bucketed(h(83, 4), [(1, 1)], 0, models.IntegerField()),
        )
        optional.filter(role=E.Role.LEADER).update(
            low_confidence_share=decimal(h(89, 20) * Value(Decimal("0.01")), 4)
        )
        rest.filter(role=E.Role.LEADER).annotate(k=h(107, 300)).filter(k=0).update(
            low_confidence_share=Value(Decimal("0.55"))
        )
        # Rare facts.
        disciplines = [
            [{"year": year, "duty_related": False, "self_remedied": True}],
            [{"year": year - 1, "duty_related": True}],
            [{"year": year, "duty_related": True, "self_remedied": False}],
            [{"year": year, "duty_related": False}, {"year": year - 2, "already_counted": True}],
        ]
        for i, value in enumerate(disciplines):
            rest.annotate(k=h(109, 250)).filter(k=i).update(discipline=value)
        rare = [
            ("degradation", h(113, 2000), Q()),
            ("prohibition_violation", h(127, 1500), Q()),
            ("socioeconomic_targets_failed", h(131, 300), ~Q(role=E.Role.STAFF)),
            ("corruption_in_managed_unit", h(137, 1000), Q(role=E.Role.LEADER)),
            ("cadre_work_wrongdoing", h(139, 300), Q(role=E.Role.LEADERSHIP)),
            ("maternity", h(149, 150), Q(subject=E.Subject.INDIVIDUAL)),
        ]
        for name, bucket, where in rare:
            rest.filter(where).annotate(k=bucket).filter(k=0).update(**{name: True})
        rest.filter(maternity=True).update(absent_months=Value(Decimal(4)))
        # The levels each step of the workflow sets (not read by the engine).
        level = _bucketed(
            h(151, 20), [(4, "HTXSNV"), (15, "HTTNV"), (19, "HTNV")], "KHTNV", models.CharField()
        )
        rest.exclude(status="draft").update(self_level=level)
        rest.filter(status__in=["reviewed", "verified", "decided", "published"]).update(
            meeting_level=level
        )
        rest.filter(status__in=["verified", "decided", "published"]).update(proposed_level=level)
        rest.filter(status__in=["decided", "published"]).update(decided_level=level)
    return out


def decimal(expression: Any, places: int = 2) -> Any:
    return ExpressionWrapper(
        expression, output_field=models.DecimalField(max_digits=8, decimal_places=places)
    )
