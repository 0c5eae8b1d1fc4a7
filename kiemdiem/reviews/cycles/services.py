"""Review cycles: create one, choose its templates, open it (`opening`), close it; start its
background jobs. Peer groups and their ratios: `peer_groups`.

Every function is keyword-only, atomic, audited, and checks that the actor manages the cycle
(`kiemdiem.reviews.cycles.access`) — or, for a new cycle, that its scope is in the actor's
records; `actor=None` is the system (a command run on the server).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.jobs import job_enqueue
from kiemdiem.core.models import Job
from kiemdiem.orgs import access as org_access
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.criteria.slots import SLOTS, choose_templates, slot_track
from kiemdiem.reviews.cycles import access
from kiemdiem.reviews.cycles.derivation import period_label
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.cycles.opening import move_cycle
from kiemdiem.reviews.cycles.tasks import open_cycle
from kiemdiem.reviews.cycles.transitions import CLOSE
from kiemdiem.reviews.evaluations.tasks import recompute_cycle
from kiemdiem.reviews.rules import rules_errors

Actor = AbstractBaseUser | AnonymousUser | None


def default_deadlines(year: int, quarter: int | None) -> tuple[dt.date, dt.date, dt.date]:
    """State ratings by the 15th, party ratings by the last day of the period's last month;
    special units by the 15th of the following month (annual: 15/12, 31/12, 15/01)."""
    month = 12 if quarter is None else quarter * 3
    last = calendar.monthrange(year, month)[1]
    special = dt.date(year + 1, 1, 15) if month == 12 else dt.date(year, month + 1, 15)
    return dt.date(year, month, 15), dt.date(year, month, last), special


def _create_errors(
    *,
    actor: Actor,
    name: str,
    year: int,
    quarter: int | None,
    scope: Organization,
    min_quantification: int,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 0 <= min_quantification <= 100:
        errors["min_quantification"] = _("Mức lượng hóa tối thiểu phải từ 0 đến 100.")
    if Cycle.objects.filter(scope=scope, year=year, quarter=quarter).exists():
        errors["scope"] = _("Đã có đợt kiểm điểm %(period)s cho phạm vi “%(scope)s”.") % {
            "period": period_label(year, quarter),
            "scope": scope.name,
        }
    errors.update(org_access.scope_errors(actor, scope=scope))
    return errors


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    name: str,
    year: int,
    scope: Organization,
    quarter: int | None = None,
    party_rules: str | None = None,
    state_rules: str | None = None,
    state_deadline: dt.date | None = None,
    party_deadline: dt.date | None = None,
    special_deadline: dt.date | None = None,
    min_quantification: int = 0,
) -> Cycle:
    org_access.require_some_records(actor)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Tên đợt không được để trống.")
    if not isinstance(year, int) or not 2018 <= year <= 2100:
        errors["year"] = _("Năm đánh giá phải từ 2018 đến 2100.")
        raise ValidationError(errors)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Quý phải là 1, 2, 3 hoặc 4.")
        raise ValidationError(errors)
    chosen, rule_errors = rules_errors(year, party_rules, state_rules)
    errors.update(rule_errors)
    errors.update(
        _create_errors(
            actor=actor,
            name=name,
            year=year,
            quarter=quarter,
            scope=scope,
            min_quantification=min_quantification,
        )
    )
    d_state, d_party, d_special = default_deadlines(year, quarter)
    state_deadline = state_deadline or d_state
    party_deadline = party_deadline or d_party
    if party_deadline < state_deadline:
        errors["party_deadline"] = _(
            "Hạn xếp loại đảng viên, tổ chức đảng (%(party)s) không được trước hạn xếp loại cán "
            "bộ, công chức, viên chức (%(state)s)."
        ) % {"party": f"{party_deadline:%d/%m/%Y}", "state": f"{state_deadline:%d/%m/%Y}"}
    if errors:
        raise ValidationError(errors)
    cycle = Cycle.objects.create(
        name=name,
        year=year,
        quarter=quarter,
        scope=scope,
        party_rules=chosen["party"],
        state_rules=chosen["state"],
        state_deadline=state_deadline,
        party_deadline=party_deadline,
        special_deadline=special_deadline or d_special,
        min_quantification=min_quantification,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        templates=choose_templates(party_rules=chosen["party"], state_rules=chosen["state"]),
    )
    audit_record(actor=actor, action="cycle.create", obj=cycle, after=cycle_snapshot(cycle))
    return cycle


def cycle_snapshot(cycle: Cycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "year": cycle.year,
        "quarter": cycle.quarter,
        "scope_id": cycle.scope_id,
        "party_rules": cycle.party_rules,
        "state_rules": cycle.state_rules,
        "state_deadline": cycle.state_deadline.isoformat(),
        "party_deadline": cycle.party_deadline.isoformat(),
        "special_deadline": cycle.special_deadline.isoformat() if cycle.special_deadline else None,
        "min_quantification": cycle.min_quantification,
        "templates": cycle.templates,
        "status": cycle.status,
    }


@transaction.atomic
def cycle_set_template(
    *, actor: Actor, cycle: Cycle, slot: str, template: CriteriaTemplate
) -> Cycle:
    """Change the template of one kind of subject; only before the cycle is opened."""
    locked = Cycle.objects.select_for_update().select_related("scope").get(pk=cycle.pk)
    access.require_manager(actor, locked)
    if locked.status != Cycle.Status.DRAFT:
        raise ValidationError({"templates": _("Chỉ đổi mẫu tiêu chí trước khi mở đợt.")})
    if slot not in SLOTS:
        raise ValidationError(
            {"templates": _("Đối tượng “%(slot)s” không hợp lệ.") % {"slot": slot}}
        )
    if template.track != slot_track(slot):
        raise ValidationError(
            {
                "templates": _("Mẫu “%(template)s” không dùng được cho “%(slot)s”.")
                % {"template": template, "slot": SLOTS[slot]}
            }
        )
    before = dict(locked.templates)
    locked.templates = {**locked.templates, slot: template.pk}
    locked.save(update_fields=["templates"])
    audit_record(
        actor=actor,
        action="cycle.set_template",
        obj=locked,
        before={"templates": before},
        after={"templates": locked.templates},
    )
    return locked


def cycle_close(*, actor: Actor, cycle: Cycle, reason: str = "") -> Cycle:
    """End the cycle: from now on nothing in it is edited (self-reviews are locked) and it is
    never reopened. Only an open cycle closes (not one still opening)."""
    cycle = Cycle.objects.select_related("scope").get(pk=cycle.pk)
    access.require_manager(actor, cycle)
    return move_cycle(cycle, actor=actor, action=CLOSE, reason=(reason or "").strip())


def cycle_enqueue_open(*, actor: Actor, cycle: Cycle) -> Job:
    """Start opening the cycle in the background (the page button and `open-cycle` use it)."""
    access.require_manager(actor, cycle)
    return job_enqueue(
        task=open_cycle,
        kind="open_cycle",
        title=_("Mở đợt “%(name)s”") % {"name": cycle.name},
        actor=actor,
        organization=cycle.scope,
        kwargs={
            "cycle_id": cycle.pk,
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        },
    )


def cycle_enqueue_recompute(*, actor: Actor, cycle: Cycle) -> Job:
    """Recompute every suggested level of the cycle in the background."""
    access.require_manager(actor, cycle)
    return job_enqueue(
        task=recompute_cycle,
        kind="cycle.recompute",
        title=_("Tính lại mức gợi ý — %(name)s") % {"name": cycle.name},
        actor=actor,
        organization=cycle.scope,
        kwargs={
            "cycle_id": cycle.pk,
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        },
    )
