"""Evidence files: which types are accepted, checked by extension and by content.

A renamed executable must not pass as a PDF: the extension chooses the expected signature
(magic bytes), and the Office/OpenDocument containers are opened to look for the part that
makes them a document, not any ZIP archive.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from kiemdiem.core.uploads import archive_errors, pdf_is_sound

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    magic: tuple[bytes, ...]
    zip_member: str = ""
    odf_mimetype: str = ""


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf", (b"%PDF-",)),
    "doc": FileType("Word (.doc)", "application/msword", (OLE2,)),
    "xls": FileType("Excel (.xls)", "application/vnd.ms-excel", (OLE2,)),
    "docx": FileType(
        "Word (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        zip_member="word/document.xml",
    ),
    "xlsx": FileType(
        "Excel (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
        zip_member="xl/workbook.xml",
    ),
    "odt": FileType(
        "OpenDocument (.odt)",
        "application/vnd.oasis.opendocument.text",
        (ZIP,),
        odf_mimetype="application/vnd.oasis.opendocument.text",
    ),
    "ods": FileType(
        "OpenDocument (.ods)",
        "application/vnd.oasis.opendocument.spreadsheet",
        (ZIP,),
        odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
    ),
    "jpg": FileType("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": FileType("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
}

ACCEPT = ",".join(f".{ext}" for ext in FILE_TYPES)


def clean_name(name: str) -> str:
    """The base name only, whichever separator the browser sent."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    return base.strip().replace("\x00", "")[:255]


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte"


def _content_matches(kind: FileType, stream: IO[bytes]) -> bool:
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if not any(head.startswith(magic) for magic in kind.magic):
        return False
    if kind.magic == (b"%PDF-",):
        return pdf_is_sound(stream)
    if not (kind.zip_member or kind.odf_mimetype):
        return True
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if kind.zip_member:
                return kind.zip_member in names
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == (
                kind.odf_mimetype
            )
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    finally:
        stream.seek(0)


def file_errors(*, name: str, size: int, stream: IO[bytes], max_bytes: int) -> list[str]:
    """Vietnamese messages for an upload that may not be kept; [] when it may."""
    shown = clean_name(name) or "?"
    kind = FILE_TYPES.get(extension(shown))
    if kind is None:
        return [
            f"Tệp “{shown}” không thuộc loại được nhận: chỉ nhận PDF, Word (doc, docx), "
            "Excel (xls, xlsx), OpenDocument (odt, ods) và ảnh (jpg, jpeg, png)."
        ]
    if size <= 0:
        return [f"Tệp “{shown}” rỗng."]
    if size > max_bytes:
        return [
            f"Tệp “{shown}” dung lượng {human_size(size)}, vượt quá giới hạn "
            f"{human_size(max_bytes)}."
        ]
    if not _content_matches(kind, stream):
        return [
            f"Nội dung tệp “{shown}” không phải là {kind.label} "
            "(phần mở rộng không khớp với nội dung tệp)."
        ]
    if kind.magic == (ZIP,):
        return archive_errors(stream, shown)
    return []
