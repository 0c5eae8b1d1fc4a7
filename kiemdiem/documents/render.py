"""DOCX from a template and a context (docxtpl), with autoescaping on.

Templates are looked up in `settings.DOCUMENT_TEMPLATES_DIR` (a province's edited copies) first,
then in the built-in `kiemdiem/documents/forms/`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from docxtpl import DocxTemplate

from kiemdiem.documents.blueprint import FORMS


class Renderable(Protocol):
    form: str

    def as_context(self) -> dict[str, Any]: ...


def template_path(form: str) -> Path:
    if "/" in form or "\\" in form or form.startswith("."):
        raise ValueError(f"invalid form name: {form!r}")
    custom = getattr(settings, "DOCUMENT_TEMPLATES_DIR", "")
    if custom and (Path(custom) / f"{form}.docx").is_file():
        return Path(custom) / f"{form}.docx"
    return FORMS / f"{form}.docx"


def is_custom_docx(form: str) -> bool:
    return template_path(form).parent != FORMS


def render_docx(document: Renderable) -> bytes:
    """The filled DOCX. Autoescaping makes every value XML text; values are never templates."""
    template = DocxTemplate(str(template_path(document.form)))
    template.render(document.as_context(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
