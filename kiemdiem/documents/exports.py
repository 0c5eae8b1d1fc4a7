"""Every form of a subtree's evaluations for a cycle, as one ZIP (DOCX or PDF).

One folder per organization (its code): each evaluation's self-review form, and the
organization's results notice with its annex, the review-meeting minutes and the dossier list
(Mẫu 04) naming the folder's files; Mẫu 03 for each evaluation re-rated after an annulment;
Mẫu 05 for each person when the cycle is a quarter.
Evaluations are read in batches (`BATCH`) with a bounded number of queries each; PDFs come from
Typst straight from the data, or for edited DOCX templates from LibreOffice runs over many files
at once (`pdf.convert_many`).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from kiemdiem.documents import adapters, listing
from kiemdiem.documents.builders import MinutesItem, Rated
from kiemdiem.documents.pdf import convert_many, typst_pdf, uses_libreoffice
from kiemdiem.documents.render import Renderable, render_docx
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.meetings.access import can_see_meeting

BATCH = 500
FORMATS = ("docx", "pdf")
ProgressFn = Callable[[int, int, str], None]


class ExportInputError(ValueError):
    """Bad input: the message names what is wrong (exit code 2 on the command line)."""


@dataclass
class ExportSummary:
    evaluations: int = 0
    organizations: int = 0
    files: int = 0
    seconds: float = 0.0
    names: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "evaluations": self.evaluations,
            "organizations": self.organizations,
            "files": self.files,
            "seconds": round(self.seconds, 2),
        }


def safe(name: str) -> str:
    """A file-name part: letters, digits, dot, dash, underscore (the codes are ASCII)."""
    return re.sub(r"[^\w.-]+", "-", name, flags=re.ASCII).strip("-.") or "x"


def subtree_evaluations(cycle: Cycle, organization: Organization):  # type: ignore[no-untyped-def]
    return Evaluation.objects.filter(
        cycle=cycle, organization__path__under=organization.path
    ).order_by("organization__path", "subject", "code")


@dataclass
class _Folder:
    rated: list[Rated] = field(default_factory=list)
    items: list[tuple[int, MinutesItem]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Evaluations published at least once: their meeting record is part of the result.
    published: set[int] = field(default_factory=set)


class _Writer:
    """Files in a flat folder with unique stems (LibreOffice names PDFs by stem), each
    remembered with its place in the ZIP. For PDF, a form goes through Typst straight from its
    data unless it needs LibreOffice (`pdf.uses_libreoffice`): then its DOCX waits in `pending`
    for one batched conversion."""

    def __init__(self, root: Path, fmt: str, pool: ThreadPoolExecutor | None = None) -> None:
        self.root = root
        self.fmt = fmt
        self.entries: list[tuple[Path, str]] = []
        self.pending: list[Path] = []
        self.pool = pool
        self.typesetting: list[Future[int]] = []

    def add(self, folder: str, stem: str, document: Renderable) -> str:
        name = safe(stem)
        base = self.root / f"{len(self.entries):06d}-{name}"
        if self.fmt == "pdf" and not uses_libreoffice(document):
            path = base.with_suffix(".pdf")
            if self.pool is None:
                path.write_bytes(typst_pdf(document))
            else:  # Typst releases the GIL while it compiles: the forms typeset side by side
                self.typesetting.append(self.pool.submit(_typeset, path, document))
        else:
            path = base.with_suffix(".docx")
            path.write_bytes(render_docx(document))
            if self.fmt == "pdf":
                self.pending.append(path)
        self.entries.append((path, f"{folder}/{name}"))
        return name

    def convert_pending(self, step: Callable[[int], None]) -> list[Path]:
        """The files to zip, in order: LibreOffice's PDFs in place of the pending DOCX."""
        for future in self.typesetting:
            future.result()  # a failed form raises here (ConversionError), before any ZIP
        if not self.pending:
            return [path for path, _ in self.entries]
        outdir = self.root / "pdf"
        convert_many(self.pending, outdir, on_batch=step)
        return [
            outdir / f"{path.stem}.pdf" if path.suffix == ".docx" else path
            for path, _ in self.entries
        ]


def _typeset(path: Path, document: Renderable) -> int:
    return path.write_bytes(typst_pdf(document))


def workers() -> int:
    """Typst threads of a bulk export: DOCUMENT_WORKERS, by default one per core."""
    return max(1, int(getattr(settings, "DOCUMENT_WORKERS", 0) or os.cpu_count() or 1))


def export_documents(
    *,
    cycle: Cycle,
    organization: Organization,
    fmt: str,
    out: Path,
    progress: ProgressFn | None = None,
    viewer: Any = None,
) -> ExportSummary:
    """Write the ZIP to `out` (atomically: a partial file never has the final name).

    `viewer` is the user the export is for: the minutes carry a meeting's comments and tallies
    only where `meetings.access` lets them read it before publication. `None` is the operator's
    `kiemdiem documents` command, which reads everything."""
    if fmt not in FORMATS:
        raise ExportInputError(f"Định dạng “{fmt}” không hợp lệ: chọn docx hoặc pdf.")
    ids = list(subtree_evaluations(cycle, organization).values_list("pk", flat=True))
    if not ids:
        raise ExportInputError(
            f"Đợt “{cycle.name}” không có phiếu đánh giá nào thuộc “{organization.name}”."
        )
    report = progress or (lambda done, total, message: None)
    started = time.perf_counter()
    summary = ExportSummary(evaluations=len(ids))
    steps = len(ids) * (2 if fmt == "pdf" else 1)
    with (
        tempfile.TemporaryDirectory(prefix="kd-export-") as tmp,
        ThreadPoolExecutor(workers(), thread_name_prefix="typst") as pool,
    ):
        writer = _Writer(Path(tmp), fmt, pool if workers() > 1 else None)
        folders = _render_forms(cycle, ids, writer, lambda n: report(n, steps, "Đang lập biểu mẫu"))
        _render_org_documents(cycle, folders, writer, viewer)
        summary.organizations = len(folders)
        pending = max(1, len(writer.pending))
        files = writer.convert_pending(
            lambda n: report(len(ids) + n * len(ids) // pending, steps, "Đang chuyển sang PDF")
        )
        summary.names = [f"{name}.{fmt}" for _, name in writer.entries]
        part = out.with_name(out.name + ".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, name in zip(files, summary.names, strict=True):
                archive.write(path, name)
        part.replace(out)
    summary.files = len(summary.names)
    summary.seconds = time.perf_counter() - started
    report(steps, steps, f"Xong: {summary.files} tệp")
    return summary


def _render_forms(
    cycle: Cycle, ids: list[int], writer: _Writer, step: Callable[[int], None]
) -> dict[int, _Folder]:
    folders: dict[int, _Folder] = defaultdict(_Folder)
    done = 0
    for start in range(0, len(ids), BATCH):
        rows = adapters.load_evaluations(
            Evaluation.objects.filter(pk__in=ids[start : start + BATCH]).order_by(
                "organization__path", "subject", "code"
            )
        )
        ledger = adapters.ledger_for(rows)
        reratings = listing.reratings_for(rows)
        for evaluation in rows:
            folder = folders[evaluation.organization_id]
            code = safe(evaluation.organization.code)
            document = adapters.self_review_doc(evaluation, ledger)
            folder.files.append(writer.add(code, f"{evaluation.code}-{document.form}", document))
            if evaluation.pk in reratings:
                previous, reason = reratings[evaluation.pk]
                mau03 = listing.rerating_doc(evaluation, previous_level=previous, reason=reason)
                folder.files.append(writer.add(code, f"{evaluation.code}-hd43-mau03", mau03))
            folder.rated.append(listing.rated(evaluation, evaluation.decided_level))
            folder.items.append((evaluation.pk, listing.minutes_item(evaluation)))
            if evaluation.published_at is not None:
                folder.published.add(evaluation.pk)
            if cycle.quarter and evaluation.person_id:
                tasks = ledger.get((evaluation.person_id, cycle.year), [])
                mau05 = listing.self_assessment_doc(evaluation, tasks)
                folder.files.append(writer.add(code, f"{evaluation.code}-hd43-mau05", mau05))
        done += len(rows)
        step(done)
    return folders


def _render_org_documents(
    cycle: Cycle, folders: dict[int, _Folder], writer: _Writer, viewer: Any
) -> None:
    orgs = Organization.objects.select_related("parent").in_bulk(list(folders))
    meetings = listing.meetings_for(cycle, list(folders))
    for org_id, folder in folders.items():
        org = orgs[org_id]
        code = safe(org.code)
        hidden: set[int] = set()
        if viewer is not None and not can_see_meeting(viewer, org):
            # Before publication only the meeting, the deciders and the inspection committee
            # read its comments and tallies (meetings.access): the others get the published
            # subjects' only.
            hidden = {pk for pk, _ in folder.items if pk not in folder.published}
        folder.files.append(
            writer.add(code, "thong-bao-ket-qua", listing.notice_doc(cycle, org, folder.rated))
        )
        folder.files.append(
            writer.add(
                code,
                "bien-ban-hop",
                listing.minutes_doc(org, folder.items, meetings.get(org_id), hidden),
            )
        )
        listed = [*folder.files, "hd43-mau04"]
        writer.add(code, "hd43-mau04", listing.dossier_doc(cycle, org, listed))
