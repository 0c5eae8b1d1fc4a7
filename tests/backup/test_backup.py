"""Backup → restore, in-process (SQLite test database) to fresh databases in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kiemdiem.backup.archive import backup_create
from kiemdiem.backup.restore import RestoreRefused, restore_archive
from kiemdiem.ledger import results
from kiemdiem.orgs.models import Organization, Person
from tests.ledger.conftest import assign, record

REPO = Path(__file__).resolve().parents[2]


def _one_page_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed with pypdf, not trusted by their first bytes."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads")},
    }
    settings.STORAGES = storages
    return tmp_path / "uploads"


@pytest.fixture
def filled(cast):
    result = record(cast, assign(cast))
    results.product_add_file(
        actor=cast.staff, result=result, upload=SimpleUploadedFile("Báo cáo.pdf", PDF)
    )
    return cast


def tables(archive: Path) -> dict[str, list[dict]]:
    """Rows of each table, parsed (JSON objects compare equal whatever their key order)."""
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        out = {
            t["model"]: [json.loads(line) for line in zf.read(t["file"]).splitlines()]
            for t in manifest["tables"]
        }
        out["files"] = sorted((f["name"], f["sha256"]) for f in manifest["files"])
        for f in manifest["files"]:
            out["files"].append(zf.read(f"files/{f['name']}"))
    return out


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:
        return os.environ.get("CI") == "true" and False


def kiemdiem(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    """A fresh, migrated database (and upload directory) in a subprocess environment."""
    env = dict(os.environ)
    env.update(PYTHONPATH=str(REPO), MEDIA_ROOT=str(tmp_path / "restored"), DEBUG="true")
    dbname = None
    if request.param == "postgresql":
        if not pg_available():
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true: PostgreSQL must be reachable on 127.0.0.1:5432")
            pytest.skip("PostgreSQL is not reachable")
        import psycopg

        dbname = f"kd_roster_restore_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/restored.sqlite3"
    done = kiemdiem(env, "migrate", "-v0")
    assert done.returncode == 0, done.stderr
    yield env
    if dbname:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_fresh_database_compares_equal_row_for_row_and_file_for_file(
    filled, tmp_path, target
):
    archive = tmp_path / "sao-luu.zip"
    call_command("backup", "-o", str(archive))
    done = kiemdiem(target, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Đã phục hồi" in done.stdout
    again = tmp_path / "lan-2.zip"
    done = kiemdiem(target, "backup", "-o", str(again))
    assert done.returncode == 0, done.stderr
    original, restored = tables(archive), tables(again)
    assert restored["orgs.person"] == original["orgs.person"]
    assert len(original["orgs.person"]) == Person.objects.count() > 0
    assert restored == original
    # The restored database goes on numbering after the restored ids (PostgreSQL sequences).
    done = kiemdiem(
        target,
        "shell",
        "-c",
        "from kiemdiem.orgs.models import Organization as O;"
        "o=O.objects.create(code='MOI',name='Mới',kind='division',path='x');print(o.pk)",
    )
    assert done.returncode == 0, done.stderr
    assert (
        int(done.stdout.strip().splitlines()[-1]) > Organization.objects.order_by("-pk").first().pk
    )


def test_a_corrupted_archive_is_refused_before_anything_is_written(filled, tmp_path):
    archive = tmp_path / "a.zip"
    backup_create(path=archive)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "data/orgs.person.jsonl":
                data = data.replace("Ánh".encode(), b"Anh")
            dst.writestr(item, data)
    people = Person.objects.count()
    with pytest.raises(RestoreRefused, match="orgs.person.jsonl” sai mã kiểm tra SHA-256"):
        restore_archive(path=broken, force=True)
    assert Person.objects.count() == people


def test_restore_refuses_a_non_empty_database_without_force(filled, tmp_path, capsys):
    archive = tmp_path / "a.zip"
    backup_create(path=archive)
    with pytest.raises(CommandError) as info:
        call_command("restore", str(archive))
    assert info.value.returncode == 2
    assert "không trống" in str(info.value)


def test_restore_with_force_replaces_the_data(filled, tmp_path, media_root):
    archive = tmp_path / "a.zip"
    backup_create(path=archive)
    before = tables(archive)
    Person.objects.filter(pk=filled.outsider_person.pk).update(full_name="Đã Sửa")
    for path in media_root.rglob("*.pdf"):
        path.unlink()
    counts = restore_archive(path=archive, force=True)
    assert counts["files"] == 1
    after = tmp_path / "b.zip"
    backup_create(path=after)
    assert tables(after) == before


def test_not_an_archive_exits_2(db, tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError) as info:
        call_command("restore", str(bad))
    assert info.value.returncode == 2


def test_an_archive_from_another_schema_is_refused(filled, tmp_path):
    archive = tmp_path / "a.zip"
    backup_create(path=archive)
    other = tmp_path / "khac.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(other, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["orgs"] = "9999_future"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    with pytest.raises(RestoreRefused, match="migration không khớp"):
        restore_archive(path=other, force=True)
