"""Restoring an archive written by `kiemdiem.backup.archive` into an empty database.

Order of the checks, so that a bad archive writes nothing: the manifest is read and every member
is hashed against it first; then the schema (the applied migrations) must match; then the
database must be empty (or `force`). The rows go in one transaction (foreign keys are deferred
to the commit on both databases, so self-references in any order are fine), the stored files are
written inside it and removed again if it fails, and PostgreSQL's sequences are moved past the
restored ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from kiemdiem.backup.archive import CHUNK, FORMAT, applied_migrations, backup_models, columns
from kiemdiem.core.audit import allow_history_replacement
from kiemdiem.core.signals import restored

# Rows that `migrate` itself writes into a new database: not a sign of data.
SEEDED = {"contenttypes.contenttype", "auth.permission"}


class RestoreRefused(Exception):
    """Bad input (exit 2): a corrupt or foreign archive, or a database that is not empty."""


def _read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise RestoreRefused(_("Tệp không có bảng kê (manifest.json) hợp lệ.")) from exc
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(_("Tệp không phải là bản sao lưu KiemDiem."))
    return manifest


def verify_archive(path: Path) -> dict[str, Any]:
    """Every member listed with the right checksum, nothing unlisted; returns the manifest."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RestoreRefused(_("Không mở được tệp sao lưu: %(error)s") % {"error": exc}) from exc
    problems = []
    with zf:
        manifest = _read_manifest(zf)
        expected = {t["file"]: t["sha256"] for t in manifest["tables"]}
        expected.update({f"files/{f['name']}": f["sha256"] for f in manifest["files"]})
        present = set(zf.namelist()) - {"manifest.json"}
        for name in sorted(present - set(expected)):
            problems.append(_("Phần “%(name)s” không có trong bảng kê.") % {"name": name})
        for name, sha in expected.items():
            if name not in present:
                problems.append(_("Thiếu phần “%(name)s”.") % {"name": name})
                continue
            digest = hashlib.sha256()
            try:
                with zf.open(name) as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                problems.append(
                    _("Phần “%(name)s” bị hỏng: %(error)s") % {"name": name, "error": exc}
                )
                continue
            if digest.hexdigest() != sha:
                problems.append(_("Phần “%(name)s” sai mã kiểm tra SHA-256.") % {"name": name})
    if problems:
        raise RestoreRefused("\n".join(problems))
    return manifest


def non_empty_tables() -> list[str]:
    return [
        m._meta.label_lower
        for m in backup_models()
        if m._meta.label_lower not in SEEDED and m._base_manager.exists()
    ]


@contextlib.contextmanager
def _stored_timestamps() -> Iterator[None]:
    """auto_now/auto_now_add would overwrite the archived times on insert: off while restoring."""
    switched = []
    for model in backup_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in switched:
            field.auto_now, field.auto_now_add = now, now_add


def _load_table(zf: zipfile.ZipFile, model: type[models.Model], name: str) -> int:
    fields = {f.attname: f for f in columns(model)}
    batch: list[models.Model] = []
    count = 0
    with zf.open(name) as fh:
        for line in fh:
            raw = json.loads(line)
            batch.append(
                model(
                    **{
                        k: fields[k].to_python(v)
                        if v is not None and not isinstance(fields[k], models.JSONField)
                        else v
                        for k, v in raw.items()
                    }
                )
            )
            if len(batch) >= CHUNK:
                model._base_manager.bulk_create(batch)
                count += len(batch)
                batch = []
    if batch:
        model._base_manager.bulk_create(batch)
        count += len(batch)
    return count


def _clear_tables(ordered: list[type[models.Model]]) -> None:
    allow_history_replacement()  # --force replaces the history too (the archive carries its own)
    for model in reversed(ordered):
        model._base_manager.all()._raw_delete(using=connection.alias)


def _reset_sequences(ordered: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), ordered)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def restore_archive(*, path: Path, force: bool = False, progress: Any = None) -> dict[str, int]:
    manifest = verify_archive(path)
    if manifest["migrations"] != applied_migrations():
        raise RestoreRefused(
            _(
                "Bản sao lưu thuộc một phiên bản cơ sở dữ liệu khác (các migration không khớp); hãy chạy cùng phiên bản phần mềm."
            )
        )
    ordered = backup_models()
    by_label = {m._meta.label_lower: m for m in ordered}
    unknown = [t["model"] for t in manifest["tables"] if t["model"] not in by_label]
    if unknown:
        raise RestoreRefused(
            _("Bảng không có trong phần mềm này: %(names)s.") % {"names": ", ".join(unknown)}
        )
    if not force:
        busy = non_empty_tables()
        if busy:
            raise RestoreRefused(
                _("Cơ sở dữ liệu không trống (%(names)s…); dùng --force để ghi đè.")
                % {"names": ", ".join(busy[:5])}
            )
    counts: dict[str, int] = {}
    written: list[str] = []
    try:
        with zipfile.ZipFile(path) as zf, transaction.atomic(), _stored_timestamps():
            _clear_tables(ordered)
            for table in manifest["tables"]:
                counts[table["model"]] = _load_table(zf, by_label[table["model"]], table["file"])
                if progress:
                    progress(table["model"], counts[table["model"]])
            _reset_sequences(ordered)
            for item in manifest["files"]:
                if default_storage.exists(item["name"]):
                    default_storage.delete(item["name"])
                saved = default_storage.save(
                    item["name"], ContentFile(zf.read(f"files/{item['name']}"))
                )
                written.append(saved)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    counts["files"] = len(written)
    restored.send(sender=None)
    return counts
