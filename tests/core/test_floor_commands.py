"""decisions.md §5 through the real console script: exit 2 with one Vietnamese line per problem
for bad input (argparse's usage block and Django's "CommandError:" prefix are gone), 1 with a
one-line message for anything else, never a traceback unless --traceback asks for one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _kiemdiem(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    # An empty, unmigrated database: bad arguments are refused before it is touched.
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"}
    return subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("api-token", "nhanvien", "--days", "abc"),
            "kiemdiem api-token: tham số --days: “abc” không phải số nguyên (xem --help)",
        ),
        (("api-token",), "kiemdiem api-token: thiếu tham số bắt buộc: username (xem --help)"),
        (("api-token", "a", "b"), "kiemdiem api-token: không nhận ra tham số: b (xem --help)"),
        (
            ("export-roster", "-o", "x.xlsx", "--organization", "abc"),
            "kiemdiem export-roster: tham số --organization: “abc” không phải số nguyên"
            " (xem --help)",
        ),
        (("backup",), "kiemdiem backup: thiếu tham số bắt buộc: -o/--output (xem --help)"),
        (("restore",), "kiemdiem restore: thiếu tham số bắt buộc: file (xem --help)"),
        (("import-roster",), "kiemdiem import-roster: thiếu tham số bắt buộc: file (xem --help)"),
        (
            ("documents", "--cycle", "1"),
            "kiemdiem documents: thiếu tham số bắt buộc: --organization, --format, -o/--output"
            " (xem --help)",
        ),
    ],
)
def test_bad_arguments_are_one_vietnamese_line_and_exit_2(tmp_path, args, line):
    done = _kiemdiem(tmp_path, *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


def test_a_refusal_is_its_message_alone_without_the_class_name(tmp_path):
    done = _kiemdiem(tmp_path, "restore", str(tmp_path / "missing.zip"))
    assert done.returncode == 2
    assert done.stderr == f"Không có tệp {tmp_path / 'missing.zip'}.\n"


def test_an_unexpected_failure_is_one_line_and_exit_1_not_a_traceback(tmp_path):
    # No tables in the database: the query fails inside the command.
    done = _kiemdiem(tmp_path, "api-token", "nhanvien")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Lỗi: no such table") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_traceback_still_shows_one_when_asked(tmp_path):
    done = _kiemdiem(tmp_path, "api-token", "nhanvien", "--traceback")
    assert done.returncode == 1 and "Traceback" in done.stderr


def test_export_roster_into_a_missing_folder_is_bad_input(db, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("export_roster", "-o", str(tmp_path / "nowhere" / "x.xlsx"))
    assert info.value.returncode == 2
    assert str(info.value) == f"Không có thư mục {tmp_path / 'nowhere'}."


def test_export_roster_onto_an_unwritable_path_is_a_message_and_exit_1(db, tmp_path):
    (tmp_path / "taken.xlsx").mkdir()  # a folder where the file should go
    with pytest.raises(CommandError) as info:
        call_command("export_roster", "-o", str(tmp_path / "taken.xlsx"))
    assert info.value.returncode == 1
    assert str(info.value).startswith(f"Không ghi được {tmp_path / 'taken.xlsx'}: ")


def test_call_command_keeps_raising_command_error_for_bad_arguments(db):
    with pytest.raises(CommandError) as info:
        call_command("api_token", "nhanvien", "--days", "abc")
    assert info.value.returncode == 2
    assert str(info.value) == "tham số --days: “abc” không phải số nguyên"


def _bare(tmp_path, env_file: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script as a person types it in a shell: no DEBUG, no SECRET_KEY."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env |= {"KIEMDIEM_ENV_FILE": env_file, "DATABASE_URL": f"sqlite:///{tmp_path}/e.sqlite3"}
    return subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", *args], env=env, capture_output=True, text=True
    )


def test_without_a_secret_key_a_command_says_so_in_one_line_and_exits_1(tmp_path):
    done = _bare(tmp_path, "", "api-token", "nhanvien")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_commands_beside_the_demo_read_the_local_env_file_make_run_writes(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("# make run\nDEBUG=true\n", encoding="utf-8")
    done = _bare(tmp_path, str(local), "api-token")
    assert (done.returncode, done.stderr) == (
        2,
        "kiemdiem api-token: thiếu tham số bắt buộc: username (xem --help)\n",
    )
