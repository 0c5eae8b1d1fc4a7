"""Sending notifications: in-app rows plus an e-mail through Django's e-mail backend.

The e-mail backend is the console in the demo and SMTP when EMAIL_HOST is set (settings).
Mail goes out after the transaction commits, so a rolled-back action sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kiemdiem.notices.models import Notice

logger = logging.getLogger(__name__)


def _send_mails(notices: list[Notice]) -> None:
    for notice in notices:
        address = getattr(notice.recipient, "email", "")
        if not address:
            continue
        text = notice.body
        if notice.url:
            text = f"{text}\n\n{settings.SITE_URL}{notice.url}".strip()
        try:
            send_mail(notice.title, text, None, [address])
        except OSError:  # a mail server down must not undo the action already committed
            logger.exception("notice %s: mail to %s failed", notice.pk, address)


def notify(
    *,
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    key: str = "",
) -> list[Notice]:
    """Notify each recipient once (in-app, then by e-mail after commit).

    With a `key`, a recipient who already has a notice with that key is skipped: the database
    constraint decides, so concurrent senders cannot duplicate it.
    """
    created: list[Notice] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    recipient=user, kind=kind, title=title[:200], url=url, body=body, key=key
                )
        except IntegrityError:
            if not key:
                raise
            continue
        notice.recipient = user
        created.append(notice)
    if created:
        transaction.on_commit(lambda: _send_mails(created))
    return created


def notices_mark_read(*, user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices read (all unread ones when `ids` is None)."""
    rows = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
