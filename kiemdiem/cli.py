"""The `kiemdiem` console script.

`kiemdiem classify …` runs the rules engine without touching Django (it must start fast and
needs no database); every other sub-command is a Django management command, so
`kiemdiem migrate`, `kiemdiem seed-demo`, `kiemdiem worker` work like `manage.py`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "classify":
        # Imported lazily so that the Django path never pays for it and vice versa.
        from kiemdiem.engine.cli import main as classify_main

        return classify_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.settings")
    from django.core.management import execute_from_command_line

    # Management commands are named with underscores; the README spells them with dashes.
    if args:
        args[0] = args[0].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured

    try:
        execute_from_command_line(["kiemdiem", *args])
    except ImproperlyConfigured as exc:  # the settings, before any command ran: one line
        print(f"kiemdiem: cấu hình chưa đúng: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
