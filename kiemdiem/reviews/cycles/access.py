"""Who may look at and who manages a review cycle.

* Record keepers (`RECORD_ROLES`: the personnel advisory body, administrators) over the
  cycle's scope create, open, close and edit it (templates, peer groups, ratios) and start its
  recomputations; a superuser anywhere.
* `CYCLE_VIEWER_ROLES` over the scope (also the competent level and the inspection committee)
  look at it.

The cycle services call `require_manager` for every cycle they are handed (and
`kiemdiem.orgs.access.scope_errors` for a new cycle's scope); `actor=None` is the system.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.accounts.models import CYCLE_VIEWER_ROLES, RECORD_ROLES
from kiemdiem.orgs.access import in_scope, keeps_records, scope_q
from kiemdiem.reviews.cycles.models import Cycle


def can_manage(user: User, cycle: Cycle) -> bool:
    return in_scope(user, RECORD_ROLES, cycle.scope)


def can_view(user: User, cycle: Cycle) -> bool:
    return in_scope(user, CYCLE_VIEWER_ROLES, cycle.scope)


def can_create(user: User) -> bool:
    return keeps_records(user)


def visible_q(user: User) -> Q:
    return scope_q(user, CYCLE_VIEWER_ROLES, "scope__path")


def require_manager(actor: User, cycle: Cycle) -> None:
    if actor is not None and not can_manage(actor, cycle):
        raise PermissionDenied(
            _(
                "Chỉ cơ quan tham mưu về tổ chức, cán bộ của phạm vi đợt “%(name)s” mới được làm việc này."
            )
            % {"name": cycle.name}
        )


def cycle_for_viewer(user: User, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=pk)
    if not can_view(user, cycle):
        raise PermissionDenied
    return cycle


def cycle_for_manager(user: User, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=pk)
    if not can_manage(user, cycle):
        raise PermissionDenied
    return cycle
