"""Uploads (issue 13): the body size before it is read, ZIP bombs, PDF polyglots; nothing kept."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kiemdiem.core.uploads import archive_errors, pdf_is_sound
from kiemdiem.ledger.models import Product
from tests.ledger.test_services import PDF


def docx_bytes(extra: dict[str, bytes] | None = None, *, members: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        for index in range(members):
            archive.writestr(f"word/media/p{index}.xml", "x")
    return out.getvalue()


def test_a_zip_bomb_named_docx_is_refused(settings):
    settings.MAX_ARCHIVE_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    bomb = docx_bytes({"word/bomb.bin": b"\0" * (12 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    errors = archive_errors(io.BytesIO(bomb), "bao-cao.docx")
    assert errors == ["Tệp “bao-cao.docx” khi giải nén vượt quá 10 MB: không nhận."]


def test_a_docx_with_too_many_members_is_refused(settings):
    settings.MAX_ARCHIVE_MEMBERS = 50
    errors = archive_errors(io.BytesIO(docx_bytes(members=60)), "nhieu.docx")
    assert errors == ["Tệp “nhieu.docx” chứa 62 thành phần, vượt quá 50."]


def test_an_ordinary_docx_passes():
    assert archive_errors(io.BytesIO(docx_bytes()), "a.docx") == []


def test_a_pdf_html_polyglot_is_refused_and_a_real_pdf_passes():
    polyglot = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    assert not pdf_is_sound(io.BytesIO(polyglot))
    assert not pdf_is_sound(io.BytesIO(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))
    assert pdf_is_sound(io.BytesIO(PDF))


def test_the_service_refuses_a_bomb_and_a_polyglot_and_stores_nothing(cast, settings, tmp_path):
    from kiemdiem.ledger import results
    from tests.ledger.test_services import assign, record

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.MAX_ARCHIVE_UNCOMPRESSED_BYTES = 1024 * 1024
    result = record(cast, assign(cast))
    bomb = docx_bytes({"word/bomb.bin": b"\0" * (2 * 1024 * 1024)})
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>"
    for name, data in [("bom.docx", bomb), ("trang.pdf", polyglot)]:
        with pytest.raises(ValidationError):
            results.product_add_file(
                actor=cast.staff, result=result, upload=SimpleUploadedFile(name, data)
            )
    assert Product.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, cast, settings):
    settings.MAX_REQUEST_BYTES = 1024
    client.force_login(cast.staff)

    response = client.generic(
        "POST",
        "/so-nhiem-vu/",
        data=b"",
        content_type="application/octet-stream",
        CONTENT_LENGTH="60000000",
    )
    assert response.status_code == 413
    assert "vượt quá giới hạn" in response.content.decode()
