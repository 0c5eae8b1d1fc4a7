"""Loaded with `-p` before pytest-django reads the settings: the environment tests run in.

Production defaults stay on (DEBUG off, secure cookies) except the HTTPS redirect, which the
test client and the live server (plain HTTP) cannot follow.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
