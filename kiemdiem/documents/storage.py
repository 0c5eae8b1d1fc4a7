"""Where finished exports are kept, and for how long (`DOCUMENT_EXPORT_HOURS`)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings


def export_dir() -> Path:
    path = Path(getattr(settings, "DOCUMENT_EXPORT_DIR", "") or settings.VAR_DIR / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(job_id: int) -> Path:
    return export_dir() / f"tai-lieu-{job_id}.zip"


def retention() -> timedelta:
    return timedelta(hours=getattr(settings, "DOCUMENT_EXPORT_HOURS", 24))


def prune() -> int:
    """Delete the exports older than the retention time; return how many."""
    cutoff = time.time() - retention().total_seconds()
    removed = 0
    for path in export_dir().glob("tai-lieu-*.zip*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
