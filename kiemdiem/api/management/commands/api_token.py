"""`kiemdiem api-token USERNAME [--days N]`: print a new API token for that user (only it).

An act on the server (decisions.md §4): valid whatever the user's second factor, audited with
no actor.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kiemdiem.api.tokens import token_create
from kiemdiem.core.commands import FloorCommand


class Command(FloorCommand):
    help = "In ra một mã truy cập API mới cho tài khoản USERNAME (chỉ in mã)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="số ngày hiệu lực")
        parser.add_argument("--name", default="", help="tên gợi nhớ")

    def handle(self, *args: Any, username: str, days: int | None, name: str, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.", returncode=2)
        try:
            raw = token_create(actor=None, user=user, name=name or "api-token", days=days)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from exc
        self.stdout.write(raw)
