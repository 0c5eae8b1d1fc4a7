"""Creating, revoking and checking API tokens (decisions.md §4: `Authorization: Bearer`).

A token acts with its user's rights: the API views hand its user to the same access helpers and
services as the pages. Create and revoke are audited; each use writes `last_used_at` only (one
UPDATE, no audit row per request).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import is_authenticated, is_superuser
from kiemdiem.accounts.twofactor import second_factor_verified, user_requires_second_factor
from kiemdiem.api.models import ApiToken
from kiemdiem.core.audit import audit_record

PREFIX = "kd_"
MAX_DAYS = 3650


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_create_token(request: Any) -> bool:
    """Whether the signed-in user may create a token on their profile page now.

    decisions.md §4: tokens are created "after two-factor sign-in where their role requires it".
    The second-factor middleware already stops an unverified decider at every page; this is
    checked again here because a token outlives the session it was made in. `kiemdiem
    api-token` (an act on the server) does not ask this.
    """
    user = getattr(request, "user", None)
    if not is_authenticated(user):
        return False
    return second_factor_verified(request) or not user_requires_second_factor(user)


def token_create(*, actor: Any, user: Any, name: str = "", days: int | None = None) -> str:
    """A new token for `user`; returns the raw token (shown once, never stored).

    `actor=None` is the server (the `api-token` command); otherwise only the user themself or a
    superuser may create one.
    """
    if actor is not None and actor.pk != user.pk and not is_superuser(actor):
        raise PermissionDenied(_("Chỉ chủ tài khoản mới được tạo mã truy cập API cho mình."))
    if not user.is_active:
        raise ValidationError(_("Tài khoản “%(name)s” đã bị khóa.") % {"name": user.get_username()})
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("Số ngày hiệu lực phải từ 1 đến %(max)s.") % {"max": MAX_DAYS}, code="days"
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.replace("\x00", "").strip()[:100],
            key_hash=hash_token(raw),
            prefix=raw[:10],
            expires_at=expires,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={
                "user": user.get_username(),
                "prefix": token.prefix,
                "expires_at": expires.isoformat() if expires else None,
            },
        )
    return raw


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token (its owner or a superuser); revoking twice changes nothing."""
    if actor is not None and actor.pk != token.user_id and not is_superuser(actor):
        raise PermissionDenied(_("Chỉ chủ tài khoản mới được thu hồi mã truy cập API của mình."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked": False},
            after={"revoked": True, "prefix": token.prefix},
        )
    return token


def user_for_token(raw: str) -> Any | None:
    """The active user a usable token belongs to, or None; records the use."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
