"""Reads of the integrity page and export, in a fixed number of queries whatever the size:
counts by heuristic (one GROUP BY), open flags per direct child unit (one GROUP BY on the path
prefix), one page of flags with what they name, and the evidence links the viewer may follow."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User, is_superuser, role_paths
from kiemdiem.accounts.models import SCOPE_ROLES
from kiemdiem.integrity.describe import FAMILY_NAMES, NAMES, sentence
from kiemdiem.integrity.heuristics import FAMILIES
from kiemdiem.integrity.models import Flag
from kiemdiem.ledger.models import Product
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import covers
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation

PAGE_SIZE = 25
#: Evidence links shown per flag (the export and the numbers carry the rest).
LINKS = 5


def flags_q(cycle: Cycle, org: Organization) -> QuerySet[Flag]:
    return Flag.objects.filter(cycle=cycle, organization__path__under=org.path)


@dataclass
class Summary:
    by_code: dict[str, dict[str, int]]  # code → {"open": n, "justified": n}
    families: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(v.get("open", 0) for v in self.by_code.values())

    @property
    def justified(self) -> int:
        return sum(v.get("justified", 0) for v in self.by_code.values())


def summary(cycle: Cycle, org: Organization) -> Summary:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = flags_q(cycle, org).filter(active=True).values("code", "status").annotate(n=Count("id"))
    for r in rows.order_by():
        counts[r["code"]][r["status"]] = r["n"]
    families = [
        {
            "name": str(FAMILY_NAMES[family]),
            "rows": [
                {
                    "code": c,
                    "name": str(NAMES[c]),
                    "open": counts[c].get("open", 0),
                    "justified": counts[c].get("justified", 0),
                }
                for c in codes
            ],
        }  # fmt: skip
        for family, codes in FAMILIES.items()
    ]
    return Summary(dict(counts), families)


def children(cycle: Cycle, org: Organization) -> list[tuple[Organization, int]]:
    """Each direct child unit with the open flags of its subtree (one GROUP BY)."""
    kids = list(Organization.objects.filter(parent=org).order_by("path"))
    if not kids:
        return []
    width = len(kids[0].path)
    counts = dict(
        flags_q(cycle, org)
        .filter(active=True, status=Flag.Status.OPEN)
        .annotate(prefix=Substr("organization__path", 1, width))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("prefix", "n")
    )
    return [(k, counts.get(k.path, 0)) for k in kids if counts.get(k.path, 0)]


def flag_page(
    cycle: Cycle,
    org: Organization,
    *,
    code: str = "",
    status: str = "",
    person_id: int | None = None,
    page: int = 1,
) -> tuple[list[Flag], int]:
    qs = flags_q(cycle, org).filter(active=True)
    if code:
        qs = qs.filter(code=code)
    if status:
        qs = qs.filter(status=status)
    if person_id:
        qs = qs.filter(person_id=person_id)
    total = qs.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows = list(
        qs.select_related("organization", "person", "decider", "peer_group", "checked_by").order_by(
            "status", "code", "organization__path", "id"
        )[start : start + PAGE_SIZE]
    )
    for f in rows:
        f.name = str(NAMES.get(f.code, f.code))  # type: ignore[attr-defined]
        f.sentence = sentence(f.code, f.numbers)  # type: ignore[attr-defined]
    return rows, total


def evidence_links(user: User, flags: list[Flag]) -> None:
    """Sets `flag.links` [(label, url)] to the evidence the viewer's rights reach: an evaluation
    whose organization they oversee (its history page), a unit's ledger, a file's download.
    Two queries for the whole page."""
    paths = role_paths(user, SCOPE_ROLES)
    everything = is_superuser(user)
    wanted: dict[str, set[int]] = defaultdict(set)
    for f in flags:
        for kind, pk in f.evidence[:LINKS]:
            wanted[kind].add(int(pk))
    evs = {
        e.pk: e
        for e in Evaluation.objects.filter(pk__in=wanted["evaluation"]).select_related(
            "organization", "person"
        )
    }
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=wanted["product"]).select_related(
            "result__task__organization"
        )
    }

    def sees(org: Organization) -> bool:
        return everything or covers(paths, org)

    for f in flags:
        links: list[tuple[str, str]] = []
        f.more = max(0, len(f.evidence) - LINKS)  # type: ignore[attr-defined]
        for kind, pk in f.evidence[:LINKS]:
            if kind == "evaluation" and (ev := evs.get(int(pk))) and sees(ev.organization):
                label = ev.person.full_name if ev.person else ev.organization.name
                links.append((label, reverse("evaluation_history", args=[ev.pk])))
            elif (
                kind == "product"
                and (p := products.get(int(pk)))
                and sees(p.result.task.organization)
            ):
                links.append((p.title, reverse("ledger_product_download", args=[p.pk])))
        if any(kind == "ledger" for kind, _pk in f.evidence) and sees(f.organization):
            links.append(
                (_("Sổ nhiệm vụ của đơn vị"), reverse("ledger_unit", args=[f.organization_id]))
            )
        f.links = _dedupe(links)  # type: ignore[attr-defined]


def _dedupe(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for label, url in links:
        if url not in seen:
            seen.add(url)
            out.append((label, url))
    return out


def open_counts(cycle: Cycle, org: Organization) -> dict[str, int]:
    """Open and justified flags of the subtree (the statistics page's panel)."""
    rows = (
        flags_q(cycle, org)
        .filter(active=True)
        .aggregate(
            open=Count("id", filter=Q(status=Flag.Status.OPEN)),
            justified=Count("id", filter=Q(status=Flag.Status.JUSTIFIED)),
        )
    )
    return {"open": rows["open"] or 0, "justified": rows["justified"] or 0}
