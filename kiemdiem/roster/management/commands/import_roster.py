"""`kiemdiem import-roster FILE [--dry-run]`: exit 0 done, 2 bad input (one line per problem,
nothing written), 1 anything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kiemdiem.core.commands import FloorCommand
from kiemdiem.roster.services import RosterInvalid, roster_import


class Command(FloorCommand):
    help = "Nhập danh sách tổ chức, cá nhân, chức vụ, đảng viên từ tệp XLSX hoặc CSV."
    # The system checks import every URL module (a second of start-up); `kiemdiem check` runs
    # them, an import of a file does not need them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path}, returncode=2)
        try:
            report = roster_import(actor=None, path=path, dry_run=options["dry_run"])
        except RosterInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem.line())
            raise CommandError(
                _("%(count)s lỗi; không dữ liệu nào được ghi.") % {"count": len(exc.problems)},
                returncode=2,
            ) from exc
        except Exception as exc:
            raise CommandError(_("Không nhập được: %(error)s") % {"error": exc}) from exc
        if report.dry_run:
            self.stdout.write(_("Kiểm tra xong, không có lỗi (chưa ghi gì)."))
        for line in report.lines():
            self.stdout.write(line)
