"""`kiemdiem demo-integrity`: planted anomalies in the demo cycle for the integrity page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.integrity.demo import plant
from kiemdiem.integrity.models import Flag
from kiemdiem.orgs.models import Organization, OrgKind
from kiemdiem.reviews.cycles.models import Cycle

DEMO_USERS = ["nhanvien", "truongphong", "bithu", "tochuc", "thamquyen", "kiemtra"]


class Command(BaseCommand):
    help = "Gieo một số dấu hiệu bất thường vào đợt kiểm điểm mẫu (chỉ khi DEBUG)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.DEBUG and not opts["force"]:
            raise CommandError("Dữ liệu mẫu chỉ dùng khi DEBUG=true.")
        root = Organization.objects.filter(kind=OrgKind.PARTY_PROVINCE, parent=None).first()
        cycle = Cycle.objects.filter(scope=root, year=2026).first() if root else None
        if cycle is None:
            self.stdout.write("Chưa có đợt kiểm điểm mẫu: bỏ qua.")
            return
        if Flag.objects.filter(cycle=cycle).exists():
            self.stdout.write("Dấu hiệu bất thường mẫu đã có.")
            return
        users = get_user_model().objects.filter(username__in=DEMO_USERS)
        decider = users.filter(username="thamquyen").first()
        skip = {u.person.pk for u in users if getattr(u, "person", None) is not None}
        counts = plant(cycle, decider, skip)
        self.stdout.write(f"Phân tích liêm chính mẫu: {counts.get('found', 0)} dấu hiệu.")
