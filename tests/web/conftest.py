"""Web tests: the fixed cast from tests/conftest.py, logged-in clients, row counters."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import Organization, PartyMembership, Person, Position


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # Argon2 makes each cast (four users) cost about a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="quantri", password="x-Quantri-1!")


def row_counts() -> dict[str, int]:
    """Everything a form could write: compared before and after a rejected submission."""
    return {
        "people": Person.objects.count(),
        "positions": Position.objects.count(),
        "party": PartyMembership.objects.count(),
        "orgs": Organization.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def errors_of(response, field: str) -> list[str]:
    form = response.context["form"]
    return list(form.errors.get(field, []))
