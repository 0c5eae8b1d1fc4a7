"""Writes to the organization model: one function per use case, atomic and audited.

Pages, the API, commands and imports all call these; each raises ValidationError with
Vietnamese messages keyed by field and writes nothing when the input is bad.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import fold, name_sort_key, nfc, split_name
from kiemdiem.orgs.models import (
    CadreManagement,
    EmploymentCategory,
    Gender,
    Organization,
    OrgKind,
    PartyMembership,
    PartyStatus,
    Person,
    Position,
    PostLevel,
)
from kiemdiem.orgs.validators import date_of_birth_errors, identity_number_errors

Actor = AbstractBaseUser | AnonymousUser | None
PATH_WIDTH = 7


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_WIDTH}d}."


def organization_keys(name: str) -> dict[str, str]:
    name = nfc(name)
    from kiemdiem.core.text import collation_key

    return {"name": name, "name_key": collation_key(name), "search_key": fold(name)[:255]}


def person_name_fields(full_name: str) -> dict[str, str]:
    """Derived name columns; shared by the services and the bulk seeder/importer."""
    name = nfc(full_name)
    family, middle, given = split_name(name)
    return {
        "full_name": name,
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "sort_key": name_sort_key(name),
        "search_key": fold(name),
    }


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for f in fields:
        value = getattr(obj, f)
        out[f] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _check_org_links(
    *,
    kind: str,
    parent: Organization | None,
    party_organization: Organization | None,
    leads: Organization | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in OrgKind.values:
        errors["kind"] = f"Loại tổ chức “{kind}” không hợp lệ."
    if party_organization is not None and not party_organization.is_party:
        errors["party_organization"] = f"“{party_organization.name}” không phải là tổ chức đảng."
    if kind == OrgKind.LEADERSHIP:
        if leads is None:
            errors["leads"] = "Tập thể lãnh đạo, quản lý phải gắn với tổ chức mà nó lãnh đạo."
        elif leads.is_leadership:
            errors["leads"] = "Tập thể lãnh đạo không thể lãnh đạo một tập thể lãnh đạo khác."
    elif leads is not None:
        errors["leads"] = "Chỉ tập thể lãnh đạo, quản lý mới gắn với tổ chức được lãnh đạo."
    if parent is not None and parent.is_leadership:
        errors["parent"] = "Tập thể lãnh đạo, quản lý không có đơn vị trực thuộc."
    return errors


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None = None,
    party_organization: Organization | None = None,
    leads: Organization | None = None,
    short_name: str = "",
    position: int = 0,
) -> Organization:
    errors = _check_org_links(
        kind=kind, parent=parent, party_organization=party_organization, leads=leads
    )
    code = code.strip()
    if not code:
        errors["code"] = "Mã tổ chức không được để trống."
    elif Organization.objects.filter(code=code).exists():
        errors["code"] = f"Mã tổ chức “{code}” đã được dùng."
    if not nfc(name):
        errors["name"] = "Tên tổ chức không được để trống."
    if errors:
        raise ValidationError(errors)
    org = Organization(
        code=code,
        kind=kind,
        parent=parent,
        party_organization=party_organization,
        leads=leads,
        short_name=nfc(short_name),
        position=position,
        depth=(parent.depth + 1) if parent else 0,
        path="",
        **organization_keys(name),
    )
    org.save()
    org.path = (parent.path if parent else "") + path_segment(org.pk)
    org.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action="organization.create",
        obj=org,
        after=_snapshot(org, ["code", "name", "kind", "parent_id"]),
    )
    return org


@transaction.atomic
def organization_move(
    *, actor: Actor, organization: Organization, new_parent: Organization | None, reason: str = ""
) -> Organization:
    """Re-attach a subtree; refuses a move that would put a unit under its own descendant."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_parent is not None:
        new_parent = Organization.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(org.path):
            raise ValidationError(
                {
                    "parent": (
                        f"Không thể chuyển “{org.name}” vào “{new_parent.name}”: "
                        "đơn vị cấp trên không được là chính nó hoặc đơn vị trực thuộc của nó."
                    )
                }
            )
        if new_parent.is_leadership:
            raise ValidationError(
                {"parent": "Tập thể lãnh đạo, quản lý không có đơn vị trực thuộc."}
            )
    before = _snapshot(org, ["parent_id", "path"])
    old_path = org.path
    new_path = (new_parent.path if new_parent else "") + path_segment(org.pk)
    depth_shift = ((new_parent.depth + 1) if new_parent else 0) - org.depth
    subtree = list(Organization.objects.filter(path__under=old_path))
    for node in subtree:
        node.path = new_path + node.path[len(old_path) :]
        node.depth += depth_shift
        if node.pk == org.pk:
            node.parent = new_parent
    Organization.objects.bulk_update(subtree, ["path", "depth", "parent"], batch_size=500)
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action="organization.move",
        obj=org,
        before=before,
        after=_snapshot(org, ["parent_id", "path"]),
        reason=reason,
    )
    return org


def _person_errors(
    *,
    full_name: str,
    gender: str,
    date_of_birth: dt.date | None,
    identity_number: str,
    employment: str,
    exclude_pk: int | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = nfc(full_name)
    if len(name.split(" ")) < 2:
        errors["full_name"] = ["Họ và tên phải có ít nhất họ và tên (ví dụ “Nguyễn An”)."]
    elif any(ch.isdigit() for ch in name):
        errors["full_name"] = [f"Họ và tên “{name}” không được chứa chữ số."]
    if gender not in Gender.values:
        errors["gender"] = ["Giới tính phải là Nam hoặc Nữ."]
    if employment not in EmploymentCategory.values:
        errors["employment"] = [f"Đối tượng “{employment}” không hợp lệ."]
    if date_of_birth is None:
        errors["date_of_birth"] = ["Ngày sinh không được để trống."]
    else:
        dob_errors = date_of_birth_errors(date_of_birth, today=timezone.localdate())
        if dob_errors:
            errors["date_of_birth"] = dob_errors
    number = identity_number.strip()
    id_errors = identity_number_errors(
        number,
        gender=gender if "gender" not in errors else None,
        date_of_birth=date_of_birth if "date_of_birth" not in errors else None,
    )
    if not id_errors:
        duplicate = Person.objects.filter(identity_number=number)
        if exclude_pk is not None:
            duplicate = duplicate.exclude(pk=exclude_pk)
        if duplicate.exists():
            id_errors = [f"Số CCCD “{number}” đã thuộc về một người khác."]
    if id_errors:
        errors["identity_number"] = id_errors
    return errors


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    full_name: str,
    gender: str,
    date_of_birth: dt.date | None,
    identity_number: str,
    employment: str = EmploymentCategory.NONE,
    email: str = "",
    phone: str = "",
) -> Person:
    errors = _person_errors(
        full_name=full_name,
        gender=gender,
        date_of_birth=date_of_birth,
        identity_number=identity_number,
        employment=employment,
    )
    if errors:
        raise ValidationError(errors)
    person = Person.objects.create(
        gender=gender,
        date_of_birth=date_of_birth,
        identity_number=identity_number.strip(),
        employment=employment,
        email=email.strip(),
        phone=phone.strip(),
        **person_name_fields(full_name),
    )
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        after=_snapshot(person, ["full_name", "identity_number", "employment"]),
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **changes: Any) -> Person:
    """Edit a person; `updated_at` guards against concurrent edits when given as `expected_version`."""
    expected = changes.pop("expected_version", None)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if expected is not None and locked.updated_at.isoformat() != expected:
        raise ValidationError(
            "Hồ sơ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại thay đổi."
        )
    fields = [
        "full_name",
        "gender",
        "date_of_birth",
        "identity_number",
        "employment",
        "email",
        "phone",
    ]
    values = {f: changes.get(f, getattr(locked, f)) for f in fields}
    errors = _person_errors(
        full_name=values["full_name"],
        gender=values["gender"],
        date_of_birth=values["date_of_birth"],
        identity_number=values["identity_number"],
        employment=values["employment"],
        exclude_pk=locked.pk,
    )
    if errors:
        raise ValidationError(errors)
    before = _snapshot(locked, fields)
    for key, value in person_name_fields(values["full_name"]).items():
        setattr(locked, key, value)
    for f in fields[1:]:
        setattr(locked, f, values[f].strip() if isinstance(values[f], str) else values[f])
    locked.save()
    audit_record(
        actor=actor,
        action="person.update",
        obj=locked,
        before=before,
        after=_snapshot(locked, fields),
    )
    return locked


@transaction.atomic
def position_add(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    title: str,
    start_date: dt.date | None,
    level: int = PostLevel.STAFF,
    is_head: bool = False,
    end_date: dt.date | None = None,
) -> Position:
    errors: dict[str, str] = {}
    if not nfc(title):
        errors["title"] = "Chức danh không được để trống."
    if level not in PostLevel.values:
        errors["level"] = f"Cấp chức vụ “{level}” không hợp lệ."
    if start_date is None:
        errors["start_date"] = "Ngày bắt đầu không được để trống."
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = (
            f"Ngày kết thúc {end_date:%d/%m/%Y} trước ngày bắt đầu {start_date:%d/%m/%Y}."
        )
    if is_head and level == PostLevel.STAFF:
        errors["is_head"] = "Người đứng đầu phải giữ chức vụ lãnh đạo, quản lý."
    if is_head and end_date is None and not errors:
        current = Position.objects.filter(
            organization=organization, is_head=True, end_date__isnull=True
        ).select_related("person")
        if current.exists():
            errors["is_head"] = (
                f"“{organization.name}” đã có người đứng đầu: {current[0].person.full_name}."
            )
    if errors:
        raise ValidationError(errors)
    position = Position.objects.create(
        person=person,
        organization=organization,
        title=nfc(title),
        level=level,
        is_head=is_head,
        start_date=start_date,
        end_date=end_date,
    )
    audit_record(
        actor=actor,
        action="position.add",
        obj=position,
        after=_snapshot(
            position, ["person_id", "organization_id", "title", "level", "is_head", "start_date"]
        ),
    )
    return position


@transaction.atomic
def position_end(
    *, actor: Actor, position: Position, end_date: dt.date, reason: str = ""
) -> Position:
    locked = Position.objects.select_for_update().get(pk=position.pk)
    if end_date < locked.start_date:
        raise ValidationError(
            {
                "end_date": (
                    f"Ngày kết thúc {end_date:%d/%m/%Y} trước ngày bắt đầu "
                    f"{locked.start_date:%d/%m/%Y}."
                )
            }
        )
    before = _snapshot(locked, ["end_date"])
    locked.end_date = end_date
    locked.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="position.end",
        obj=locked,
        before=before,
        after=_snapshot(locked, ["end_date"]),
        reason=reason,
    )
    return locked


@transaction.atomic
def party_membership_set(
    *,
    actor: Actor,
    person: Person,
    cell: Organization,
    admitted_on: dt.date | None,
    official_on: dt.date | None = None,
    status: str = PartyStatus.ACTIVE,
    outside_system: bool = False,
) -> PartyMembership:
    errors: dict[str, str] = {}
    if not cell.is_party or cell.kind not in OrgKind.cell_kinds():
        errors["cell"] = f"“{cell.name}” không phải là chi bộ hoặc đảng bộ nơi sinh hoạt."
    if admitted_on is None:
        errors["admitted_on"] = "Ngày vào Đảng không được để trống."
    else:
        if admitted_on > timezone.localdate():
            errors["admitted_on"] = f"Ngày vào Đảng {admitted_on:%d/%m/%Y} ở tương lai."
        if admitted_on < person.date_of_birth:
            errors["admitted_on"] = "Ngày vào Đảng trước ngày sinh."
        if official_on is not None and official_on < admitted_on:
            errors["official_on"] = (
                f"Ngày chính thức {official_on:%d/%m/%Y} trước ngày vào Đảng "
                f"{admitted_on:%d/%m/%Y}."
            )
    if status not in PartyStatus.values:
        errors["status"] = f"Tình trạng “{status}” không hợp lệ."
    if errors:
        raise ValidationError(errors)
    fields = ["cell_id", "admitted_on", "official_on", "status", "outside_system"]
    existing = PartyMembership.objects.select_for_update().filter(person=person).first()
    before = _snapshot(existing, fields) if existing else None
    membership, _created = PartyMembership.objects.update_or_create(
        person=person,
        defaults={
            "cell": cell,
            "admitted_on": admitted_on,
            "official_on": official_on,
            "status": status,
            "outside_system": outside_system,
        },
    )
    audit_record(
        actor=actor,
        action="party_membership.set",
        obj=membership,
        before=before,
        after=_snapshot(membership, fields),
    )
    return membership


@transaction.atomic
def cadre_management_set(
    *,
    actor: Actor,
    manager: Organization,
    person: Person | None = None,
    organization: Organization | None = None,
    note: str = "",
) -> CadreManagement:
    if (person is None) == (organization is None):
        raise ValidationError("Chọn đúng một đối tượng quản lý: một cá nhân hoặc một tập thể.")
    if organization is not None and organization.pk == manager.pk:
        raise ValidationError({"manager": "Một tập thể không thể tự quản lý chính nó."})
    lookup = {"person": person} if person is not None else {"organization": organization}
    row, _created = CadreManagement.objects.update_or_create(
        **lookup, defaults={"manager": manager, "note": nfc(note)}
    )
    audit_record(
        actor=actor,
        action="cadre_management.set",
        obj=row,
        after={"manager_id": manager.pk, "note": row.note},
    )
    return row


@transaction.atomic
def person_enroll(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    start_date: dt.date | None,
    level: int = PostLevel.STAFF,
    full_name: str,
    gender: str,
    date_of_birth: dt.date | None,
    identity_number: str,
    employment: str = EmploymentCategory.NONE,
    email: str = "",
    phone: str = "",
) -> Person:
    """A new person together with their first post, in one transaction.

    Rights follow posts: a person without a current post is outside every scope, so the page
    that adds people to a unit creates both or neither.
    """
    person = person_create(
        actor=actor,
        full_name=full_name,
        gender=gender,
        date_of_birth=date_of_birth,
        identity_number=identity_number,
        employment=employment,
        email=email,
        phone=phone,
    )
    position_add(
        actor=actor,
        person=person,
        organization=organization,
        title=title,
        start_date=start_date,
        level=level,
    )
    return person
