"""DOCX → PDF with LibreOffice headless, in batches.

LibreOffice takes seconds to start and a fraction of that per document, so many files go through
one `soffice --convert-to pdf` run (README "Benchmarks"). Each run gets its own user profile
directory: two runs sharing a profile would block on its lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

BATCH = 200  # files per soffice run: amortizes the start, bounds the command line


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
) -> list[Path]:
    """PDFs of `sources` (DOCX files with distinct names) written to `outdir`, in order;
    `on_batch(done)` after each LibreOffice run."""
    outdir.mkdir(parents=True, exist_ok=True)
    binary = soffice()
    for start in range(0, len(sources), BATCH):
        batch = sources[start : start + BATCH]
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
        if on_batch is not None:
            on_batch(start + len(batch))
    return [outdir / f"{s.stem}.pdf" for s in sources]


def convert_bytes(docx: bytes, name: str = "tai-lieu") -> bytes:
    """One document's PDF (a single download; exports use `convert_many`)."""
    with tempfile.TemporaryDirectory(prefix="kd-pdf-") as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        [pdf] = convert_many([source], Path(tmp) / "out")
        return pdf.read_bytes()
