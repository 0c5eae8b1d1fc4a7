"""Writes to the ledger's tasks: one function per use case, atomic and audited.

Each checks who may act (`kiemdiem.ledger.access`, raising PermissionDenied), then the input
(raising ValidationError with Vietnamese messages keyed by field, having written nothing), then
writes inside one transaction with an audit row. A task's status moves only through its
transition table (`kiemdiem.ledger.transitions.TASK`). Results and products:
`kiemdiem.ledger.results`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import nfc
from kiemdiem.core.transitions import transition
from kiemdiem.ledger import access
from kiemdiem.ledger.models import Task
from kiemdiem.ledger.transitions import TASK
from kiemdiem.orgs.models import Organization, Person, Position
from kiemdiem.orgs.selectors import highest_position

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


def plain(value: Any) -> Any:
    """A value as the audit trail stores it (JSON)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: plain(getattr(obj, f)) for f in fields}


def date_text(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def today() -> dt.date:
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
        errors["title"] = _("Tên nhiệm vụ không được để trống.")
    if target_quantity is None:
        errors["target_quantity"] = _("Cần nhập số lượng sản phẩm yêu cầu.")
    elif target_quantity <= 0:
        errors["target_quantity"] = _("Số lượng yêu cầu phải lớn hơn 0.")
    elif target_quantity > MAX_QUANTITY:
        errors["target_quantity"] = _("Số lượng yêu cầu quá lớn.")
    if not unit:
        errors["unit"] = _("Đơn vị tính không được để trống (ví dụ: văn bản, hồ sơ, báo cáo).")
    if assigned_on is None:
        errors["assigned_on"] = _("Cần nhập ngày giao nhiệm vụ.")
    if deadline is None:
        errors["deadline"] = _("Cần nhập thời hạn hoàn thành.")
    elif assigned_on is not None and deadline < assigned_on:
        errors["deadline"] = _(
            "Thời hạn (%(deadline)s) không thể trước ngày giao nhiệm vụ (%(assigned)s)."
        ) % {"deadline": date_text(deadline), "assigned": date_text(assigned_on)}
    if weight is None:
        errors["weight"] = _("Cần nhập hệ số quy đổi.")
    elif weight <= 0:
        errors["weight"] = _("Hệ số quy đổi phải lớn hơn 0.")
    elif weight > MAX_WEIGHT:
        errors["weight"] = _("Hệ số quy đổi quá lớn.")
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
    assigned_on = assigned_on or today()
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
        after=snapshot(task, ["person_id", "organization_id", "year", "source", "status"])
        | snapshot(task, TASK_FIELDS),
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
        raise PermissionDenied(_("Cá nhân này không công tác ở đơn vị do bạn quản lý."))
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
        raise PermissionDenied(_("Tài khoản chưa gắn với hồ sơ cá nhân."))
    organization = _unit_of(person)
    if organization is None:
        raise ValidationError(
            _("Chưa có chức vụ, vị trí công tác hiện tại: không xác định được đơn vị của nhiệm vụ.")
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


def locked_task(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("person", "organization").get(pk=task.pk)


def _decide(*, actor: Actor, task: Task, action: str, reason: str) -> Task:
    decided_by = actor if actor is not None and actor.is_authenticated else None
    transition(
        machine=TASK,
        obj=task,
        action=action,
        actor=actor,
        reason=reason,
        changes={"status_reason": reason, "decided_by": decided_by},
    )
    return task


@transaction.atomic
def task_approve(*, actor: Actor, task: Task) -> Task:
    task = locked_task(task)
    access.require_manager(actor, task)
    TASK.target(task.status, "approve")
    return _decide(actor=actor, task=task, action="approve", reason="")


@transaction.atomic
def task_reject(*, actor: Actor, task: Task, reason: str) -> Task:
    task = locked_task(task)
    access.require_manager(actor, task)
    reason = (reason or "").strip()
    TASK.target(task.status, "reject")
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do không duyệt.")})
    return _decide(actor=actor, task=task, action="reject", reason=reason)


@transaction.atomic
def task_cancel(*, actor: Actor, task: Task, reason: str) -> Task:
    """The manager cancels a task; the person may withdraw their own task before approval."""
    task = locked_task(task)
    manager = access.can_manage_task(actor, task)
    owner = access.is_owner(actor, task.person)
    if not manager and not (owner and task.status == Task.Status.PROPOSED):
        if owner:
            raise PermissionDenied(_("Nhiệm vụ đã duyệt chỉ người quản lý mới được hủy."))
        access.require_manager(actor, task)
    reason = (reason or "").strip()
    TASK.target(task.status, "cancel")
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do hủy nhiệm vụ.")})
    return _decide(actor=actor, task=task, action="cancel", reason=reason)


def _update_errors(task: Task, values: dict[str, Any]) -> dict[str, str]:
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
            _("Đã có kết quả hoàn thành ngày %(done)s, trước ngày giao %(assigned)s.")
            % {"done": date_text(first), "assigned": date_text(values["assigned_on"])},
        )
    return errors


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
    waits for approval or after it was rejected (which proposes it again: "resubmit").
    """
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_update() got unexpected fields {sorted(unknown)}")
    task = locked_task(task)
    manager = access.can_manage_task(actor, task)
    owner = access.is_owner(actor, task.person)
    editable = {Task.Status.PROPOSED, Task.Status.REJECTED}
    if not manager and not (owner and task.status in editable):
        if owner:
            raise PermissionDenied(_("Nhiệm vụ đã duyệt chỉ người quản lý mới được sửa."))
        access.require_manager(actor, task)
    if task.status == Task.Status.CANCELLED:
        raise ValidationError(_("Nhiệm vụ đã hủy, không sửa được."))
    seen = (
        expected_updated_at.isoformat()
        if isinstance(expected_updated_at, dt.datetime)
        else expected_updated_at
    )
    if seen is None or seen != task.updated_at.isoformat():
        raise ValidationError(
            _(
                "Nhiệm vụ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại "
                "thay đổi."
            )
        )
    values = {f: changes.get(f, getattr(task, f)) for f in TASK_FIELDS}
    values["title"] = nfc(values["title"] or "")
    values["unit"] = nfc(values["unit"] or "")
    values["description"] = (values["description"] or "").strip()
    values["quality_requirement"] = (values["quality_requirement"] or "").strip()
    errors = _update_errors(task, values)
    if errors:
        raise ValidationError(errors)
    before = snapshot(task, TASK_FIELDS)
    for field, value in values.items():
        setattr(task, field, value)
    task.save()
    audit_record(
        actor=actor,
        action="task.update",
        obj=task,
        before=before,
        after=snapshot(task, TASK_FIELDS),
    )
    if owner and not manager and TASK.can(task.status, "resubmit"):
        transition(machine=TASK, obj=task, action="resubmit", actor=actor)
    return task
