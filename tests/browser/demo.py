"""The demo as `make run` builds it, on a small province, for the browser tests that walk the
demo roles' pages (DEBUG only, like the demo commands)."""

from __future__ import annotations

from collections.abc import Iterable
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import PASSWORD


def build_demo(settings, usernames: Iterable[str], *, integrity: bool = False) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("load_criteria", stdout=out)
    call_command("seed_demo", people=400, stdout=out)
    call_command("demo_accounts", stdout=out)
    call_command("demo_cycle", stdout=out)
    if integrity:
        call_command("demo_integrity", stdout=out)
    settings.DEBUG = False
    # The tests' sign-in helper types the tests' password.
    for user in get_user_model().objects.filter(username__in=list(usernames)):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
