"""Real worker processes against a real database file/server (no in-process shortcuts)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KIEMDIEM = [sys.executable, "-m", "kiemdiem.cli"]


@pytest.fixture
def scratch_env(tmp_path):
    """An environment pointing at a fresh, migrated database of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(PYTHONPATH=str(REPO), WORKER_STALE_SECONDS="3")
    url = os.environ.get("DATABASE_URL", "")
    dbname = None
    if url.startswith("postgres"):
        import psycopg

        dbname = f"kd_worker_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/worker.sqlite3"
    run(env, "migrate", "-v0")
    yield env
    if dbname:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')


def run(env, *args, check=True):
    return subprocess.run(
        [*KIEMDIEM, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


def shell(env, code: str) -> str:
    return run(env, "shell", "-c", code).stdout.strip()


def enqueue(env, dotted: str) -> int:
    module, name = dotted.rsplit(".", 1)
    out = shell(
        env,
        (
            f"from {module} import {name}; from kiemdiem.core.jobs import job_enqueue; "
            f"print(job_enqueue(task={name}, kind='{name}', title='{name}').pk)"
        ),
    )
    return int(out.splitlines()[-1])


def job_row(env, job_id: int) -> list[str]:
    out = shell(
        env,
        (
            f"from kiemdiem.core.models import Job; j = Job.objects.get(pk={job_id}); "
            "print(j.status, j.done, j.total, sep='|'); print(j.message)"
        ),
    )
    first, message = out.splitlines()[-2:]
    return [*first.split("|"), message]


def test_a_worker_process_runs_a_queued_job_to_completion_with_progress(scratch_env):
    shell(
        scratch_env,
        (
            "import datetime as dt; from kiemdiem.orgs import people; "
            "people.person_create(actor=None, full_name='Nguyễn Văn An', gender='male', "
            "date_of_birth=dt.date(1980,1,1), identity_number='001080000001')"
        ),
    )
    job_id = int(run(scratch_env, "jobs", "start", "rebuild-name-keys").stdout.split()[-1])
    run(scratch_env, "worker", "--batch")
    status, done, total, message = job_row(scratch_env, job_id)
    assert (status, done, total) == ("succeeded", "1", "1") or (status, done) == (
        "succeeded",
        total,
    )
    assert message == "Hoàn thành"


def test_a_failing_task_is_recorded_as_failed_with_its_error(scratch_env):
    job_id = enqueue(scratch_env, "tests.tasks_for_tests.explode")
    run(scratch_env, "worker", "--batch")
    status, done, total, message = job_row(scratch_env, job_id)
    assert (status, done, total) == ("failed", "3", "10")
    assert message == "Lỗi: dữ liệu hỏng ở dòng 4"


def test_a_job_whose_worker_dies_is_shown_as_failed_not_running_forever(scratch_env):
    job_id = enqueue(scratch_env, "tests.tasks_for_tests.hang")
    worker = subprocess.Popen(
        [*KIEMDIEM, "worker", "--heartbeat", "1"],
        env=scratch_env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while job_row(scratch_env, job_id)[0] != "running":
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # a crash: no clean-up code runs
        worker.wait()
    assert job_row(scratch_env, job_id)[0] == "running"
    time.sleep(4)  # longer than WORKER_STALE_SECONDS
    run(scratch_env, "jobs", "reap")
    status, _done, _total, message = job_row(scratch_env, job_id)
    assert status == "failed"
    assert message == "Tiến trình xử lý nền đã dừng đột ngột; công việc chưa hoàn thành."
    # The task library's own row is failed through its model's method, with the reason.
    library = shell(
        scratch_env,
        (
            "from kiemdiem.core.models import Job; from django_tasks_db.models import DBTaskResult; "
            f"r = DBTaskResult.objects.get(id=Job.objects.get(pk={job_id}).task_result_id); "
            "print(r.status, r.exception_class_path, sep='|')"
        ),
    ).splitlines()[-1]
    assert library == "FAILED|kiemdiem.core.jobs.WorkerDied"
