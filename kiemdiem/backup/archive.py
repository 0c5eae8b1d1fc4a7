"""One portable archive of everything: every table as JSON lines (in dependency order), every
stored file, and a manifest with SHA-256 checksums. Portable between SQLite and PostgreSQL:
values are written by the field types (dates ISO 8601, decimals as text), never as SQL.

Layout of the ZIP:
    manifest.json                {"format", "version", "created_at", "migrations", "tables", "files"}
    data/<app>.<model>.jsonl     one row per line: {"<column attname>": value, …}
    files/<storage name>         the stored files (uploads), by their storage name
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "kiemdiem-backup"
VERSION = 1
CHUNK = 2000


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds (ECMA-262); a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    """Every concrete table, parents before the tables that point to them; many-to-many
    tables after both ends."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = sort_dependencies(app_list, allow_cycles=True)
    seen = set(ordered)
    through = [
        f.remote_field.through
        for m in ordered
        for f in m._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]
    result = [m for m in ordered if m._meta.managed and not m._meta.proxy]
    result += [t for t in through if t not in seen]
    return result


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def applied_migrations() -> dict[str, str]:
    """The last applied migration of each app: restore refuses an archive from another schema."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _rows(model: type[models.Model]) -> Iterator[bytes]:
    names = [f.attname for f in columns(model)]
    for values in model._base_manager.order_by("pk").values_list(*names).iterator(CHUNK):
        yield (
            json.dumps(
                dict(zip(names, values, strict=True)), cls=_Encoder, ensure_ascii=False
            ).encode()
            + b"\n"
        )


def _write_hashed(zf: zipfile.ZipFile, name: str, chunks: Iterator[bytes]) -> tuple[str, int, int]:
    digest = hashlib.sha256()
    size = count = 0
    with zf.open(name, "w", force_zip64=True) as out:
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
            count += 1
    return digest.hexdigest(), size, count


def _stream(fh: IO[bytes]) -> Iterator[bytes]:
    while chunk := fh.read(1 << 20):
        yield chunk


def backup_create(*, path: Path, progress: Any = None) -> dict[str, Any]:
    """Write the archive (to a temporary name, renamed at the end: never a half archive)."""
    tmp = path.with_name(path.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "migrations": applied_migrations(),
        "tables": [],
        "files": [],
    }
    stored: set[str] = set()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for model in backup_models():
            name = f"data/{model._meta.label_lower}.jsonl"
            sha, size, rows = _write_hashed(zf, name, _rows(model))
            manifest["tables"].append(
                {
                    "model": model._meta.label_lower,
                    "file": name,
                    "rows": rows,
                    "sha256": sha,
                    "size": size,
                }
            )
            for field in file_fields(model):
                stored.update(
                    v for v in model._base_manager.values_list(field.attname, flat=True) if v
                )
            if progress:
                progress(model._meta.label_lower, rows)
        for name in sorted(stored):
            if not default_storage.exists(name):
                continue  # a row pointing at a lost file: the restore keeps the row as it is
            with default_storage.open(name, "rb") as fh:
                sha, size, _n = _write_hashed(zf, f"files/{name}", _stream(fh))
            manifest["files"].append({"name": name, "sha256": sha, "size": size})
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    tmp.replace(path)
    return manifest
