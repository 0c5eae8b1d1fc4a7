"""`kiemdiem backup -o FILE`: one archive with all data and stored files, and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kiemdiem.backup.archive import backup_create
from kiemdiem.core.commands import FloorCommand


class Command(FloorCommand):
    help = "Sao lưu toàn bộ dữ liệu và tệp đã lưu vào một tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(_("Không có thư mục %(dir)s.") % {"dir": path.parent}, returncode=2)
        try:
            manifest = backup_create(path=path)
        except OSError as exc:
            raise CommandError(_("Không ghi được bản sao lưu: %(error)s") % {"error": exc}) from exc
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            _("Đã sao lưu %(rows)s dòng dữ liệu và %(files)s tệp vào %(path)s.")
            % {"rows": rows, "files": len(manifest["files"]), "path": path}
        )
