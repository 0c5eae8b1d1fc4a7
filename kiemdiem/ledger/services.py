"""Writes to the ledger: one function per use case, atomic and audited.

Each checks who may act (`kiemdiem.ledger.access`, raising PermissionDenied), then the input
(raising ValidationError with Vietnamese messages keyed by field, having written nothing), then
writes inside one transaction with an audit row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import fold, nfc
from kiemdiem.ledger import access
from kiemdiem.ledger.files import FILE_TYPES, clean_name, extension, file_errors
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Organization, Person, Position
from kiemdiem.orgs.selectors import highest_position
from kiemdiem.quantify import DocumentReference, parse_document_reference, validate_symbol

Actor = AbstractBaseUser | AnonymousUser | None

MAX_QUANTITY = Decimal("9999999999.99")
MAX_WEIGHT = Decimal("9999.99")
MAX_COUNT = 1000

TASK_FIELDS = [
    "title",
    "description",
    "target_quantity",
    "unit",
    "assigned_on",
    "deadline",
    "quality_requirement",
    "weight",
]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def _date(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def _today() -> dt.date:
    return timezone.localdate()


# --- tasks ----------------------------------------------------------------------------------


def _task_errors(
    *,
    title: str,
    target_quantity: Decimal | None,
    unit: str,
    assigned_on: dt.date | None,
    deadline: dt.date | None,
    weight: Decimal | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Tên nhiệm vụ không được để trống."
    if target_quantity is None:
        errors["target_quantity"] = "Cần nhập số lượng sản phẩm yêu cầu."
    elif target_quantity <= 0:
        errors["target_quantity"] = "Số lượng yêu cầu phải lớn hơn 0."
    elif target_quantity > MAX_QUANTITY:
        errors["target_quantity"] = "Số lượng yêu cầu quá lớn."
    if not unit:
        errors["unit"] = "Đơn vị tính không được để trống (ví dụ: văn bản, hồ sơ, báo cáo)."
    if assigned_on is None:
        errors["assigned_on"] = "Cần nhập ngày giao nhiệm vụ."
    if deadline is None:
        errors["deadline"] = "Cần nhập thời hạn hoàn thành."
    elif assigned_on is not None and deadline < assigned_on:
        errors["deadline"] = (
            f"Thời hạn ({_date(deadline)}) không thể trước ngày giao nhiệm vụ "
            f"({_date(assigned_on)})."
        )
    if weight is None:
        errors["weight"] = "Cần nhập hệ số quy đổi."
    elif weight <= 0:
        errors["weight"] = "Hệ số quy đổi phải lớn hơn 0."
    elif weight > MAX_WEIGHT:
        errors["weight"] = "Hệ số quy đổi quá lớn."
    return errors


def _unit_of(person: Person, *, managed_by: Actor = None) -> Organization | None:
    """The unit a task of `person` belongs to: their highest current post (among the units
    `managed_by` manages, when given)."""
    positions = list(
        Position.objects.filter(person=person, end_date__isnull=True).select_related("organization")
    )
    if managed_by is not None:
        positions = [p for p in positions if access.manages_org(managed_by, p.organization)]
    top = highest_position(positions)
    return top.organization if top else None


def _create_task(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    source: str,
    status: str,
    title: str,
    target_quantity: Decimal | None,
    unit: str,
    deadline: dt.date | None,
    assigned_on: dt.date | None,
    year: int | None,
    description: str,
    quality_requirement: str,
    weight: Decimal | None,
    action: str,
) -> Task:
    title, unit = nfc(title or ""), nfc(unit or "")
    assigned_on = assigned_on or _today()
    errors = _task_errors(
        title=title,
        target_quantity=target_quantity,
        unit=unit,
        assigned_on=assigned_on,
        deadline=deadline,
        weight=weight,
    )
    if errors:
        raise ValidationError(errors)
    assert deadline is not None and target_quantity is not None and weight is not None
    task = Task.objects.create(
        person=person,
        organization=organization,
        year=year or deadline.year,
        title=title,
        description=(description or "").strip(),
        target_quantity=target_quantity,
        unit=unit,
        assigned_on=assigned_on,
        deadline=deadline,
        quality_requirement=(quality_requirement or "").strip(),
        weight=weight,
        source=source,
        status=status,
        assigned_by=actor if source == Task.Source.ASSIGNED else None,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=task,
        after=_snapshot(task, ["person_id", "organization_id", "year", "source", "status"])
        | _snapshot(task, TASK_FIELDS),
    )
    return task


@transaction.atomic
def task_assign(
    *,
    actor: Actor,
    person: Person,
    title: str,
    target_quantity: Decimal | None,
    unit: str,
    deadline: dt.date | None,
    organization: Organization | None = None,
    assigned_on: dt.date | None = None,
    year: int | None = None,
    description: str = "",
    quality_requirement: str = "",
    weight: Decimal | None = Decimal(1),
) -> Task:
    """A manager assigns a task to a person of a unit they manage; it is approved at once."""
    organization = organization or _unit_of(person, managed_by=actor)
    if organization is None:
        raise PermissionDenied("Cá nhân này không công tác ở đơn vị do bạn quản lý.")
    access.require_manager_of(actor, person, organization)
    return _create_task(
        actor=actor,
        person=person,
        organization=organization,
        source=Task.Source.ASSIGNED,
        status=Task.Status.APPROVED,
        title=title,
        target_quantity=target_quantity,
        unit=unit,
        deadline=deadline,
        assigned_on=assigned_on,
        year=year,
        description=description,
        quality_requirement=quality_requirement,
        weight=weight,
        action="task.assign",
    )


@transaction.atomic
def task_register(
    *,
    actor: Actor,
    title: str,
    target_quantity: Decimal | None,
    unit: str,
    deadline: dt.date | None,
    assigned_on: dt.date | None = None,
    year: int | None = None,
    description: str = "",
    quality_requirement: str = "",
    weight: Decimal | None = Decimal(1),
) -> Task:
    """A person registers a task of their own; it waits for the manager's approval."""
    person = access.person_of(actor)
    if person is None:
        raise PermissionDenied("Tài khoản chưa gắn với hồ sơ cá nhân.")
    organization = _unit_of(person)
    if organization is None:
        raise ValidationError(
            "Chưa có chức vụ, vị trí công tác hiện tại: không xác định được đơn vị của nhiệm vụ."
        )
    return _create_task(
        actor=actor,
        person=person,
        organization=organization,
        source=Task.Source.SELF_REGISTERED,
        status=Task.Status.PROPOSED,
        title=title,
        target_quantity=target_quantity,
        unit=unit,
        deadline=deadline,
        assigned_on=assigned_on,
        year=year,
        description=description,
        quality_requirement=quality_requirement,
        weight=weight,
        action="task.register",
    )


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("person", "organization").get(pk=task.pk)


def _set_status(*, actor: Actor, task: Task, status: str, reason: str, action: str) -> Task:
    before = task.status
    task.status = status
    task.status_reason = reason
    task.decided_by = actor if actor is not None and actor.is_authenticated else None
    task.save(update_fields=["status", "status_reason", "decided_by", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=task,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    return task


@transaction.atomic
def task_approve(*, actor: Actor, task: Task) -> Task:
    task = _locked(task)
    access.require_manager(actor, task)
    if task.status != Task.Status.PROPOSED:
        raise ValidationError("Chỉ duyệt được nhiệm vụ đang chờ duyệt.")
    return _set_status(
        actor=actor, task=task, status=Task.Status.APPROVED, reason="", action="task.approve"
    )


@transaction.atomic
def task_reject(*, actor: Actor, task: Task, reason: str) -> Task:
    task = _locked(task)
    access.require_manager(actor, task)
    reason = (reason or "").strip()
    if task.status != Task.Status.PROPOSED:
        raise ValidationError("Chỉ không duyệt được nhiệm vụ đang chờ duyệt.")
    if not reason:
        raise ValidationError({"reason": "Cần nêu lý do không duyệt."})
    return _set_status(
        actor=actor, task=task, status=Task.Status.REJECTED, reason=reason, action="task.reject"
    )


@transaction.atomic
def task_cancel(*, actor: Actor, task: Task, reason: str) -> Task:
    """The manager cancels a task; the person may withdraw their own task before approval."""
    task = _locked(task)
    manager = access.can_manage_task(actor, task)
    owner = access.is_owner(actor, task.person)
    if not manager and not (owner and task.status == Task.Status.PROPOSED):
        if owner:
            raise PermissionDenied("Nhiệm vụ đã duyệt chỉ người quản lý mới được hủy.")
        access.require_manager(actor, task)
    reason = (reason or "").strip()
    if task.status == Task.Status.CANCELLED:
        raise ValidationError("Nhiệm vụ đã được hủy trước đó.")
    if not reason:
        raise ValidationError({"reason": "Cần nêu lý do hủy nhiệm vụ."})
    return _set_status(
        actor=actor, task=task, status=Task.Status.CANCELLED, reason=reason, action="task.cancel"
    )


@transaction.atomic
def task_update(
    *,
    actor: Actor,
    task: Task,
    expected_updated_at: dt.datetime | str | None,
    **changes: Any,
) -> Task:
    """Edit a task's target. `expected_updated_at` (the `updated_at` the editor saw) refuses an
    edit made over someone else's: optimistic concurrency.

    The manager edits proposed and approved tasks; the person edits their own task while it
    waits for approval or after it was rejected (which proposes it again).
    """
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_update() got unexpected fields {sorted(unknown)}")
    task = _locked(task)
    manager = access.can_manage_task(actor, task)
    owner = access.is_owner(actor, task.person)
    editable = {Task.Status.PROPOSED, Task.Status.REJECTED}
    if not manager and not (owner and task.status in editable):
        if owner:
            raise PermissionDenied("Nhiệm vụ đã duyệt chỉ người quản lý mới được sửa.")
        access.require_manager(actor, task)
    if task.status == Task.Status.CANCELLED:
        raise ValidationError("Nhiệm vụ đã hủy, không sửa được.")
    seen = (
        expected_updated_at.isoformat()
        if isinstance(expected_updated_at, dt.datetime)
        else expected_updated_at
    )
    if seen is None or seen != task.updated_at.isoformat():
        raise ValidationError(
            "Nhiệm vụ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại "
            "thay đổi."
        )
    values = {f: changes.get(f, getattr(task, f)) for f in TASK_FIELDS}
    values["title"] = nfc(values["title"] or "")
    values["unit"] = nfc(values["unit"] or "")
    values["description"] = (values["description"] or "").strip()
    values["quality_requirement"] = (values["quality_requirement"] or "").strip()
    errors = _task_errors(
        title=values["title"],
        target_quantity=values["target_quantity"],
        unit=values["unit"],
        assigned_on=values["assigned_on"],
        deadline=values["deadline"],
        weight=values["weight"],
    )
    first = task.results.order_by("completed_on").values_list("completed_on", flat=True).first()
    if values["assigned_on"] is not None and first is not None and first < values["assigned_on"]:
        errors.setdefault(
            "assigned_on",
            f"Đã có kết quả hoàn thành ngày {_date(first)}, trước ngày giao "
            f"{_date(values['assigned_on'])}.",
        )
    if errors:
        raise ValidationError(errors)
    before = _snapshot(task, TASK_FIELDS + ["status"])
    for field, value in values.items():
        setattr(task, field, value)
    if owner and not manager and task.status == Task.Status.REJECTED:
        task.status = Task.Status.PROPOSED
    task.save()
    audit_record(
        actor=actor,
        action="task.update",
        obj=task,
        before=before,
        after=_snapshot(task, TASK_FIELDS + ["status"]),
    )
    return task


# --- results --------------------------------------------------------------------------------


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
    task = _locked(task)
    access.require_owner(actor, task.person)
    if task.status != Task.Status.APPROVED:
        raise ValidationError("Chỉ ghi kết quả cho nhiệm vụ đã được duyệt.")
    errors: dict[str, str] = {}
    if achieved_quantity is None:
        errors["achieved_quantity"] = "Cần nhập số lượng đạt được."
    elif achieved_quantity < 0:
        errors["achieved_quantity"] = "Số lượng đạt được không được âm."
    elif achieved_quantity > MAX_QUANTITY:
        errors["achieved_quantity"] = "Số lượng đạt được quá lớn."
    today = _today()
    if completed_on is None:
        errors["completed_on"] = "Cần nhập ngày hoàn thành."
    elif completed_on < task.assigned_on:
        errors["completed_on"] = (
            "Kết quả không thể hoàn thành trước khi nhiệm vụ được giao "
            f"(ngày giao {_date(task.assigned_on)})."
        )
    elif completed_on > today:
        errors["completed_on"] = (
            f"Ngày hoàn thành ({_date(completed_on)}) không thể sau ngày hôm nay ({_date(today)})."
        )
    if quality not in Result.Quality.values:
        errors["quality"] = "Chọn mức chất lượng: vượt, đạt hoặc chưa đạt yêu cầu."
    for field, value, label in (
        ("major_errors", major_errors, "Số lỗi lớn về nội dung"),
        ("delays", delays, "Số lần chậm tiến độ"),
    ):
        if value is not None and value < 0:
            errors[field] = f"{label} không được âm."
        elif value is not None and value > MAX_COUNT:
            errors[field] = f"{label} quá lớn."
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
        after=_snapshot(
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
        raise ValidationError("Nguyên nhân khách quan của kết quả này đã được xác nhận.")
    if not reason:
        raise ValidationError({"reason": "Cần nêu nguyên nhân khách quan được xác nhận."})
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
        raise ValidationError("Chỉ thêm sản phẩm cho nhiệm vụ đã được duyệt.")
    return result


def _audit_product(actor: Actor, product: Product) -> None:
    audit_record(
        actor=actor,
        action=f"product.add_{product.kind}",
        obj=product,
        after=_snapshot(
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
    reference: str, *, today: dt.date | None = None
) -> tuple[DocumentReference | None, list[str]]:
    """Parse a pasted citation; (reference, []) when it can be kept, else (maybe, messages).

    Shared by `product_add_document` and the page's live preview.
    """
    text = nfc(reference or "")
    if not text:
        return None, [
            "Dán số, ký hiệu và ngày của văn bản, ví dụ “Quyết định số 123/QĐ-UBND "
            "ngày 15/3/2025 của UBND tỉnh về việc …”."
        ]
    today = today or _today()
    ref = parse_document_reference(text)
    if ref is None:
        return None, validate_symbol(text, today=today) or [
            "Không tìm thấy số, ký hiệu văn bản trong nội dung đã dán."
        ]
    errors = validate_symbol(_symbol_part(ref), today=today)
    if not errors and ref.issued_on is None:
        errors = ["Thiếu ngày ban hành của văn bản (ví dụ “… ngày 15/3/2025”)."]
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
            {"reference": f"Văn bản {ref.symbol} đã có trong sản phẩm của kết quả này."}
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
        doc_issuer=ref.issuer_name or ref.issuer,
        summary=ref.summary,
        created_by=actor,
    )
    _audit_product(actor, product)
    return product


@transaction.atomic
def product_add_file(
    *, actor: Actor, result: Result, upload: UploadedFile | None, title: str = ""
) -> Product:
    """An attached file, checked by extension and content, stored through the default storage
    (outside the web root) under a random name; served only by the download view."""
    result = _result_for_owner(actor, result)
    if upload is None:
        raise ValidationError({"file": "Chọn một tệp để tải lên."})
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
        errors["url"] = "Nhập đường dẫn (bắt đầu bằng http:// hoặc https://)."
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = (
                f"Đường dẫn “{url}” không hợp lệ (cần bắt đầu bằng http:// hoặc https://)."
            )
        else:
            if len(url) > 1000:
                errors["url"] = "Đường dẫn quá dài (tối đa 1000 ký tự)."
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
        errors["title"] = "Nêu tên sản phẩm được đếm (ví dụ: hồ sơ thẩm định)."
    if quantity is None:
        errors["quantity"] = "Cần nhập số lượng sản phẩm."
    elif quantity <= 0:
        errors["quantity"] = "Số lượng sản phẩm phải lớn hơn 0."
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = "Số lượng sản phẩm quá lớn."
    if errors:
        raise ValidationError(errors)
    product = Product.objects.create(
        result=result, kind=Product.Kind.COUNT, title=title, quantity=quantity, created_by=actor
    )
    _audit_product(actor, product)
    return product
