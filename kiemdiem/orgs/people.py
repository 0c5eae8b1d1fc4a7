"""Writes to the people records: people, their posts and party membership; one function per
use case, atomic, audited, scope-checked.

Each checks that the actor keeps the records (`kiemdiem.orgs.access`) of the person and of every
organization it is handed (the post's unit, the party cell), then the input
(`kiemdiem.orgs.validators`), and writes nothing when either fails. `actor=None` is the system
itself (a command run on the server).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import nfc
from kiemdiem.orgs import access
from kiemdiem.orgs.models import (
    EmploymentCategory,
    Organization,
    PartyMembership,
    PartyStatus,
    Person,
    Position,
    PostLevel,
)
from kiemdiem.orgs.services import Actor, person_name_fields, snapshot
from kiemdiem.orgs.validators import (
    end_before_start,
    party_membership_errors,
    person_errors,
    position_errors,
)


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
    """A person without a post yet (see `person_enroll`): any record keeper may create one."""
    access.require_some_records(actor)
    errors = person_errors(
        full_name=full_name,
        gender=gender,
        date_of_birth=date_of_birth,
        identity_number=identity_number,
        employment=employment,
        today=timezone.localdate(),
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
        after=snapshot(person, ["full_name", "identity_number", "employment"]),
    )
    return person


PERSON_FIELDS = [
    "full_name",
    "gender",
    "date_of_birth",
    "identity_number",
    "employment",
    "email",
    "phone",
]


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **changes: Any) -> Person:
    """Edit a person; `updated_at` guards against concurrent edits when given as `expected_version`."""
    expected = changes.pop("expected_version", None)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unexpected fields {sorted(unknown)}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    access.require_person_records(actor, locked)
    if expected is not None and locked.updated_at.isoformat() != expected:
        raise ValidationError(
            _(
                "Hồ sơ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại thay "
                "đổi."
            ),
            code="conflict",
        )
    values = {f: changes.get(f, getattr(locked, f)) for f in PERSON_FIELDS}
    errors = person_errors(
        full_name=values["full_name"],
        gender=values["gender"],
        date_of_birth=values["date_of_birth"],
        identity_number=values["identity_number"],
        employment=values["employment"],
        today=timezone.localdate(),
        exclude_pk=locked.pk,
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked, PERSON_FIELDS)
    for key, value in person_name_fields(values["full_name"]).items():
        setattr(locked, key, value)
    for f in PERSON_FIELDS[1:]:
        setattr(locked, f, values[f].strip() if isinstance(values[f], str) else values[f])
    locked.save()
    audit_record(
        actor=actor,
        action="person.update",
        obj=locked,
        before=before,
        after=snapshot(locked, PERSON_FIELDS),
    )
    return locked


@transaction.atomic
def person_link_user(*, actor: Actor, person: Person, user: AbstractBaseUser | None) -> Person:
    """Link a sign-in account to a person (or unlink with `user=None`); an account belongs to
    one person at most, so a previous holder of the account is unlinked."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    access.require_person_records(actor, locked)
    if locked.user_id == (user.pk if user is not None else None):
        return locked
    before = {"user_id": locked.user_id}
    if user is not None:
        for other in Person.objects.select_for_update().filter(user=user).exclude(pk=locked.pk):
            other.user = None
            other.save(update_fields=["user", "updated_at"])
            audit_record(
                actor=actor, action="person.unlink_user", obj=other, before={"user_id": user.pk}
            )
    locked.user = user
    locked.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="person.link_user",
        obj=locked,
        before=before,
        after={"user_id": locked.user_id},
    )
    return locked


def _position_create(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    title: str,
    start_date: dt.date | None,
    level: int,
    is_head: bool,
    end_date: dt.date | None,
) -> Position:
    errors = position_errors(
        organization=organization,
        title=title,
        level=level,
        is_head=is_head,
        start_date=start_date,
        end_date=end_date,
    )
    errors.update(access.scope_errors(actor, organization=organization))
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
        after=snapshot(
            position, ["person_id", "organization_id", "title", "level", "is_head", "start_date"]
        ),
    )
    return position


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
    """A post for a person whose records the actor keeps, in a unit whose records they keep."""
    access.require_person_records(actor, person)
    return _position_create(
        actor=actor,
        person=person,
        organization=organization,
        title=title,
        start_date=start_date,
        level=level,
        is_head=is_head,
        end_date=end_date,
    )


@transaction.atomic
def position_end(
    *, actor: Actor, position: Position, end_date: dt.date | None, reason: str = ""
) -> Position:
    locked = Position.objects.select_for_update().select_related("organization").get(pk=position.pk)
    access.require_records_of(actor, locked.organization)
    if end_date is None:
        raise ValidationError({"end_date": _("Ngày kết thúc không được để trống.")})
    if locked.end_date is not None:
        raise ValidationError(
            {
                "end_date": _("Chức vụ này đã kết thúc ngày %(date)s.")
                % {"date": f"{locked.end_date:%d/%m/%Y}"}
            }
        )
    if end_date < locked.start_date:
        raise ValidationError({"end_date": end_before_start(end_date, locked.start_date)})
    before = snapshot(locked, ["end_date"])
    locked.end_date = end_date
    locked.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="position.end",
        obj=locked,
        before=before,
        after=snapshot(locked, ["end_date"]),
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
    """Where a party member belongs: a cell (or grassroots committee) in the actor's records."""
    access.require_person_records(actor, person)
    errors = party_membership_errors(
        person=person,
        cell=cell,
        admitted_on=admitted_on,
        official_on=official_on,
        status=status,
        today=timezone.localdate(),
    )
    errors.update(access.scope_errors(actor, cell=cell))
    if errors:
        raise ValidationError(errors)
    fields = ["cell_id", "admitted_on", "official_on", "status", "outside_system"]
    existing = PartyMembership.objects.select_for_update().filter(person=person).first()
    before = snapshot(existing, fields) if existing else None
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
        after=snapshot(membership, fields),
    )
    return membership


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
    access.require_records_of(actor, organization)
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
    _position_create(
        actor=actor,
        person=person,
        organization=organization,
        title=title,
        start_date=start_date,
        level=level,
        is_head=False,
        end_date=None,
    )
    return person
