"""`kiemdiem send-reminders [--sync] [--days N]`: remind people behind a cycle's deadline.

Meant for a daily cron: a person is reminded once per deadline, whatever the number of runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiemdiem.core.jobs import job_enqueue
from kiemdiem.reviews.cycles.reminders import DAYS_BEFORE, deadline_reminders_send
from kiemdiem.reviews.cycles.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Gửi thông báo nhắc hạn cho những người chưa nộp bản tự kiểm điểm khi gần hoặc quá hạn. "
        "Mặc định đưa vào hàng đợi xử lý nền; --sync chạy ngay."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sync", action="store_true", help="chạy ngay, không qua hàng đợi")
        parser.add_argument(
            "--days", type=int, default=DAYS_BEFORE, help="nhắc trước hạn bao nhiêu ngày"
        )

    def handle(self, *args: Any, sync: bool, days: int, **opts: Any) -> None:
        if not sync:
            job = job_enqueue(
                task=send_deadline_reminders,
                kind="reminders",
                title="Gửi nhắc hạn kiểm điểm",
                kwargs={"days_before": days},
            )
            self.stdout.write(str(job.pk))
            return
        sent = deadline_reminders_send(days_before=days)
        self.stdout.write(f"Đã gửi {sent} thông báo nhắc hạn.")
