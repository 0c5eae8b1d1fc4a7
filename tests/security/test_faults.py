"""Faults (issue 13), with real worker processes: a worker killed in the middle of a job leaves
the job failed (never running forever, never half-applied), and a second worker picks up the
work still queued. The short form of `bench/fault_worker` that `make test` runs."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.core.test_worker import KIEMDIEM, REPO, enqueue, job_row, run, scratch_env, shell  # noqa: F401


def test_a_killed_worker_fails_its_job_and_a_second_worker_takes_the_queue(scratch_env):  # noqa: F811
    hung = enqueue(scratch_env, "tests.tasks_for_tests.hang")
    first = subprocess.Popen(
        [*KIEMDIEM, "worker", "--heartbeat", "1"],
        env=scratch_env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while job_row(scratch_env, hung)[0] != "running":
            assert time.monotonic() < deadline, "the first worker never started the job"
            time.sleep(0.5)
        # Work queued while the first worker is busy, then the first worker dies.
        shell(
            scratch_env,
            (
                "import datetime as dt; from kiemdiem.orgs import people; "
                "people.person_create(actor=None, full_name='Nguyễn Văn An', gender='male', "
                "date_of_birth=dt.date(1980,1,1), identity_number='001080000001')"
            ),
        )
        queued = int(run(scratch_env, "jobs", "start", "rebuild-name-keys").stdout.split()[-1])
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # a crash: no clean-up code runs
        first.wait()
    time.sleep(4)  # longer than WORKER_STALE_SECONDS: the second worker reaps at start
    run(scratch_env, "worker", "--batch")
    assert job_row(scratch_env, hung)[0] == "failed"
    status, done, total, message = job_row(scratch_env, queued)
    assert (status, message) == ("succeeded", "Hoàn thành")
    assert done == total
