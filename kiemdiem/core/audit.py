"""The audit trail: every service that changes state calls `audit_record` in its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kiemdiem.core.logs import current_request_id
from kiemdiem.core.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
        request_id=current_request_id(),
    )


def allow_history_replacement() -> None:
    """Let this transaction delete audit events on PostgreSQL, where a trigger otherwise refuses
    it (reviews migration 0005): only `kiemdiem restore --force`, which replaces the whole
    database with an archive's, calls it. Transaction-local: it ends with the transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('kiemdiem.replace_history', 'on', true)")
