"""Writes to the ledger's results and their products (the evidence): one function per use case,
atomic and audited, like the task services in `kiemdiem.ledger.services`.

The person records their own deliveries and evidence; their manager confirms an objective
cause. Each checks who may act, then the input (ValidationError with Vietnamese messages keyed
by field, nothing written), then writes with an audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import fold, nfc
from kiemdiem.ledger import access
from kiemdiem.ledger.files import FILE_TYPES, clean_name, extension, file_errors
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.ledger.services import (
    MAX_COUNT,
    MAX_QUANTITY,
    Actor,
    date_text,
    locked_task,
    snapshot,
    today,
)
from kiemdiem.quantify import DocumentReference, parse_document_reference, validate_symbol


@transaction.atomic
def result_record(
    *,
    actor: Actor,
    task: Task,
    achieved_quantity: Decimal | None,
    completed_on: dt.date | None,
    quality: str = Result.Quality.MEETS,
    major_errors: int | None = 0,
    delays: int | None = 0,
    note: str = "",
) -> Result:
    """The person records one delivery (a task may be delivered in parts)."""
    task = locked_task(task)
    access.require_owner(actor, task.person)
    if task.status != Task.Status.APPROVED:
        raise ValidationError(_("Chỉ ghi kết quả cho nhiệm vụ đã được duyệt."))
    errors: dict[str, str] = {}
    if achieved_quantity is None:
        errors["achieved_quantity"] = _("Cần nhập số lượng đạt được.")
    elif achieved_quantity < 0:
        errors["achieved_quantity"] = _("Số lượng đạt được không được âm.")
    elif achieved_quantity > MAX_QUANTITY:
        errors["achieved_quantity"] = _("Số lượng đạt được quá lớn.")
    now = today()
    if completed_on is None:
        errors["completed_on"] = _("Cần nhập ngày hoàn thành.")
    elif completed_on < task.assigned_on:
        errors["completed_on"] = _(
            "Kết quả không thể hoàn thành trước khi nhiệm vụ được giao (ngày giao %(date)s)."
        ) % {"date": date_text(task.assigned_on)}
    elif completed_on > now:
        errors["completed_on"] = _(
            "Ngày hoàn thành (%(date)s) không thể sau ngày hôm nay (%(today)s)."
        ) % {"date": date_text(completed_on), "today": date_text(now)}
    if quality not in Result.Quality.values:
        errors["quality"] = _("Chọn mức chất lượng: vượt, đạt hoặc chưa đạt yêu cầu.")
    for field, value, label in (
        ("major_errors", major_errors, _("Số lỗi lớn về nội dung")),
        ("delays", delays, _("Số lần chậm tiến độ")),
    ):
        if value is not None and value < 0:
            errors[field] = _("%(label)s không được âm.") % {"label": label}
        elif value is not None and value > MAX_COUNT:
            errors[field] = _("%(label)s quá lớn.") % {"label": label}
    if errors:
        raise ValidationError(errors)
    result = Result.objects.create(
        task=task,
        achieved_quantity=achieved_quantity,
        completed_on=completed_on,
        quality=quality,
        major_errors=major_errors or 0,
        delays=delays or 0,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="result.record",
        obj=result,
        after=snapshot(
            result,
            ["task_id", "achieved_quantity", "completed_on", "quality", "major_errors", "delays"],
        ),
    )
    return result


@transaction.atomic
def result_confirm_objective_cause(*, actor: Actor, result: Result, reason: str) -> Result:
    """The manager confirms an objective cause: the result's errors and delays are not deducted
    (ND335-2)."""
    result = Result.objects.select_for_update().get(pk=result.pk)
    task = Task.objects.select_related("person", "organization").get(pk=result.task_id)
    access.require_manager(actor, task)
    reason = (reason or "").strip()
    if result.objective_cause:
        raise ValidationError(_("Nguyên nhân khách quan của kết quả này đã được xác nhận."))
    if not reason:
        raise ValidationError({"reason": _("Cần nêu nguyên nhân khách quan được xác nhận.")})
    result.objective_cause = True
    result.objective_cause_reason = reason
    result.objective_cause_confirmed_by = actor
    result.save(
        update_fields=["objective_cause", "objective_cause_reason", "objective_cause_confirmed_by"]
    )
    audit_record(
        actor=actor,
        action="result.confirm_objective_cause",
        obj=result,
        before={"objective_cause": False},
        after={"objective_cause": True},
        reason=reason,
    )
    return result


# --- products -------------------------------------------------------------------------------


def _result_for_owner(actor: Actor, result: Result) -> Result:
    result = Result.objects.select_related("task__person").get(pk=result.pk)
    access.require_owner(actor, result.task.person)
    if result.task.status != Task.Status.APPROVED:
        raise ValidationError(_("Chỉ thêm sản phẩm cho nhiệm vụ đã được duyệt."))
    return result


def _audit_product(actor: Actor, product: Product) -> None:
    audit_record(
        actor=actor,
        action=f"product.add_{product.kind}",
        obj=product,
        after=snapshot(
            product,
            [
                "result_id",
                "kind",
                "title",
                "doc_symbol",
                "doc_date",
                "file_name",
                "url",
                "quantity",
            ],
        ),
    )


def _symbol_part(ref: DocumentReference) -> str:
    """The reference as pasted, without its issuer name and summary (which validate_symbol
    would report as extra text)."""
    text = ref.text
    cuts = [len(text)]
    folded = fold(text)
    for tail in (f"cua {fold(ref.issuer_name)}" if ref.issuer_name else "", fold(ref.summary)):
        if tail:
            index = folded.find(tail)
            if index > 0:
                cuts.append(index)
    return text[: min(cuts)].strip(" ,;")


def document_reference_check(
    reference: str, *, on: dt.date | None = None
) -> tuple[DocumentReference | None, list[str]]:
    """Parse a pasted citation; (reference, []) when it can be kept, else (maybe, messages).

    Shared by `product_add_document` and the page's live preview.
    """
    text = nfc(reference or "")
    if not text:
        return None, [
            _(
                "Dán số, ký hiệu và ngày của văn bản, ví dụ “Quyết định số 123/QĐ-UBND "
                "ngày 15/3/2025 của UBND tỉnh về việc …”."
            )
        ]
    on = on or today()
    ref = parse_document_reference(text)
    if ref is None:
        return None, validate_symbol(text, today=on) or [
            _("Không tìm thấy số, ký hiệu văn bản trong nội dung đã dán.")
        ]
    errors = validate_symbol(_symbol_part(ref), today=on)
    if not errors and ref.issued_on is None:
        errors = [_("Thiếu ngày ban hành của văn bản (ví dụ “… ngày 15/3/2025”).")]
    return ref, errors


@transaction.atomic
def product_add_document(
    *, actor: Actor, result: Result, reference: str, title: str = ""
) -> Product:
    """A document as evidence, from a pasted citation ("Quyết định số 123/QĐ-UBND ngày
    15/3/2025 của UBND tỉnh về việc …")."""
    result = _result_for_owner(actor, result)
    ref, errors = document_reference_check(reference)
    if errors:
        raise ValidationError({"reference": errors})
    assert ref is not None
    if Product.objects.filter(
        result=result, kind=Product.Kind.DOCUMENT, doc_symbol=ref.symbol, doc_date=ref.issued_on
    ).exists():
        raise ValidationError(
            {
                "reference": _("Văn bản %(symbol)s đã có trong sản phẩm của kết quả này.")
                % {"symbol": ref.symbol}
            }
        )
    product = Product.objects.create(
        result=result,
        kind=Product.Kind.DOCUMENT,
        title=nfc(title or "") or ref.describe(),
        doc_kind=ref.kind_code,
        doc_kind_name=ref.kind_name,
        doc_number=ref.number,
        doc_symbol=ref.symbol,
        doc_date=ref.issued_on,
        doc_issuer=issuer_full(ref.issuer_name, ref.issuer),
        summary=ref.summary,
        created_by=actor,
    )
    _audit_product(actor, product)
    return product


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def product_add_file(
    *, actor: Actor, result: Result, upload: UploadedFile | None, title: str = ""
) -> Product:
    """An attached file, checked by extension and content, stored through the default storage
    (outside the web root) under a random name; served only by the download view."""
    result = _result_for_owner(actor, result)
    if upload is None:
        raise ValidationError({"file": _("Chọn một tệp để tải lên.")})
    name = clean_name(upload.name or "")
    errors = file_errors(
        name=name, size=upload.size or 0, stream=upload, max_bytes=settings.MAX_UPLOAD_BYTES
    )
    if errors:
        raise ValidationError({"file": errors})
    product = Product(
        result=result,
        kind=Product.Kind.FILE,
        title=nfc(title or "") or name,
        file_name=name,
        file_size=upload.size,
        content_type=FILE_TYPES[extension(name)].content_type,
        sha256=_digest(upload),
        created_by=actor,
    )
    product.file.save(name, upload, save=False)
    stored = product.file.name
    try:
        product.save()
        _audit_product(actor, product)
    except Exception:
        product.file.storage.delete(stored)
        raise
    return product


@transaction.atomic
def product_add_link(*, actor: Actor, result: Result, url: str, title: str = "") -> Product:
    result = _result_for_owner(actor, result)
    url = (url or "").strip()
    errors: dict[str, str] = {}
    if not url:
        errors["url"] = _("Nhập đường dẫn (bắt đầu bằng http:// hoặc https://).")
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _(
                "Đường dẫn “%(url)s” không hợp lệ (cần bắt đầu bằng http:// hoặc https://)."
            ) % {"url": url}
        else:
            if len(url) > 1000:
                errors["url"] = _("Đường dẫn quá dài (tối đa 1000 ký tự).")
    if errors:
        raise ValidationError(errors)
    product = Product.objects.create(
        result=result,
        kind=Product.Kind.LINK,
        title=nfc(title or "") or url,
        url=url,
        created_by=actor,
    )
    _audit_product(actor, product)
    return product


@transaction.atomic
def product_add_count(
    *, actor: Actor, result: Result, quantity: Decimal | None, title: str
) -> Product:
    """A counted product ("15 hồ sơ thẩm định"): evidence only; the result's achieved quantity
    is what the scores read."""
    result = _result_for_owner(actor, result)
    title = nfc(title or "")
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Nêu tên sản phẩm được đếm (ví dụ: hồ sơ thẩm định).")
    if quantity is None:
        errors["quantity"] = _("Cần nhập số lượng sản phẩm.")
    elif quantity <= 0:
        errors["quantity"] = _("Số lượng sản phẩm phải lớn hơn 0.")
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = _("Số lượng sản phẩm quá lớn.")
    if errors:
        raise ValidationError(errors)
    product = Product.objects.create(
        result=result, kind=Product.Kind.COUNT, title=title, quantity=quantity, created_by=actor
    )
    _audit_product(actor, product)
    return product


#: Issuers as the symbol abbreviates them ("123/QĐ-SNV") → their names in full, for people.
ISSUER_NAMES = {
    "SNV": "Sở Nội vụ",
    "STC": "Sở Tài chính",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SYT": "Sở Y tế",
    "STP": "Sở Tư pháp",
    "SXD": "Sở Xây dựng",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "TU": "Tỉnh ủy",
    "BTCTU": "Ban Tổ chức Tỉnh ủy",
    "VP": "Văn phòng",
    "BTCTW": "Ban Tổ chức Trung ương",
    "TW": "Ban Chấp hành Trung ương",
    "CP": "Chính phủ",
}


def issuer_full(name: str, abbreviation: str) -> str:
    """The issuer in full: the name the text gives, else the known expansion of the symbol's
    abbreviation, else the abbreviation itself."""
    return name or ISSUER_NAMES.get(abbreviation, abbreviation)
