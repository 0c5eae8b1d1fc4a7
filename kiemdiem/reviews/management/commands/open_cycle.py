"""`kiemdiem open-cycle CYCLE_ID [--sync]`: create every evaluation of a cycle's scope."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.services import cycle_enqueue_open


class Command(BaseCommand):
    help = (
        "Mở đợt kiểm điểm: tạo phiếu đánh giá cho mọi tập thể, cá nhân trong phạm vi. "
        "Mặc định đưa vào hàng đợi xử lý nền; --sync chạy ngay."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("cycle_id", type=int)
        parser.add_argument("--sync", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, cycle_id: int, sync: bool, **opts: Any) -> None:
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        if cycle is None:
            raise CommandError(f"Không có đợt kiểm điểm số {cycle_id}.")
        if not sync:
            job = cycle_enqueue_open(actor=None, cycle=cycle)
            self.stdout.write(str(job.pk))
            return
        started = time.perf_counter()
        try:
            summary = cycle_open(actor=None, cycle=cycle)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"{summary.total} phiếu: {summary.created} mới, {summary.updated} cập nhật, "
            f"{summary.unchanged} không đổi, {summary.frozen} đã nộp (giữ nguyên); "
            f"{summary.excluded} không xếp loại; {len(summary.dropped)} phiếu ngoài nhóm tương đồng "
            f"({time.perf_counter() - started:.1f} s)"
        )
