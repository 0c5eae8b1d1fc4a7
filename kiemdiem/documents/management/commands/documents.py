"""`kiemdiem documents --cycle ID --organization ID --format docx|pdf -o FILE.zip`
(decisions.md §5): every form of the subtree's evaluations for the cycle, as one ZIP.

Exit codes: 0 done; 2 bad input, one line per problem; 1 anything else, with a message.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from kiemdiem.core.commands import FloorCommand
from kiemdiem.core.text import ascii_digits
from kiemdiem.documents.exports import FORMATS, ExportInputError, export_documents
from kiemdiem.documents.pdf import ConversionError
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle


class Command(FloorCommand):
    help = (
        "Xuất mọi biểu mẫu của các phiếu đánh giá thuộc một đơn vị (và cấp dưới) thành một tệp ZIP."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cycle", required=True, help="số của đợt kiểm điểm")
        parser.add_argument("--organization", required=True, help="số của tổ chức, đơn vị")
        parser.add_argument("--format", dest="fmt", required=True, help="docx hoặc pdf")
        parser.add_argument("-o", "--output", required=True, help="tệp ZIP sẽ ghi")

    def handle(self, *args: Any, **opts: Any) -> None:
        cycle, organization, fmt, out = self.checked(opts)
        started = time.perf_counter()
        last = [0.0]
        verbose = int(opts.get("verbosity", 1)) > 1

        def progress(done: int, total: int, message: str) -> None:
            if verbose and time.perf_counter() - last[0] > 2:
                last[0] = time.perf_counter()
                self.stderr.write(f"{message}: {done}/{total}")

        try:
            summary = export_documents(
                cycle=cycle, organization=organization, fmt=fmt, out=out, progress=progress
            )
        except ExportInputError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (ConversionError, OSError) as exc:
            raise CommandError(f"Không xuất được tài liệu: {exc}", returncode=1) from exc
        self.stdout.write(
            f"{out}: {summary.files} tệp ({summary.evaluations} phiếu đánh giá, "
            f"{summary.organizations} đơn vị), {time.perf_counter() - started:.1f} s"
        )

    def checked(self, opts: dict[str, Any]) -> tuple[Cycle, Organization, str, Path]:
        """Every problem of the input at once, one line each (exit code 2)."""
        problems = []
        cycle = organization = None
        if not ascii_digits(str(opts["cycle"])):
            problems.append(f"--cycle: “{opts['cycle']}” không phải là số của một đợt kiểm điểm.")
        elif (cycle := Cycle.objects.filter(pk=int(opts["cycle"])).first()) is None:
            problems.append(f"--cycle: không có đợt kiểm điểm số {opts['cycle']}.")
        if not ascii_digits(str(opts["organization"])):
            problems.append(
                f"--organization: “{opts['organization']}” không phải là số của một tổ chức, đơn vị."
            )
        else:
            organization = Organization.objects.filter(pk=int(opts["organization"])).first()
            if organization is None:
                problems.append(
                    f"--organization: không có tổ chức, đơn vị số {opts['organization']}."
                )
        fmt = str(opts["fmt"]).lower()
        if fmt not in FORMATS:
            problems.append(f"--format: “{opts['fmt']}” không hợp lệ; chọn docx hoặc pdf.")
        out = Path(opts["output"])
        if out.suffix.lower() != ".zip":
            problems.append(f"-o: “{out}” phải là một tệp .zip.")
        elif not out.parent.is_dir():
            problems.append(f"-o: thư mục “{out.parent}” không tồn tại.")
        if problems or cycle is None or organization is None:
            raise CommandError("\n".join(problems), returncode=2)
        return cycle, organization, fmt, out
