"""Starting a bulk export, and who may see documents.

* A self-review form: whoever may see the evaluation (`evaluations.access.can_view`).
* A subtree export: a superuser, or a scope role over the organization (`SCOPE_ROLES`); the
  export holds only that subtree, all of it in the user's scope.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import is_superuser
from kiemdiem.accounts.models import SCOPE_ROLES
from kiemdiem.core.audit import audit_record
from kiemdiem.core.jobs import job_enqueue
from kiemdiem.core.models import Job
from kiemdiem.documents import storage
from kiemdiem.documents.exports import FORMATS, subtree_evaluations
from kiemdiem.orgs.access import in_scope
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle

KIND = "documents"
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)


def can_export(user: Any, organization: Organization) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (is_superuser(user) or in_scope(user, SCOPE_ROLES, organization))
    )


def export_key(cycle: Cycle, organization: Organization, fmt: str, actor: Any) -> str:
    # Per user: the minutes inside carry a meeting's comments and tallies only for the readers
    # `meetings.access` allows before publication, so one user's export is not another's.
    return f"{KIND}:{cycle.pk}:{organization.pk}:{fmt}:{actor.pk}"


def export_start(*, actor: Any, cycle: Cycle, organization: Organization, fmt: str) -> Job:
    """Start the export of a subtree's forms, or join the same export already running."""
    from kiemdiem.documents.tasks import export_subtree

    if not can_export(actor, organization):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValidationError(_("Định dạng không hợp lệ: chọn DOCX hoặc PDF."))
    if not subtree_evaluations(cycle, organization).exists():
        raise ValidationError(
            _("Đợt “%(cycle)s” không có phiếu đánh giá nào thuộc “%(org)s”.")
            % {"cycle": cycle.name, "org": organization.name}
        )
    storage.prune()
    key = export_key(cycle, organization, fmt, actor)
    with transaction.atomic():
        # The organization's row serializes two requests for the same export: the second one
        # sees the first one's job and joins it.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        running = Job.objects.filter(kind=key, status__in=ACTIVE).order_by("pk").first()
        if running is not None:
            return running
        job = job_enqueue(
            task=export_subtree,
            kind=key,
            title=_("Xuất biểu mẫu %(fmt)s — %(org)s — %(cycle)s")
            % {"fmt": fmt.upper(), "org": organization.name, "cycle": cycle.name},
            actor=actor,
            organization=organization,
            kwargs={"cycle_id": cycle.pk, "organization_id": organization.pk, "fmt": fmt},
        )
        audit_record(
            actor=actor,
            action="documents.export",
            obj=job,
            after={"cycle": cycle.pk, "organization": organization.pk, "format": fmt},
        )
    return job


def export_for_user(user: Any, job: Job) -> Job:
    """An export job the user may watch and download: their own, while the organization is still
    in their scope (the export is made for its reader, see `export_key`)."""
    if not job.kind.startswith(f"{KIND}:") or job.organization is None:
        raise PermissionDenied
    if not can_export(user, job.organization):
        raise PermissionDenied
    if job.created_by_id != user.pk and not is_superuser(user):
        raise PermissionDenied
    return job


def export_expired(job: Job) -> bool:
    if job.finished_at is None:
        return False
    too_old = timezone.now() - job.finished_at > storage.retention()
    return too_old or not storage.export_path(job.pk).is_file()
