"""`kiemdiem export-roster -o FILE.xlsx [--organization ID] [--template]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kiemdiem.core.commands import FloorCommand
from kiemdiem.orgs.models import Organization
from kiemdiem.roster.export import roster_export


class Command(FloorCommand):
    help = "Xuất danh sách theo mẫu nhập (kèm trang hướng dẫn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--organization", type=int, help="chỉ cây con của tổ chức này")
        parser.add_argument("--template", action="store_true", help="mẫu trống")

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["organization"] is not None:
            org = Organization.objects.filter(pk=options["organization"]).first()
            if org is None:
                raise CommandError(
                    _("Không có tổ chức mã số %(id)s.") % {"id": options["organization"]},
                    returncode=2,
                )
        path = Path(options["output"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("Tệp xuất phải có đuôi .xlsx."), returncode=2)
        if not path.parent.is_dir():
            raise CommandError(_("Không có thư mục %(dir)s.") % {"dir": path.parent}, returncode=2)
        from xlsxwriter.exceptions import FileCreateError

        try:
            roster_export(path=path, organization=org, empty=options["template"])
        except (OSError, FileCreateError) as exc:
            raise CommandError(
                _("Không ghi được %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc
        self.stdout.write(_("Đã ghi %(path)s.") % {"path": path})
