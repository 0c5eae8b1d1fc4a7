"""Uploaded roster files: kept in the configured storage (shared by web and worker hosts, outside
the web root) between the preview and the confirmation, read through a local temporary copy."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

SALT = "kiemdiem.roster.upload"
MAX_AGE = 24 * 3600
SUFFIXES = (".xlsx", ".csv")


def upload_store(upload: UploadedFile) -> str:
    suffix = Path(upload.name or "").suffix.lower()
    return default_storage.save(f"roster/{uuid.uuid4().hex}{suffix}", upload)


def upload_token(*, name: str, original: str, user_id: int) -> str:
    return signing.dumps({"name": name, "original": original, "user": user_id}, salt=SALT)


def upload_from_token(token: str, *, user_id: int) -> dict[str, str] | None:
    """The stored upload a confirmation refers to, only for the user who uploaded it."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user_id or not default_storage.exists(data["name"]):
        return None
    return dict(data)


@contextlib.contextmanager
def local_copy(name: str, original: str) -> Iterator[Path]:
    """A local file named like the original (the messages name it), removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="roster-"))
    path = directory / (Path(original).name or Path(name).name)
    try:
        with default_storage.open(name, "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        yield path
    finally:
        shutil.rmtree(directory, ignore_errors=True)
