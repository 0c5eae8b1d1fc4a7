"""What a token's user may read, with bounded queries: the same access helpers as the pages.

* A cycle is visible to its viewers (`reviews.cycles.access`) and to whoever sees one of its
  evaluations (a staff member sees the cycle of their own self-review).
* An evaluation is visible as on its pages (`reviews.evaluations.access`): its author, a scope
  role over its unit, a superuser. Anything else answers 404, like a missing row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kiemdiem.accounts.access import is_superuser
from kiemdiem.accounts.models import SCOPE_ROLES, RoleAssignment
from kiemdiem.api.errors import forbidden, not_found
from kiemdiem.api.http import object_or_404
from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles import access as cycle_access
from kiemdiem.reviews.evaluations import access as evaluation_access
from kiemdiem.reviews.models import Cycle, Evaluation

#: The references an evaluation's decision waits for (decisions.md §3 `order`, classification.md
#: §7): these forward links, the units it manages, and its sub-units (which name it in `parent`).
DEPENDENCY_FIELDS = ("state_evaluation", "head_of", "leads", "leadership_of")


def evaluation_visible_q(user: Any) -> Q:
    # An empty Q() ("everything") would vanish from an OR: a superuser is answered first.
    if is_superuser(user):
        return Q()
    return evaluation_access.visible_q(user) | evaluation_access.authored_q(user)


def visible_cycles(user: Any) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related("scope").order_by("-year", "quarter", "name", "id")
    if is_superuser(user):
        return qs
    own = Evaluation.objects.filter(evaluation_visible_q(user), cycle=OuterRef("pk"))
    return qs.filter(cycle_access.visible_q(user) | Q(Exists(own)))


def cycle_for_api(user: Any, pk: int) -> Cycle:
    return object_or_404(visible_cycles(user), pk)


#: What the API shows of an evaluation (the engine's facts stay out: loading them and their
#: JSON for 500 rows costs more than the rest of the request).
SHOWN = (
    "cycle_id",
    "subject",
    "role",
    "track",
    "status",
    "version",
    "self_level",
    "meeting_level",
    "proposed_level",
    "decided_level",
    "suggested_level",
    "suggested_base_level",
    "suggested_flags",
    "suggested_reasons",
    *(f"{name}_id" for name in ("state_evaluation", "head_of", "leads", "leadership_of")),
    "person__full_name",
    "person__user_id",  # who may see it (evaluations.access.can_view)
    "organization__name",
    "organization__path",
    "organization__leads_id",
    "peer_group__name",
    "peer_group__ratio",
)


def _shown() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related("person", "organization", "peer_group").only(*SHOWN)


def evaluations_for_api(user: Any, cycle: Cycle) -> QuerySet[Evaluation]:
    return _shown().filter(evaluation_visible_q(user), cycle=cycle).order_by("id")


def evaluation_for_api(user: Any, pk: int) -> Evaluation:
    evaluation = object_or_404(_shown(), pk)
    if not evaluation_access.can_view(user, evaluation):
        raise not_found()
    return evaluation


def dependency_links(ids: list[int]) -> dict[int, list[int]]:
    """For each of `ids`, the units it manages and the sub-units naming it as `parent`: two
    plain queries for a page (a prefetch would build a queryset per row)."""
    found: dict[int, list[int]] = {}
    managed = Evaluation.manages.through.objects.filter(from_evaluation_id__in=ids)
    for owner, pk in managed.values_list("from_evaluation_id", "to_evaluation_id"):
        found.setdefault(owner, []).append(pk)
    children = Evaluation.objects.filter(parent_id__in=ids).values_list("parent_id", "pk")
    for parent, pk in children:
        found.setdefault(parent, []).append(pk)
    return found


def depends_on(evaluation: Evaluation, links: dict[int, list[int]]) -> list[int]:
    """The evaluations that must be decided before this one (`links`: `dependency_links`)."""
    ids = {getattr(evaluation, f"{name}_id") for name in DEPENDENCY_FIELDS}
    ids |= set(links.get(evaluation.pk, ()))
    ids.discard(None)
    ids.discard(evaluation.pk)
    return sorted(ids)


def roles_of(user: Any) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user)
        .select_related("organization")
        .order_by("role", "organization__path")
    )


def history(evaluation: Evaluation) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=Evaluation._meta.label_lower, object_id=str(evaluation.pk)
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def statistics_org(user: Any, cycle: Cycle, org: Organization | None) -> Organization:
    """The subtree the statistics count: the cycle's scope by default. The tree is visible to
    every signed-in user, so an organization outside the user's scope is 403, not 404."""
    org = cycle.scope if org is None else org
    if not in_scope(user, SCOPE_ROLES, org):
        raise forbidden(details={"organization": org.pk})
    return org


def level_counts(cycle: Cycle, org: Organization) -> list[dict[str, Any]]:
    """(role, decided level, count) over the subtree, in one grouped query."""
    return list(
        Evaluation.objects.filter(cycle=cycle, organization__path__under=org.path)
        .values("role", "decided_level")
        .annotate(n=Count("id"))
        .order_by()
    )
