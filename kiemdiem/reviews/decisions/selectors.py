"""Reads for the decision page and the API (bounded query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from kiemdiem.accounts.access import User, is_authenticated, is_superuser
from kiemdiem.accounts.models import Role
from kiemdiem.core.numbers import vn_number
from kiemdiem.orgs.access import scope_q
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.decisions import access
from kiemdiem.reviews.decisions.checks import max_excellent
from kiemdiem.reviews.decisions.services import DECIDABLE
from kiemdiem.reviews.evaluations.engine import LINK_FIELDS
from kiemdiem.reviews.evaluations.models import Evaluation, Level


def decidable_ids(actor: User, cycle: Cycle) -> set[int]:
    """The evaluations of `cycle` the actor may decide now: in a decidable state and managed
    by an organization where the actor holds the competent role (about 6 queries)."""
    if not is_authenticated(actor):
        return set()
    evs = [
        access.Subject(*row)
        for row in Evaluation.objects.filter(cycle=cycle, status__in=sorted(DECIDABLE)).values_list(
            "id", "subject", "person_id", "organization_id"
        )
    ]
    if is_superuser(actor):
        return {e.pk for e in evs}
    mine = access.competent_role_org_ids(actor)
    if not mine:
        return set()
    managers = access.competent_org_ids(evs)
    return {e.pk for e in evs if managers[e.pk] in mine}


@dataclass
class Row:
    """One line of the decision page."""

    id: int
    code: str
    name: str
    role: str
    organization: str
    status: str
    status_label: str
    version: int
    self_level: str
    meeting_level: str
    proposed_level: str
    suggested_level: str
    decided_level: str
    decision_reason: str
    peer_group_id: int | None
    decidable: bool
    waiting_for: list[str] = field(default_factory=list)


@dataclass
class GroupMeter:
    """The quota of one peer group: decided HTXSNV against floor(P × r / (1 + r))."""

    id: int
    name: str
    ratio: str
    excellent: int
    good: int
    allowed: int
    undecided: int

    @property
    def ratio_label(self) -> str:
        return vn_number(self.ratio)

    @property
    def over(self) -> bool:
        return self.excellent > self.allowed


@dataclass
class DecisionPage:
    cycle: Cycle
    rows: list[Row]
    groups: list[GroupMeter]


PAGE_FIELDS = (
    "id",
    "code",
    "subject",
    "role",
    "status",
    "version",
    "self_level",
    "meeting_level",
    "proposed_level",
    "suggested_level",
    "decided_level",
    "decision_reason",
    "peer_group_id",
    "person_id",
    "organization_id",
    "person__full_name",
    "organization__name",
    "state_evaluation_id",
    "head_of_id",
    "leads_id",
    "leadership_of_id",
)


def decision_page(actor: User, cycle: Cycle) -> DecisionPage:
    """Every evaluation of the cycle the actor decides, in a fixed number of queries."""
    qs = Evaluation.objects.filter(cycle=cycle)
    if not is_superuser(actor):
        qs = qs.filter(scope_q(actor, {Role.COMPETENT}, "organization__path"))
    values = list(qs.values(*PAGE_FIELDS))
    stubs = [
        access.Subject(v["id"], v["subject"], v["person_id"], v["organization_id"]) for v in values
    ]
    if not is_superuser(actor):
        mine = access.competent_role_org_ids(actor)
        managers = access.competent_org_ids(stubs, within=qs)
        values = [v for v in values if managers[v["id"]] in mine]
    ids = [v["id"] for v in values]
    codes: dict[int, str] = {}
    decided: set[int] = set()
    for pk, code, level in Evaluation.objects.filter(cycle=cycle).values_list(
        "id", "code", "decided_level"
    ):
        codes[pk] = code
        if level:
            decided.add(pk)
    deps: dict[int, list[int]] = {}
    through = Evaluation.manages.through
    for src, dst in through.objects.filter(from_evaluation__cycle=cycle).values_list(
        "from_evaluation_id", "to_evaluation_id"
    ):
        deps.setdefault(src, []).append(dst)
    for pk, parent in Evaluation.objects.filter(cycle=cycle, parent__isnull=False).values_list(
        "id", "parent_id"
    ):
        deps.setdefault(parent, []).append(pk)
    labels = dict(Evaluation.Status.choices)
    rows = []
    for v in values:
        links = [v[f"{f}_id"] for f in LINK_FIELDS if v[f"{f}_id"]] + deps.get(v["id"], [])
        rows.append(
            Row(
                id=v["id"],
                code=v["code"],
                name=v["person__full_name"] or v["organization__name"],
                role=v["role"],
                organization=v["organization__name"],
                status=v["status"],
                status_label=str(labels.get(v["status"], v["status"])),
                version=v["version"],
                self_level=v["self_level"],
                meeting_level=v["meeting_level"],
                proposed_level=v["proposed_level"],
                suggested_level=v["suggested_level"],
                decided_level=v["decided_level"],
                decision_reason=v["decision_reason"],
                peer_group_id=v["peer_group_id"],
                decidable=v["status"] in DECIDABLE,
                waiting_for=[codes.get(d, str(d)) for d in links if d not in decided],
            )
        )
    return DecisionPage(cycle=cycle, rows=rows, groups=_meters(cycle, ids))


def _meters(cycle: Cycle, ids: list[int]) -> list[GroupMeter]:
    counts: dict[int, dict[str, int]] = {}
    for gid, level, n in (
        Evaluation.objects.filter(cycle=cycle, peer_group__isnull=False)
        .values_list("peer_group_id", "decided_level")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(gid, {})[level] = n
    shown = set(
        Evaluation.objects.filter(pk__in=ids, peer_group__isnull=False).values_list(
            "peer_group_id", flat=True
        )
    )
    meters = []
    for group in PeerGroup.objects.filter(pk__in=shown).order_by("code"):
        c = counts.get(group.pk, {})
        excellent, good = c.get(Level.HTXSNV, 0), c.get(Level.HTTNV, 0)
        meters.append(
            GroupMeter(
                id=group.pk,
                name=group.name,
                ratio=group.ratio,
                excellent=excellent,
                good=good,
                allowed=max_excellent(excellent + good, group.ratio),
                undecided=c.get("", 0),
            )
        )
    return meters
