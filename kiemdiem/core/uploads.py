"""Upload checks shared by every app that keeps a file: the request size before the body is
read, ZIP containers (OOXML, OpenDocument) by what they expand to, PDFs by parsing them.

Each check returns Vietnamese messages ([] when the file may be kept); nothing is stored by
this module.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# HTML that a browser could sniff in the first bytes of a "PDF" (a PDF/HTML polyglot).
_MARKUP = (b"<html", b"<script", b"<!doctype", b"<body", b"<svg", b"<iframe")
_CHUNK = 64 * 1024


def archive_errors(stream: IO[bytes], shown: str) -> list[str]:
    """A ZIP container with too many members, or that expands beyond the limit, is refused.

    The sizes are counted while decompressing (capped), not read from the headers, which a
    crafted archive can fake."""
    limit = settings.MAX_ARCHIVE_UNCOMPRESSED_BYTES
    too_big = _("Tệp “%(name)s” khi giải nén vượt quá %(limit)s MB: không nhận.") % {
        "name": shown,
        "limit": limit // (1024 * 1024),
    }
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > settings.MAX_ARCHIVE_MEMBERS:
                return [
                    _("Tệp “%(name)s” chứa %(count)s thành phần, vượt quá %(limit)s.")
                    % {"name": shown, "count": len(members), "limit": settings.MAX_ARCHIVE_MEMBERS}
                ]
            if sum(member.file_size for member in members) > limit:
                return [too_big]
            total = 0
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            return [too_big]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError, EOFError):
        return [_("Tệp “%(name)s” bị hỏng hoặc không đọc được.") % {"name": shown}]
    except RuntimeError:  # an encrypted member
        return [_("Tệp “%(name)s” có mật khẩu bảo vệ: không nhận.") % {"name": shown}]
    finally:
        stream.seek(0)
    return []


def pdf_is_sound(stream: IO[bytes]) -> bool:
    """True when `stream` parses as a PDF with at least one page and carries no markup a
    browser would sniff as HTML."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        stream.seek(0)
        head = stream.read(1024).lower()
        if any(marker in head for marker in _MARKUP):
            return False
        stream.seek(0)
        reader = PdfReader(stream, strict=True)
        return len(reader.pages) >= 1
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return False
    finally:
        stream.seek(0)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES from its Content-Length, before anything
    reads it (the reverse proxy should refuse it even earlier: client_max_body_size)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("Dữ liệu gửi lên (%(size)s MB) vượt quá giới hạn %(limit)s MB.") % {
                "size": length // (1024 * 1024),
                "limit": settings.MAX_REQUEST_BYTES // (1024 * 1024),
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
