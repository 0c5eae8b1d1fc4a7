"""PDF by LibreOffice in one batch: Vietnamese text intact (NFC), typed markup literal, the
font embedded, a page that is not blank."""

from __future__ import annotations

import subprocess
import unicodedata

from kiemdiem.documents import adapters
from kiemdiem.documents.pdf import convert_many
from kiemdiem.documents.render import render_docx
from kiemdiem.reviews.models import Evaluation
from tests.documents.support import requires_poppler, requires_soffice, with_reviews
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers
pytestmark = requires_poppler


def pdftotext(path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return run.stdout.decode()


@requires_soffice
def test_forms_convert_in_one_batch_with_text_intact(cast, tmp_path):
    setup = with_reviews(cast)
    rows = adapters.load_evaluations(Evaluation.objects.filter(cycle=setup.cycle))
    ledger = adapters.ledger_for(rows)
    sources = []
    for evaluation in rows:
        path = tmp_path / f"{evaluation.code}.docx"
        path.write_bytes(render_docx(adapters.self_review_doc(evaluation, ledger)))
        sources.append(path)
    pdfs = convert_many(sources, tmp_path / "pdf")
    assert [p.stem for p in pdfs] == [e.code for e in rows]

    party = pdftotext(tmp_path / "pdf" / "P-ANH.pdf")
    flat = " ".join(party.split())
    assert flat == unicodedata.normalize("NFC", flat)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BẢN KIỂM ĐIỂM CÁ NHÂN",
        "Nguyễn Thị Ánh",
        "Hoàn thành tốt nhiệm vụ",
        "{{ 7*7 }}",
        "<w:p>",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x","y")',
    ):
        assert expected in flat
    state = " ".join(pdftotext(tmp_path / "pdf" / "S-ANH.pdf").split())
    assert "Độc lập - Tự do - Hạnh phúc" in state
    assert "45/BC-SNV" in state

    assert_embedded_font_and_ink(tmp_path / "pdf" / "P-ANH.pdf", pdfs[0], tmp_path)


def assert_embedded_font_and_ink(fonts_of, page_of, tmp_path) -> None:
    """Every font of `fonts_of` embedded (Liberation Serif among them), and the first page of
    `page_of` rendered to PNG with ink on it."""
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(fonts_of)],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "LiberationSerif" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())
    subprocess.run(  # noqa: S603
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            str(page_of),
            str(tmp_path / "p"),
        ],  # noqa: S607
        check=True,
    )
    [png] = list(tmp_path.glob("p*.png"))
    assert not_blank(png.read_bytes())


def not_blank(png: bytes) -> bool:
    """A page with ink: a grey PNG decoded (zlib and the five row filters, no imaging library)
    with some dark pixels, but not mostly dark."""
    import struct
    import zlib

    width, height = struct.unpack(">II", png[16:24])
    assert png[24] == 8 and png[25] in (0, 2)  # 8-bit grey or RGB, as pdftoppm writes it
    bpp = 3 if png[25] == 2 else 1
    width *= bpp  # bytes per row
    pos, idat = 8, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        if png[pos + 4 : pos + 8] == b"IDAT":
            idat += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw, prev, pixels = zlib.decompress(idat), bytearray(width), bytearray()
    for y in range(height):
        kind, row = (
            raw[y * (width + 1)],
            bytearray(raw[y * (width + 1) + 1 : (y + 1) * (width + 1)]),
        )
        for x in range(width):
            left, up = row[x - bpp] if x >= bpp else 0, prev[x]
            upleft = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                row[x] = (row[x] + left) & 255
            elif kind == 2:
                row[x] = (row[x] + up) & 255
            elif kind == 3:
                row[x] = (row[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                row[x] = (row[x] + pred) & 255
        pixels += row
        prev = row
    dark = sum(1 for v in pixels if v < 128)
    return 0 < dark < len(pixels) * 0.5


def test_typst_pdfs_keep_typed_text_literal_with_the_font_embedded(cast, tmp_path):
    from kiemdiem.documents import builders, listing
    from kiemdiem.documents.pdf import typst_pdf

    setup = with_reviews(cast)
    rows = adapters.load_evaluations(Evaluation.objects.filter(cycle=setup.cycle))
    ledger = adapters.ledger_for(rows)
    docs = {e.code: adapters.self_review_doc(e, ledger) for e in rows}
    minutes = builders.meeting_minutes(
        builders.Minutes(
            heading=docs["P-ANH"].heading,
            held_on=None,
            place="",
            chair="A",
            secretary="B",
            present=1,
            expected=1,
            items=[builders.MinutesItem("Nguyễn Thị Ánh", "HTTNV", '#eval("1+1") $x$ *đậm*\nhai')],
        )
    )
    notice = listing.notice_doc(setup.cycle, cast.division, [listing.rated(rows[0], "HTTNV")])
    for name, document in {
        "party": docs["P-ANH"],
        "state": docs["S-ANH"],
        "minutes": minutes,
        "notice": notice,
    }.items():
        (tmp_path / f"{name}.pdf").write_bytes(typst_pdf(document))
    party = " ".join(pdftotext(tmp_path / "party.pdf").split())
    assert party == unicodedata.normalize("NFC", party)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BẢN KIỂM ĐIỂM CÁ NHÂN",
        "Nguyễn Thị Ánh",
        "{{ 7*7 }}",
        "<w:p>",
        "{% raw %}",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x","y")',
    ):
        assert expected in party
    state = " ".join(pdftotext(tmp_path / "state.pdf").split())
    assert "Độc lập - Tự do - Hạnh phúc" in state and "Tổng điểm tự chấm: 96,63" in state
    assert "45/BC-SNV" in state
    text = " ".join(pdftotext(tmp_path / "minutes.pdf").split())
    assert '#eval("1+1") $x$ *đậm*' in text and "2 $x$" not in text
    assert "THÔNG BÁO" in " ".join(pdftotext(tmp_path / "notice.pdf").split())
    assert_embedded_font_and_ink(tmp_path / "party.pdf", tmp_path / "party.pdf", tmp_path)
