"""What a cycle's derivation reads, loaded in a fixed number of queries (no per-row query).

The rows come back as plain facts (`TreeFacts`; slotted dataclasses rather than frozen ones, whose
slower constructor showed over a province's 200,000 rows), so that the derivation itself
(`kiemdiem.reviews.cycles.derivation`) is pure and testable without a database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from kiemdiem.orgs.models import Organization, PartyMembership, Person, Position
from kiemdiem.orgs.tree import under_any
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.rules import OpeningExclusions, opening_exclusions


@dataclass(slots=True)
class OrgFact:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    party_organization_id: int | None
    leads_id: int | None
    path: str
    depth: int


@dataclass(slots=True)
class PostFact:
    """A post (what `orgs.selectors.highest_position` reads: level, head, start, pk)."""

    pk: int
    person_id: int
    organization_id: int
    level: int
    is_head: bool
    start_date: dt.date
    end_date: dt.date | None


@dataclass(slots=True)
class MemberFact:
    person_id: int
    cell_id: int
    admitted_on: dt.date
    status: str
    outside_system: bool


@dataclass(frozen=True)
class CycleFacts:
    """The cycle as the derivation needs it: its period and the exclusions of its rule sets."""

    year: int
    quarter: int | None
    party: OpeningExclusions
    state: OpeningExclusions


@dataclass
class TreeFacts:
    orgs: dict[int, OrgFact] = field(default_factory=dict)
    posts: dict[int, list[PostFact]] = field(default_factory=dict)
    employment: dict[int, str] = field(default_factory=dict)
    members: dict[int, MemberFact] = field(default_factory=dict)


def cycle_facts(cycle: Cycle) -> CycleFacts:
    return CycleFacts(
        year=cycle.year,
        quarter=cycle.quarter,
        party=opening_exclusions(cycle.party_rules),
        state=opening_exclusions(cycle.state_rules),
    )


def scope_prefixes(scope: Organization) -> list[str]:
    """The tree paths a cycle covers: the scope's subtree and, transitively, the subtrees of the
    agencies led by a party organization in scope (`Organization.party_organization`).

    A province has three roots since 2025 (party, People's Committee, Front); a cycle opened on
    the provincial party organization covers the agencies its party organizations lead.
    """
    prefixes = [scope.path]
    while True:
        extra = sorted(
            set(
                Organization.objects.filter(
                    under_any(prefixes, "party_organization__path"), is_active=True
                )
                .exclude(under_any(prefixes))
                .values_list("path", flat=True)
            )
        )
        # Keep only the top of each newly reached subtree.
        tops = [p for p in extra if not any(p != q and p.startswith(q) for q in extra)]
        if not tops:
            return prefixes
        prefixes.extend(tops)


def load_tree(scope: Organization, *, period_start: dt.date) -> TreeFacts:
    """The active organizations of the scope, and the posts (current, or ended within the
    period), categories and party membership of everyone with a current post or a party cell
    there."""
    prefixes = scope_prefixes(scope)
    facts = TreeFacts()
    for o in Organization.objects.filter(under_any(prefixes), is_active=True).values(
        *OrgFact.__dataclass_fields__
    ):
        facts.orgs[o["id"]] = OrgFact(**o)
    in_scope_posts = Position.objects.filter(
        under_any(prefixes, "organization__path"), end_date__isnull=True
    ).values("person_id")
    in_scope_members = PartyMembership.objects.filter(under_any(prefixes, "cell__path")).values(
        "person_id"
    )
    people = Q(person_id__in=in_scope_posts) | Q(person_id__in=in_scope_members)
    posts: dict[int, list[PostFact]] = defaultdict(list)
    for p in (
        Position.objects.filter(people)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period_start))
        .values("id", "person_id", "organization_id", "level", "is_head", "start_date", "end_date")
        .order_by()
    ):
        p["pk"] = p.pop("id")
        posts[p["person_id"]].append(PostFact(**p))
    facts.posts = dict(posts)
    facts.employment = dict(
        Person.objects.filter(Q(id__in=in_scope_posts) | Q(id__in=in_scope_members))
        .values_list("id", "employment")
        .order_by()
    )
    for m in (
        PartyMembership.objects.filter(under_any(prefixes, "cell__path"))
        .values(*MemberFact.__dataclass_fields__)
        .order_by()
    ):
        facts.members[m["person_id"]] = MemberFact(**m)
    return facts
