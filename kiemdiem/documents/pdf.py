"""PDF: Typst from the data for the built-in layouts; LibreOffice headless over the DOCX, in
batches, for templates a province edited (README "Official documents", "Benchmarks").

LibreOffice takes seconds to start and a fraction of that per document, so many files go through
one `soffice --convert-to pdf` run (README "Benchmarks"). Each run gets its own user profile
directory: two runs sharing a profile would block on its lock.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

from kiemdiem.documents.render import Renderable, is_custom_docx

BATCH = 100  # files per soffice run: amortizes the start, bounds the command line


class ConversionError(RuntimeError):
    """LibreOffice failed or produced no PDF for a file of the batch."""


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError("Không tìm thấy LibreOffice (soffice) để chuyển sang PDF.")


def convert_many(
    sources: Sequence[Path],
    outdir: Path,
    *,
    timeout: int = 1800,
    on_batch: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """PDFs of `sources` (DOCX files with distinct names) written to `outdir`, in order.

    Batches of `BATCH` files, each one LibreOffice run; `workers` runs at a time (default: one
    per core, at most two: LibreOffice renders on one thread). `on_batch(done)` after each run.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    binary = soffice()
    batches = [sources[i : i + BATCH] for i in range(0, len(sources), BATCH)]
    count = max(1, min(workers or min(2, os.cpu_count() or 1), len(batches)))
    done = [0]
    lock = threading.Lock()

    def run(batch: Sequence[Path]) -> None:
        _convert_batch(binary, batch, outdir, timeout)
        with lock:
            done[0] += len(batch)
            if on_batch is not None:
                on_batch(done[0])

    if count == 1:
        for batch in batches:
            run(batch)
    else:
        with ThreadPoolExecutor(count) as pool:
            list(pool.map(run, batches))
    return [outdir / f"{s.stem}.pdf" for s in sources]


def _convert_batch(binary: str, batch: Sequence[Path], outdir: Path, timeout: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kd-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            *(str(s) for s in batch),
        ]
        run = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    missing = [s.name for s in batch if not (outdir / f"{s.stem}.pdf").is_file()]
    if run.returncode != 0 or missing:
        detail = run.stderr.decode(errors="replace")[-500:]
        raise ConversionError(
            f"LibreOffice không chuyển được {len(missing)} tệp sang PDF: "
            f"{', '.join(missing[:5])} {detail}".strip()
        )


def convert_bytes(docx: bytes, name: str = "tai-lieu") -> bytes:
    """One document's PDF (a single download; exports use `convert_many`)."""
    with tempfile.TemporaryDirectory(prefix="kd-pdf-") as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        [pdf] = convert_many([source], Path(tmp) / "out")
        return pdf.read_bytes()


# --- Typst: the fast path for the built-in layouts ----------------------------------------------

TYPST = Path(__file__).resolve().parent / "typst"
FONT_DIRS = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2"]


def typst_template(document: Renderable) -> Path:
    """`<form>.typ` from DOCUMENT_TEMPLATES_DIR if a province wrote one, else the built-in
    layout of its kind (self-review forms, list documents)."""
    custom = getattr(settings, "DOCUMENT_TEMPLATES_DIR", "")
    if custom and (Path(custom) / f"{document.form}.typ").is_file():
        return Path(custom) / f"{document.form}.typ"
    return TYPST / ("self-review.typ" if hasattr(document, "sections") else "list.typ")


def typst_pdf(document: Renderable) -> bytes:
    """The PDF straight from the data (no DOCX): a few tens of milliseconds per form. The data
    go in as JSON and the templates insert them as text, never as markup."""
    import typst

    data = json.dumps(document.as_context(), ensure_ascii=False)
    fonts = [d for d in FONT_DIRS if Path(d).is_dir()]
    try:
        return bytes(
            typst.compile(
                str(typst_template(document)),
                font_paths=fonts,
                sys_inputs={"data": data},
                ignore_system_fonts=bool(fonts),
            )
        )
    except Exception as exc:  # typst raises its own error types with the template's messages
        raise ConversionError(f"Không lập được PDF: {exc}") from exc


def uses_libreoffice(document: Renderable) -> bool:
    """LibreOffice for a form whose DOCX template the province edited (so that the PDF shows
    the edit) or when DOCUMENT_PDF_ENGINE says so; Typst otherwise."""
    if getattr(settings, "DOCUMENT_PDF_ENGINE", "typst") == "libreoffice":
        return True
    return is_custom_docx(document.form)
