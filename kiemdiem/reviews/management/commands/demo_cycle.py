"""`kiemdiem demo-cycle`: the demo province's open review cycle, with a ledger to look at.

Creates (once) the 2026 cycle of the whole demo province through the same services the pages
use, opens it, gives the demo staff member and unit head a year of tasks, results and
products, and seeds the decision workflow (`kiemdiem.reviews.decisions.demo`), so every demo
account has something to work on. DEBUG only, like the demo accounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.explain.render import vn_number
from kiemdiem.ledger import results as ledger_results
from kiemdiem.ledger import services as ledger
from kiemdiem.orgs.models import Organization, OrgKind
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.services import cycle_create
from kiemdiem.reviews.decisions.demo import seed_decisions

YEAR = 2026

# (title, quantity, unit, deadline, achieved, completed on, quality, document reference)
STAFF_TASKS = [
    (
        "Thẩm định hồ sơ tuyển dụng công chức",
        "120",
        "hồ sơ",
        (6, 30),
        "126",
        (6, 20),
        "exceeds",
        "Báo cáo số 45/BC-SNV ngày 22/6/2026 của Sở Nội vụ về kết quả thẩm định hồ sơ tuyển dụng",
    ),
    (
        "Tham mưu ban hành kế hoạch đào tạo, bồi dưỡng năm 2026",
        "1",
        "kế hoạch",
        (3, 31),
        "1",
        (3, 25),
        "meets",
        "Kế hoạch số 12/KH-UBND ngày 25/3/2026 của UBND tỉnh về đào tạo, bồi dưỡng",
    ),
    (
        "Tổ chức lớp bồi dưỡng kỹ năng cho công chức cấp xã",
        "4",
        "lớp",
        (9, 30),
        "4",
        (10, 12),
        "meets",
        "Quyết định số 321/QĐ-SNV ngày 12/10/2026 của Sở Nội vụ về việc mở lớp bồi dưỡng",
    ),
    (
        "Cập nhật cơ sở dữ liệu cán bộ, công chức",
        "2500",
        "hồ sơ",
        (11, 15),
        "2500",
        (11, 10),
        "meets",
        None,
    ),
]
HEAD_TASKS = [
    (
        "Chỉ đạo rà soát vị trí việc làm của các cơ quan, đơn vị",
        "18",
        "cơ quan",
        (8, 31),
        "18",
        (8, 28),
        "exceeds",
        "Công văn số 1234/SNV-CCVC ngày 28/8/2026 của Sở Nội vụ",
    ),
    (
        "Tham mưu báo cáo sơ kết 6 tháng về công tác cán bộ",
        "1",
        "báo cáo",
        (7, 15),
        "1",
        (7, 10),
        "meets",
        "Báo cáo số 78/BC-SNV ngày 10/7/2026 của Sở Nội vụ về sơ kết 6 tháng",
    ),
]


class Command(BaseCommand):
    help = "Tạo đợt kiểm điểm mẫu năm 2026 cho tỉnh mẫu và sổ nhiệm vụ mẫu (chỉ khi DEBUG)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.DEBUG and not opts["force"]:
            raise CommandError("Dữ liệu mẫu chỉ dùng khi DEBUG=true.")
        root = Organization.objects.filter(kind=OrgKind.PARTY_PROVINCE, parent=None).first()
        if root is None:
            self.stdout.write("Chưa có tỉnh mẫu: bỏ qua đợt kiểm điểm mẫu.")
            return
        if Cycle.objects.filter(scope=root, year=YEAR).exists():
            self.stdout.write(f"Đợt kiểm điểm mẫu năm {YEAR} đã có.")
            return
        users = {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in=["nhanvien", "truongphong", "tochuc", "thamquyen"]
            )
        }
        if len(users) < 4:
            raise CommandError("Chạy `kiemdiem demo-accounts` trước.")
        self._ledger(users)
        cycle = cycle_create(
            actor=users["tochuc"],
            name=f"Kiểm điểm, đánh giá, xếp loại năm {YEAR}",
            year=YEAR,
            scope=root,
            min_quantification=40,
        )
        summary = cycle_open(actor=users["tochuc"], cycle=cycle)
        self.stdout.write(
            f"Đã mở “{cycle.name}”: {vn_number(str(summary.total))} phiếu đánh giá, "
            f"{vn_number(str(summary.excluded))} không xếp loại, "
            f"{vn_number(str(summary.groups_created))} nhóm tương đồng."
        )
        work = seed_decisions(cycle, users)
        self.stdout.write(
            f"Quy trình quyết định mẫu: {work['verified']} phiếu chờ quyết định, "
            f"{work['decided']} phiếu đã quyết định trước, {work['submitted']} phiếu chờ họp, "
            f"{work['petitions']} kiến nghị."
        )

    def _ledger(self, users: dict[str, Any]) -> None:
        staff, head = users["nhanvien"].person, users["truongphong"].person
        plan = [
            (staff, users["nhanvien"], users["truongphong"], STAFF_TASKS),
            (head, users["truongphong"], users["tochuc"], HEAD_TASKS),
        ]
        for person, owner, manager, tasks in plan:
            for title, qty, unit, deadline, achieved, done_on, quality, reference in tasks:
                task = ledger.task_assign(
                    actor=manager,
                    person=person,
                    title=title,
                    target_quantity=Decimal(qty),
                    unit=unit,
                    deadline=dt.date(YEAR, *deadline),
                    assigned_on=dt.date(YEAR, 1, 5),
                    year=YEAR,
                )
                result = ledger_results.result_record(
                    actor=owner,
                    task=task,
                    achieved_quantity=Decimal(achieved),
                    completed_on=dt.date(YEAR, *done_on),
                    quality=quality,
                )
                if reference:
                    ledger_results.product_add_document(
                        actor=owner, result=result, reference=reference
                    )
                else:
                    ledger_results.product_add_count(
                        actor=owner,
                        result=result,
                        quantity=Decimal(achieved),
                        title=f"{unit} đã cập nhật",
                    )
