"""`kiemdiem seed-demo`: fill an empty database with a realistic demo province.

    kiemdiem seed-demo [--people N] [--seed S] [--if-empty] [--province NAME]

Deterministic (same seed and size → same rows), bulk-inserted in one transaction, one summary
audit event. Refuses to write into a database that already holds organizations or people;
`--if-empty` turns that refusal into a quiet no-op (what `make run` uses on every start).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.core.numbers import vn_number
from kiemdiem.orgs.demo import DEFAULT_PEOPLE, DEFAULT_PROVINCE, DEFAULT_SEED, generate
from kiemdiem.orgs.demo.writer import write_demo
from kiemdiem.orgs.models import Organization, OrgKind, Person


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: một tỉnh với cây tổ chức và cán bộ, công chức, đảng viên."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"số cá nhân (mặc định {vn_number(DEFAULT_PEOPLE)})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--province", default=DEFAULT_PROVINCE, help=f"tên tỉnh (mặc định “{DEFAULT_PROVINCE}”)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="không làm gì nếu cơ sở dữ liệu đã có tổ chức"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        people: int = opts["people"]
        if people < 100 or people > 1_000_000:
            raise CommandError("--people phải từ 100 đến 1.000.000.")
        if Organization.objects.exists():
            if opts["if_empty"]:
                if opts["verbosity"] >= 1:
                    self.stdout.write("Cơ sở dữ liệu đã có tổ chức: bỏ qua tạo dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có tổ chức. Dữ liệu mẫu chỉ được tạo trong cơ sở dữ liệu trống."
            )
        if Person.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có cá nhân. Dữ liệu mẫu chỉ được tạo trong cơ sở dữ liệu trống."
            )
        started = time.perf_counter()
        say = self.stdout.write if opts["verbosity"] >= 1 else (lambda _msg: None)
        say(f"Tạo dữ liệu mẫu: {vn_number(people)} người, seed {opts['seed']}…")
        demo = generate(people=people, seed=opts["seed"], province=opts["province"])
        say(f"  sinh dữ liệu trong bộ nhớ ({time.perf_counter() - started:.1f} s)")
        summary = write_demo(demo, progress=say)
        total = time.perf_counter() - started
        say(
            self.style.SUCCESS(
                f"Xong: {summary['province']} — {vn_number(summary['people'])} cá nhân, "
                f"{vn_number(summary['organizations'])} tổ chức, {summary['communes']} xã/phường, "
                f"{vn_number(summary['positions'])} chức vụ, {vn_number(summary['party_members'])} đảng viên, "
                f"{vn_number(summary['cadre_management'])} diện quản lý ({vn_number(total, 1)} s)."
            )
        )
        for kind, label in OrgKind.choices:
            if summary["kinds"].get(kind):
                say(f"  {summary['kinds'][kind]:>6,}  {label}")
