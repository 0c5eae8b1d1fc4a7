"""The background import of a large roster file (run by `kiemdiem worker`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.roster.services import RosterInvalid, roster_import
from kiemdiem.roster.uploads import local_copy

SHOWN_PROBLEMS = 20


@task()
def roster_import_task(job_id: int, name: str, original: str, user_id: int) -> dict[str, Any]:
    actor = get_user_model().objects.get(pk=user_id)
    with job_progress(job_id) as progress:
        progress.update(0, 2, _("Đang đọc tệp %(name)s…") % {"name": original})
        try:
            with local_copy(name, original) as path:
                report = roster_import(
                    actor=actor, path=path, progress=lambda i, m: progress.update(i, 2, m)
                )
        except RosterInvalid as exc:
            lines = [p.line() for p in exc.problems]
            progress.result({"problems": lines})
            shown = "\n".join(lines[:SHOWN_PROBLEMS])
            raise RuntimeError(
                _("%(count)s lỗi, không dữ liệu nào được ghi:\n%(lines)s")
                % {"count": len(lines), "lines": shown}
            ) from exc
        finally:
            default_storage.delete(name)
        result = {"counts": report.counts, "lines": report.lines()}
        progress.update(2, 2, " ".join(report.lines()))
        progress.result(result)
        return result
