"""PDF forms: DOCX rendering (docxtpl) and LibreOffice conversion, one process per file vs
batches vs two batches in parallel.

    .venv/bin/python bench/bench_documents.py [--forms 1000] [--single 10] [--workers 2]

Needs no database: the forms are built from the context dataclasses (a 2B party self-review
with ten sections, the 100-point criteria table and five results with their products), the
same templates the export uses. Prints the machine's load beside the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from kiemdiem.documents.context import (  # noqa: E402
    CriterionRow,
    Heading,
    Person,
    ResultLine,
    Section,
    SelfReviewDoc,
)
from kiemdiem.documents.pdf import convert_many, typst_pdf  # noqa: E402
from kiemdiem.documents.render import render_docx  # noqa: E402

PARAGRAPH = (
    "Chủ trì thẩm định 48 hồ sơ, ban hành 12 văn bản; 100% hồ sơ đúng hạn; tham mưu Quyết định "
    "số 123/QĐ-UBND ngày 15/3/2026 của Ủy ban nhân dân tỉnh về kiện toàn tổ chức bộ máy."
)


def form(i: int) -> SelfReviewDoc:
    return SelfReviewDoc(
        form="hd43-mau2b",
        form_code="Mẫu 2B-HD KĐ.ĐG 2025",
        title="Bản kiểm điểm cá nhân",
        subtitle="Năm 2026",
        heading=Heading(
            True, "Đảng bộ Sở Nội vụ", f"Chi bộ Phòng {i}", "Sông Hậu", dt.date.today()
        ),
        subject=Person(f"Nguyễn Thị Ánh {i}", (("Chức vụ", "Chuyên viên"), ("Chi bộ", "Chi bộ 1"))),
        sections=[Section(f"{n}. Nội dung {n}", "\n".join([PARAGRAPH] * 3)) for n in range(1, 11)],
        criteria=[
            CriterionRow(
                f"1.{n}", "Phẩm chất chính trị, tư tưởng; đạo đức, lối sống", Decimal(4), "3,5"
            )
            for n in range(1, 21)
        ],
        total=Decimal("86.5"),
        results=[
            ResultLine(
                "Thẩm định hồ sơ",
                "10 hồ sơ",
                "12 hồ sơ",
                dt.date(2026, 6, 30),
                dt.date(2026, 6, 1),
                "Đạt yêu cầu",
                ("Báo cáo số 45/BC-SNV", "Tờ trình số 7/TTr-SNV"),
            )
            for _ in range(5)
        ],
        self_level="Hoàn thành tốt nhiệm vụ",
    )


def typst_forms(root: Path, forms: int, start: int, step: int) -> None:
    for i in range(start, forms, step):
        (root / f"t{i:05d}.pdf").write_bytes(typst_pdf(form(i)))


def typst_floor(root: Path, runs: int = 50) -> None:
    """The least a Typst PDF costs: one A4 page with one line of text, same fonts, same call
    (what every form pays whatever its content: the compiler's set-up and the font loading)."""
    import typst

    from kiemdiem.documents.pdf import FONT_DIRS

    source = root / "floor.typ"
    source.write_text('#set page(paper: "a4")\n#set text(font: "Liberation Serif")\nĐảng viên\n')
    fonts = [d for d in FONT_DIRS if Path(d).is_dir()]

    def run() -> None:
        for _ in range(runs):
            typst.compile(str(source), font_paths=fonts, ignore_system_fonts=bool(fonts))

    started = cpu()
    _, seconds = timed(f"typst floor: a one-line page, {runs} runs", run)
    print(f"  {1000 * (cpu() - started) / runs:.1f} ms CPU per page", flush=True)


def typst_mode(forms: int, workers: int, root: Path) -> None:
    """PDF straight from the data: one process, then `workers` processes on interleaved halves
    (the time includes building each form's context, as the export does)."""
    typst_floor(root)
    started = cpu()
    _, seconds = timed(f"typst, 1 process, {forms} forms", lambda: typst_forms(root, forms, 0, 1))
    print(
        f"  {1000 * seconds / forms:.0f} ms wall, {1000 * (cpu() - started) / forms:.1f} ms CPU per form",
        flush=True,
    )

    def parallel() -> None:
        # spawn, not fork: a forked copy of Typst's runtime threads deadlocks.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            jobs = [pool.submit(typst_forms, root, forms, w, workers) for w in range(workers)]
            for job in jobs:
                job.result()

    _, seconds = timed(f"typst, {workers} processes, {forms} forms", parallel)
    print(f"  {1000 * seconds / forms:.0f} ms per form", flush=True)

    def threads() -> None:
        # What the bulk export does (exports._Writer): Typst releases the GIL while compiling.
        with ThreadPoolExecutor(workers) as pool:
            jobs = [
                pool.submit(lambda i=i: (root / f"t{i:05d}.pdf").write_bytes(typst_pdf(form(i))))
                for i in range(forms)
            ]
            for job in jobs:
                job.result()

    started = cpu()
    _, seconds = timed(f"typst, {workers} threads (the export), {forms} forms", threads)
    print(
        f"  {1000 * seconds / forms:.0f} ms wall, {1000 * (cpu() - started) / forms:.1f} ms CPU per form",
        flush=True,
    )
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(root / "t00000.pdf")], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    print(f"  {pages} A4 pages per form", flush=True)


def cpu() -> float:
    """CPU seconds of this process and of its finished children (LibreOffice, workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Wall time, and CPU time: on a shared machine the CPU time is what the work costs."""
    started, cpu_started = time.perf_counter(), cpu()
    result = fn()
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    print(f"{label}: {seconds:.2f} s wall, {cpu_seconds:.2f} s CPU", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--single", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--modes", default="typst,libreoffice", help="typst, libreoffice (comma-separated)"
    )
    args = parser.parse_args()
    modes = set(args.modes.split(","))
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "typst" in modes:
            typst_mode(args.forms, args.workers, root)
        if "libreoffice" not in modes:
            return

        def render() -> list[Path]:
            paths = []
            for i in range(args.forms):
                path = root / f"f{i:05d}.docx"
                path.write_bytes(render_docx(form(i)))
                paths.append(path)
            return paths

        paths, render_s = timed(f"render {args.forms} DOCX", render)
        print(f"  {1000 * render_s / args.forms:.1f} ms per form")

        _, floor = timed(
            "floor: one soffice start + 1 form", lambda: convert_many(paths[:1], root / "floor")
        )
        _, single = timed(
            f"one soffice per form, {args.single} forms",
            lambda: [convert_many([p], root / "single") for p in paths[: args.single]],
        )
        print(f"  {single / args.single:.2f} s per form")
        _, batch = timed(
            f"batched, 1 process, {args.forms} forms",
            lambda: convert_many(paths, root / "b1", workers=1),
        )
        print(f"  {1000 * batch / args.forms:.0f} ms per form")

        def parallel() -> None:
            convert_many(paths, root / "bp", workers=args.workers)

        _, par = timed(
            f"batched, {args.workers} processes in parallel, {args.forms} forms", parallel
        )
        print(f"  {1000 * par / args.forms:.0f} ms per form")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
