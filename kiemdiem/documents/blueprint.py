"""Writes the DOCX templates in `kiemdiem/documents/forms/` (run: `python -m
kiemdiem.documents.blueprint`).

The files it writes are the templates: a province opens one in Word or LibreOffice, edits the
wording or the layout around the `{{ … }}` tags, and saves it under the same name into
`DOCUMENT_TEMPLATES_DIR`, which takes precedence over the built-in copy; no code changes. This
script only recreates the built-in copies.

Layout per Decree 30/2020/NĐ-CP Annex I and HD 36-HD/VPTW: A4, margins top/bottom 20 mm, left
30 mm, right 15 mm, Times New Roman 13–14 pt (LibreOffice renders it with Liberation Serif, the
metric-compatible free font, which the PDF then embeds).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FORMS = Path(__file__).resolve().parent / "forms"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    for attr in ("w:eastAsia", "w:cs", "w:hAnsi"):
        style.element.rPr.rFonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(3)
    return doc


def _para(cell_or_doc, text: str = "", *, bold=False, italic=False, align=None, size=None):
    paragraph = cell_or_doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def _heading(doc) -> None:
    """The two-column heading block; party or state chosen by the data (`heading.party`)."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    _grid(table, [70, 95])
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    _para(left, "{{ heading.issuer_parent }}", align=CENTER, size=13)
    _para(left, "{{ heading.issuer }}", bold=True, align=CENTER, size=13)
    _para(left, "*", align=CENTER, size=13)
    _para(left, "{%p if heading.number %}", align=CENTER)
    _para(left, "Số: {{ heading.number }}", align=CENTER, size=13)
    _para(left, "{%p endif %}", align=CENTER)
    right.paragraphs[0].text = ""
    _para(right, "{%p if heading.party %}", align=CENTER)
    title = _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, align=CENTER, size=14)
    title.runs[0].underline = True
    _para(right, "{%p else %}", align=CENTER)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=CENTER, size=12)
    motto = _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER, size=13)
    motto.runs[0].underline = True
    _para(right, "{%p endif %}", align=CENTER)
    _para(right, "{{ heading.place_date }}", italic=True, align=CENTER, size=13)


def _title(doc) -> None:
    _para(doc, "{{ title }}", bold=True, align=CENTER)
    _para(doc, "{%p if subtitle %}", align=CENTER)
    _para(doc, "{{ subtitle }}", bold=True, align=CENTER)
    _para(doc, "{%p endif %}", align=CENTER)


def _form_code(doc) -> None:
    _para(doc, "{{ form_code }}", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)


def _sections(doc, name: str) -> None:
    _para(doc, f"{{%p for s in {name} %}}")
    _para(doc, "{{ s.label }}", bold=True)
    _para(doc, "{%p for line in s.paragraphs %}")
    para = _para(doc, "{{ line }}")
    para.paragraph_format.first_line_indent = Mm(10)
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")


def _grid(table, widths: list[int]) -> None:
    """Column widths where LibreOffice reads them (the table grid), not only on the cells."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))


def _table(doc, headers: list[str], loop: str, cells: list[str], widths: list[int]) -> None:
    """A grid with a header row and one looped row (docxtpl `{%tr %}` rows around it)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = CENTER
    table.rows[1].cells[0].paragraphs[0].text = f"{{%tr for {loop} %}}"
    for i, text in enumerate(cells):
        cell = table.rows[2].cells[i]
        lines = text.split("\n")
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    _grid(table, widths)
    for row in table.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = Mm(width)
            for p in row.cells[i].paragraphs:
                for run in p.runs:
                    run.font.size = Pt(12)


def _signatures(doc) -> None:
    """Signature blocks side by side: docxtpl repeats the middle cell once per signature."""
    _para(doc)
    table = doc.add_table(rows=1, cols=3)
    _grid(table, [5, 80, 5])
    first, cell, last = table.rows[0].cells
    first.paragraphs[0].text = "{%tc for sig in signatures %}"
    last.paragraphs[0].text = "{%tc endfor %}"
    cell.width = Mm(80)
    cell.paragraphs[0].text = ""
    _para(cell, "{{ sig.title }}", bold=True, align=CENTER)
    _para(cell, "{{ sig.note or '(Ký, ghi rõ họ tên)' }}", italic=True, align=CENTER, size=12)
    for _ in range(3):
        _para(cell)
    _para(cell, "{{ sig.name }}", bold=True, align=CENTER)


@dataclass(frozen=True)
class SelfReviewForm:
    name: str
    points: bool  # a 100-point sheet (QĐ 366, NĐ 335) or criterion grades (QĐ 124, NĐ 90)


SELF_REVIEW_FORMS = [
    SelfReviewForm("hd43-mau01", True),
    SelfReviewForm("hd43-mau2a", True),
    SelfReviewForm("hd43-mau2b", True),
    SelfReviewForm("hd43-mau2c", True),
    SelfReviewForm("hd25-mau01", False),
    SelfReviewForm("hd25-mau02a", False),
    SelfReviewForm("hd25-mau02b", False),
    SelfReviewForm("nd90-mau01", False),
    SelfReviewForm("nd90-mau02", False),
    SelfReviewForm("nd90-mau03", False),
    SelfReviewForm("nd335-phieu", True),
]


def self_review(form: SelfReviewForm) -> Document:
    doc = _document()
    _form_code(doc)
    _heading(doc)
    _title(doc)
    _para(doc, "Họ và tên / Tên tập thể: {{ subject_name }}", bold=True)
    _para(doc, "{%p for line in subject_lines %}")
    _para(doc, "{{ line.label }}: {{ line.value }}")
    _para(doc, "{%p endfor %}")
    _sections(doc, "sections")
    _para(doc, "{%p if has_results %}")
    _para(doc, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ VÀ SẢN PHẨM CỤ THỂ", bold=True)
    _table(
        doc,
        ["TT", "Nhiệm vụ", "Chỉ tiêu", "Kết quả, sản phẩm", "Hạn / hoàn thành", "Chất lượng"],
        "r in results",
        [
            "{{ r.no }}",
            "{{ r.task }}",
            "{{ r.target }}",
            "{{ r.achieved }}\n{%p for p in r.products %}\n- {{ p }}\n{%p endfor %}",
            "{{ r.deadline }}\n{{ r.completed }}",
            "{{ r.quality }}",
        ],
        [10, 40, 22, 50, 23, 20],
    )
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if has_criteria %}")
    _para(doc, "TỰ ĐÁNH GIÁ THEO TIÊU CHÍ", bold=True)
    headers = ["Mã", "Tiêu chí", "Điểm tối đa", "Tự chấm"] if form.points else None
    _table(
        doc,
        headers or ["Mã", "Tiêu chí", "Mức tối đa", "Tự xếp mức"],
        "c in criteria",
        ["{{ c.code }}", "{{ c.label }}", "{{ c.max }}", "{{ c.value }}"],
        [14, 106, 23, 22],
    )
    _para(doc, "{%p if total %}")
    _para(doc, "Tổng điểm tự chấm: {{ total }}", bold=True)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endif %}")
    _para(doc, "Tự xếp loại chất lượng: {{ self_level }}", bold=True)
    _signatures(doc)
    return doc


@dataclass(frozen=True)
class ListForm:
    name: str
    widths: tuple[int, ...]


LIST_FORMS = [
    ListForm("thong-bao-ket-qua", (12, 58, 50, 45)),
    ListForm("bien-ban-hop", (12, 55, 48, 55)),
    ListForm("hd43-mau03", (12, 60, 50, 48)),
    ListForm("hd43-mau04", (12, 110, 48)),
    ListForm("hd43-mau05", (12, 60, 50, 48)),
]


def list_document(form: ListForm) -> Document:
    doc = _document()
    _form_code(doc)
    _heading(doc)
    _title(doc)
    _sections(doc, "intro")
    _para(doc, "{%p if has_rows %}")
    width = len(form.widths)
    _table(
        doc,
        [f"{{{{ columns[{i}] }}}}" for i in range(width)],
        "row in rows",
        [f"{{{{ row[{i}] }}}}" for i in range(width)],
        list(form.widths),
    )
    _para(doc, "{%p endif %}")
    _sections(doc, "outro")
    _signatures(doc)
    return doc


def build(target: Path = FORMS) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for form in SELF_REVIEW_FORMS:
        path = target / f"{form.name}.docx"
        self_review(form).save(str(path))
        written.append(path)
    for lform in LIST_FORMS:
        path = target / f"{lform.name}.docx"
        list_document(lform).save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else FORMS):
        print(path)
