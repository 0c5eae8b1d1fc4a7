import pytest


@pytest.fixture(autouse=True)
def _browser_test_settings(settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told that this is deliberate. Set per test, never at
    # import: `check --deploy` in another test would flag it in the inherited environment.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
