import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kiemdiem import settings as kd_settings
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]


def settings_env(**overrides):
    from tests import pytest_env

    ours = set(pytest_env.__dict__.get("SET_BY_TESTS", ()))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", *ours}
    }
    env.update(overrides)
    return env


def import_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import kiemdiem.settings"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = import_settings(settings_env(DEBUG="false"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_misspelled_boolean_stops_the_process():
    result = import_settings(settings_env(DEBUG="ture"))
    assert "DEBUG='ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        (
            "postgres://u:p%40ss@db.local:5433/kd?sslmode=require",
            "django.db.backends.postgresql",
            "kd",
        ),
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3", "/tmp/x.sqlite3"),
    ],
)
def test_database_url_is_parsed_strictly(url, engine, name):
    parsed = kd_settings.database_from_url(url)
    assert parsed["ENGINE"] == engine
    assert parsed["NAME"] == name


def test_database_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        kd_settings.database_from_url("mysql://root@localhost/kd")


def test_check_deploy_is_clean_under_production_settings():
    env = settings_env(
        SECRET_KEY="x" * 60 + "-production-like-secret-key",
        DEBUG="false",
        ALLOWED_HOSTS="kiemdiem.example.gov.vn",
    )
    result = subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_every_variable_the_settings_read_is_listed_in_env_example():
    import re

    source = (REPO / "kiemdiem/settings.py").read_text()
    used = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (REPO / ".env.example").read_text(), re.M))
    assert used <= listed, f"missing from .env.example: {sorted(used - listed)}"


def test_healthz_reports_the_database_and_no_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["workers"] == []
    assert client.get("/healthz?require_worker=1").status_code == 503


def test_healthz_sees_a_worker_heartbeat(client, db):
    from kiemdiem.core.jobs import Heartbeat

    Heartbeat("host-1-abc").beat()
    body = client.get("/healthz?require_worker=1").json()
    assert [w["id"] for w in body["workers"]] == ["host-1-abc"]


def test_login_succeeds_with_the_right_password(client, cast):
    response = client.post("/dang-nhap/", {"username": "nhanvien", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.staff.pk)


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(cast):
    assert cast.staff.password.startswith("argon2")
