"""`kiemdiem load-criteria [DIR]`: load the versioned criteria templates (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kiemdiem.reviews.criteria.loader import criteria_load


class Command(BaseCommand):
    help = "Nạp các mẫu tiêu chí (JSON, theo mã và phiên bản); chạy lại không tạo trùng."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "directory", nargs="?", help="thư mục chứa tệp *.json (mặc định: mẫu kèm theo)"
        )

    def handle(self, *args: Any, directory: str | None = None, **opts: Any) -> None:
        try:
            report = criteria_load(directory=Path(directory) if directory else None)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for label in report.created:
            self.stdout.write(f"đã nạp {label}")
        self.stdout.write(f"{len(report.created)} mẫu mới, {len(report.unchanged)} mẫu không đổi.")
