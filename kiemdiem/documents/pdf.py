"""DOCX → PDF with LibreOffice headless, in batches.

LibreOffice takes seconds to start and a fraction of that per document, so many files go through
one `soffice --convert-to pdf` run (README "Benchmarks"). Each run gets its own user profile
directory: two runs sharing a profile would block on its lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BATCH = 100  # files per soffice run: amortizes the start, bounds the command line


class ConversionError(RuntimeError):
    pass


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
