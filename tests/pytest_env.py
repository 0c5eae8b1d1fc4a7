"""Loaded with `-p` before pytest-django reads the settings: the environment tests run in.

Production defaults stay on (DEBUG off, secure headers) except what the test client and the
live server (plain HTTP, no collectstatic) cannot work with.
"""

import os

SET_BY_TESTS = {
    "SECRET_KEY": "test-only-secret-key-not-for-production",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    # Static files straight from the apps (no collectstatic manifest in a test run).
    "STATIC_MANIFEST": "false",
    "WHITENOISE_USE_FINDERS": "true",
}
for _name, _value in SET_BY_TESTS.items():
    os.environ.setdefault(_name, _value)
os.environ["DEBUG"] = "false"
# Tests never read the var/local.env that `make run` writes in the same checkout.
os.environ["KIEMDIEM_ENV_FILE"] = ""

# A previous run may have left the WAL files of its (deleted) SQLite test database behind: a new
# database file beside stale -wal/-shm files fails with "disk I/O error", so remove them first.
if not os.environ.get("DATABASE_URL"):
    from pathlib import Path

    _var = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parents[1] / "var"))
    for _stale in _var.glob("test_*.sqlite3*-[ws][ah][lm]"):
        _stale.unlink(missing_ok=True)
    for _stale in _var.glob("test_*.sqlite3"):
        _stale.unlink(missing_ok=True)
