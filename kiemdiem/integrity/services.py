"""Integrity flags: compute (background), refresh after decisions, mark "checked, justified".

`compute` runs every heuristic over a cycle's subtree and upserts the flags by fingerprint: a
flag found again keeps its status and note (a justified one stops asking), an open flag no
longer found is deleted, a justified one no longer found is kept but inactive.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.core.audit import audit_record
from kiemdiem.core.jobs import job_enqueue
from kiemdiem.core.models import Job
from kiemdiem.integrity import access, loading
from kiemdiem.integrity.heuristics import run_all
from kiemdiem.integrity.heuristics.base import Found, Thresholds
from kiemdiem.integrity.models import Flag, IntegritySettings
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import path_ids
from kiemdiem.reviews.cycles.models import Cycle

JOB_KIND = "integrity"
MAX_NOTE = 4000


def thresholds_for(org: Organization) -> Thresholds:
    """The nearest settings on the organization's path (the province's root usually)."""
    ids = path_ids(org.path)
    found = {
        s.organization_id: s.values
        for s in IntegritySettings.objects.filter(organization_id__in=ids)
    }
    for pk in reversed(ids):
        if pk in found:
            return Thresholds.from_values(found[pk])
    return Thresholds()


def fingerprint(found: Found) -> str:
    return hashlib.sha256(f"{found.code}:{found.key}".encode()).hexdigest()


def _flag(cycle: Cycle, f: Found, now: Any) -> Flag:
    return Flag(
        cycle=cycle,
        code=f.code,
        fingerprint=fingerprint(f),
        organization_id=f.org_id,
        person_id=f.person_id,
        evaluation_id=f.evaluation_id,
        decider_id=f.decider_id,
        peer_group_id=f.peer_group_id,
        numbers=f.numbers,
        evidence=[list(e) for e in f.evidence],
        computed_at=now,
    )


def compute(*, cycle: Cycle, organization: Organization | None = None) -> dict[str, int]:
    """Every heuristic over `organization`'s subtree (the cycle's scope by default)."""
    org = organization or cycle.scope
    data = loading.load(cycle, org)
    found = run_all(data, thresholds_for(org))
    now = timezone.now()
    fresh = {fingerprint(f): _flag(cycle, f, now) for f in found}
    with transaction.atomic():
        existing = {
            f.fingerprint: f
            for f in Flag.objects.filter(cycle=cycle, organization__path__under=org.path)
            .only("id", "fingerprint", "status")
            .select_for_update()
        }
        others = set(
            Flag.objects.filter(cycle=cycle, fingerprint__in=list(fresh))
            .exclude(pk__in=[f.pk for f in existing.values()])
            .values_list("fingerprint", flat=True)
        )
        update, create = [], []
        for key, flag in fresh.items():
            if key in existing:
                flag.pk = existing[key].pk
                update.append(flag)
            elif key not in others:
                create.append(flag)
        gone = [f for k, f in existing.items() if k not in fresh]
        Flag.objects.filter(pk__in=[f.pk for f in gone if f.status == Flag.Status.OPEN]).delete()
        Flag.objects.filter(pk__in=[f.pk for f in gone]).update(active=False)
        fields = ["code", "organization", "person", "evaluation", "decider", "peer_group"]
        Flag.objects.bulk_update(
            update, [*fields, "numbers", "evidence", "computed_at"], batch_size=500
        )
        Flag.objects.filter(pk__in=[f.pk for f in update]).update(active=True)
        Flag.objects.bulk_create(create, batch_size=500)
    return {"found": len(fresh), "created": len(create), "updated": len(update), "gone": len(gone)}


def start(*, actor: User | None, cycle: Cycle, organization: Organization | None = None) -> Job:
    """Enqueue a computation (none if one for the same cycle is still waiting to run)."""
    org = organization or cycle.scope
    if actor is not None and not access.can_view(actor, org):
        raise PermissionDenied(_("Bạn không có quyền phân tích đơn vị này."))
    waiting = Job.objects.filter(kind=JOB_KIND, status=Job.Status.QUEUED, organization=org)
    pending = waiting.filter(title__endswith=f" #{cycle.pk}").first()
    if pending is not None:
        return pending
    from kiemdiem.integrity.tasks import compute_flags

    return job_enqueue(
        task=compute_flags,
        kind=JOB_KIND,
        title=_("Phân tích liêm chính đợt #%(id)s") % {"id": cycle.pk},
        actor=actor,
        organization=org,
        kwargs={"cycle_id": cycle.pk, "organization_id": org.pk},
    )


@transaction.atomic
def justify(*, actor: User, flag: Flag, note: str) -> Flag:
    """Mark a flag "checked, justified" with the reason (audited); it stops asking."""
    flag = Flag.objects.select_for_update().select_related("organization").get(pk=flag.pk)
    if not access.can_view(actor, flag.organization):
        raise PermissionDenied(_("Bạn không có quyền kiểm tra dấu hiệu này."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Ghi rõ kết quả kiểm tra và lý do chính đáng.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Ghi chú quá dài (tối đa 4.000 ký tự).")})
    if flag.status == Flag.Status.JUSTIFIED:
        raise ValidationError({"note": _("Dấu hiệu này đã được đánh dấu là có lý do chính đáng.")})
    before = {"status": flag.status}
    flag.status, flag.note = Flag.Status.JUSTIFIED, note
    flag.checked_by, flag.checked_at = actor, timezone.now()  # type: ignore[assignment]
    flag.save(update_fields=["status", "note", "checked_by", "checked_at"])
    audit_record(
        actor=actor, action="integrity.justify", obj=flag, before=before,
        after={"status": flag.status, "code": flag.code}, reason=note,
    )  # fmt: skip
    return flag
