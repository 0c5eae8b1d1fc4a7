from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kiemdiem.notices.models import Notice


def unread_count(*, user: AbstractBaseUser) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notices_for(*, user: AbstractBaseUser) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def recent_notices(*, user: AbstractBaseUser, limit: int = 5) -> list[Notice]:
    """The newest unread notices, for the home page."""
    return list(
        Notice.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-pk")[
            :limit
        ]
    )
