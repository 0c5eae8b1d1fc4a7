"""A task used only by the worker tests: reports progress, then blocks until killed."""

import time

from django_tasks import task

from kiemdiem.core.jobs import job_progress


@task()
def hang(job_id: int) -> None:
    with job_progress(job_id) as progress:
        progress.update(1, 10, "đang chạy")
        time.sleep(600)


@task()
def explode(job_id: int) -> None:
    with job_progress(job_id) as progress:
        progress.update(3, 10, "sắp lỗi")
        raise ValueError("dữ liệu hỏng ở dòng 4")
