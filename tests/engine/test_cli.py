"""``kiemdiem classify`` as a command (contract section 1): start-up, files, stdin, bytes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.engine.conftest import KIEMDIEM, cli, doc, dumps, examples_dir, staff

EXAMPLE = "01-xa-2025-qd366-nd90"


def test_the_command_starts_fast_and_never_imports_django() -> None:
    code = (
        "import sys, time; t = time.perf_counter();"
        "from kiemdiem.cli import main;"
        "rc = main(['classify', '-', '-o', '/dev/null']);"
        "assert 'django' not in sys.modules, 'django imported';"
        "print(time.perf_counter() - t)"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=b'{"year": 2025, "evaluations": []}',
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr.decode()
    assert float(proc.stdout) < 1.0
    assert wall < 2.0


def test_stdout_and_output_file_hold_the_same_bytes(tmp_path: Path) -> None:
    src = examples_dir() / f"{EXAMPLE}.json"
    out = tmp_path / "out.json"
    a = cli(str(src))
    b = cli(str(src), "-o", str(out))
    assert a.returncode == b.returncode == 0
    assert b.stdout == b""
    assert out.read_bytes() == a.stdout


def test_stdin_dash_reads_standard_input() -> None:
    src = examples_dir() / f"{EXAMPLE}.json"
    assert cli("-", stdin=src.read_bytes()).stdout == cli(str(src)).stdout


def test_identical_input_gives_byte_identical_output() -> None:
    src = examples_dir() / "02-so-2024-qd124-nd90.json"
    runs = {cli(str(src)).stdout for _ in range(3)}
    assert len(runs) == 1


def test_output_is_utf8_json_with_results_in_input_order() -> None:
    d = doc(2025, staff("Nguyễn", general="good"), staff("A", general="good"))
    proc = cli("-", stdin=dumps(d))
    out = json.loads(proc.stdout.decode("utf-8"))
    assert [r["id"] for r in out["results"]] == ["Nguyễn", "A"]
    assert "Nguyễn".encode() in proc.stdout


def test_ids_with_quotes_and_backslashes_are_escaped() -> None:
    d = doc(2025, staff('a"b\\c', general="good"))
    out = json.loads(cli("-", stdin=dumps(d)).stdout)
    assert out["results"][0]["id"] == 'a"b\\c'


def test_a_missing_file_is_an_error_without_output() -> None:
    proc = cli("/nonexistent/in.json")
    assert proc.returncode != 0 and proc.stdout == b""


def test_usage_error_exits_2() -> None:
    proc = subprocess.run([KIEMDIEM, "classify"], capture_output=True, check=False)
    assert proc.returncode == 2 and proc.stdout == b""
