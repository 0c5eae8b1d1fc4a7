"""`kiemdiem restore FILE [--force]`: exit 2 for a corrupt or foreign archive or a non-empty
database (nothing written), 1 for anything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kiemdiem.backup.restore import RestoreRefused, restore_archive
from kiemdiem.core.commands import FloorCommand


class Command(FloorCommand):
    help = "Phục hồi một bản sao lưu vào cơ sở dữ liệu trống."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="ghi đè cơ sở dữ liệu đã có dữ liệu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path}, returncode=2)
        try:
            counts = restore_archive(path=path, force=options["force"])
        except RestoreRefused as exc:
            lines = str(exc).splitlines()
            for line in lines[:-1]:
                self.stderr.write(line)
            raise CommandError(lines[-1], returncode=2) from exc
        except Exception as exc:
            raise CommandError(
                _("Phục hồi thất bại, không có gì được ghi: %(error)s") % {"error": exc}
            ) from exc
        rows = sum(v for k, v in counts.items() if k != "files")
        self.stdout.write(
            _("Đã phục hồi %(rows)s dòng dữ liệu và %(files)s tệp.")
            % {"rows": rows, "files": counts["files"]}
        )
