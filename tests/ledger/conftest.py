"""Ledger fixtures: uploads go to a temporary directory, never beside the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kiemdiem.ledger import results, services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The cast's four accounts: a fast hasher (Argon2 costs seconds per test, and login is not
    # what these tests are about).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads")},
    }
    settings.STORAGES = storages
    return tmp_path / "uploads"


def assign(cast, *, actor=None, person=None, **kw):
    """A task given by the unit head to the staff member (year 2025 unless told)."""
    values = {
        "title": "Thẩm định hồ sơ tuyển dụng",
        "target_quantity": Decimal(10),
        "unit": "hồ sơ",
        "assigned_on": dt.date(2025, 1, 6),
        "deadline": dt.date(2025, 3, 31),
    }
    values.update(kw)
    return services.task_assign(
        actor=actor or cast.unit_head, person=person or cast.staff_person, **values
    )


def record(cast, task, *, actor=None, **kw):
    values = {
        "achieved_quantity": Decimal(10),
        "completed_on": dt.date(2025, 3, 20),
        "quality": "meets",
    }
    values.update(kw)
    return results.result_record(actor=actor or cast.staff, task=task, **values)
