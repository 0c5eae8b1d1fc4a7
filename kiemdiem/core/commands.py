"""The command line's floor (decisions.md §5): exit 0 done, 2 bad input with one line per
problem, 1 anything else with a message — never argparse's English usage block, never
Django's "CommandError:" prefix, never a bare traceback (`--traceback` still shows one).

The commands of the floor subclass `FloorCommand` instead of Django's `BaseCommand`.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


def usage_problem(message: str) -> str:
    """argparse's (English) complaint in Vietnamese; an unknown one is kept after a lead."""
    if m := re.fullmatch(r"the following arguments are required: (.+)", message):
        return _("thiếu tham số bắt buộc: %(what)s") % {"what": m[1]}
    if m := re.fullmatch(r"unrecognized arguments: (.+)", message):
        return _("không nhận ra tham số: %(what)s") % {"what": m[1]}
    if m := re.fullmatch(r"argument (\S+): invalid int value: '(.*)'", message):
        return _("tham số %(arg)s: “%(value)s” không phải số nguyên") % {"arg": m[1], "value": m[2]}
    if m := re.fullmatch(r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)", message):
        return _("tham số %(arg)s: “%(value)s” không hợp lệ; chọn một trong: %(choices)s") % {
            "arg": m[1],
            "value": m[2],
            "choices": m[3],
        }
    if m := re.fullmatch(r"argument (\S+): expected one argument", message):
        return _("tham số %(arg)s cần một giá trị") % {"arg": m[1]}
    return _("tham số không hợp lệ: %(message)s") % {"message": message}


class FloorCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The README spells commands with dashes (`kiemdiem api-token`); so do the messages.
        parser = super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs)

        def error(message: str) -> NoReturn:
            said = usage_problem(message)
            if not parser.called_from_command_line:
                raise CommandError(said, returncode=2)
            parser.exit(2, f"{parser.prog}: {said} (xem --help)\n")

        parser.error = error  # type: ignore[method-assign]
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except Exception as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            if isinstance(exc, CommandError):
                self.stderr.write(str(exc))
                sys.exit(exc.returncode)
            self.stderr.write(
                _("Lỗi: %(error)s (chạy lại với --traceback để xem chi tiết).") % {"error": exc}
            )
            sys.exit(1)
