"""Writes to the organization tree: organizations, cadre management, the derived columns.

People, posts and party membership are written by `kiemdiem.orgs.people`; both follow the same
rules:

Pages, the admin, commands and imports all call these. Each checks that the actor keeps the
records (`kiemdiem.orgs.access`) of every organization and person it is handed, then the input
(`kiemdiem.orgs.validators`), raising ValidationError with Vietnamese messages keyed by field —
or PermissionDenied for the request's own subject — and writes nothing when either fails.
`actor=None` is the system itself (a command run on the server).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.core.text import collation_key, fold, name_sort_key, nfc, split_name
from kiemdiem.orgs import access
from kiemdiem.orgs.models import CadreManagement, Organization, Person
from kiemdiem.orgs.signals import announce_move
from kiemdiem.orgs.validators import organization_code_errors, organization_link_errors

Actor = AbstractBaseUser | AnonymousUser | None
PATH_WIDTH = 7


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_WIDTH}d}."


def organization_keys(name: str) -> dict[str, str]:
    name = nfc(name)
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


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for f in fields:
        value = getattr(obj, f)
        out[f] = value.isoformat() if isinstance(value, dt.date) else value
    return out


# --- organizations ----------------------------------------------------------------------------


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
    access.require_some_records(actor)
    errors = organization_link_errors(
        kind=kind, parent=parent, party_organization=party_organization, leads=leads
    )
    errors.update(organization_code_errors(code))
    if not nfc(name):
        errors["name"] = _("Tên tổ chức không được để trống.")
    errors.update(access.root_errors(actor, parent))
    errors.update(
        access.scope_errors(
            actor, parent=parent, party_organization=party_organization, leads=leads
        )
    )
    if errors:
        raise ValidationError(errors)
    org = Organization(
        code=code.strip(),
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
        after=snapshot(org, ["code", "name", "kind", "parent_id"]),
    )
    return org


ORG_EDITABLE = ["name", "short_name", "code", "party_organization_id", "position", "is_active"]


@transaction.atomic
def organization_update(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    code: str,
    short_name: str = "",
    party_organization: Organization | None = None,
    position: int = 0,
    is_active: bool = True,
    reason: str = "",
) -> Organization:
    """Rename, re-code, re-link to a party organization, re-order or (de)activate a unit.

    Its place in the tree changes only through `organization_move` (which rewrites the
    subtree's paths), its kind never (the links and the evaluations derived from it depend on
    it)."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    access.require_records_of(actor, org)
    errors = organization_link_errors(
        kind=org.kind, parent=None, party_organization=party_organization, leads=org.leads
    )
    errors.update(organization_code_errors(code, exclude_pk=org.pk))
    if not nfc(name):
        errors["name"] = _("Tên tổ chức không được để trống.")
    if party_organization is not None and party_organization.pk == org.pk:
        errors["party_organization"] = _("Một tổ chức không thể tự lãnh đạo chính nó.")
    errors.update(access.scope_errors(actor, party_organization=party_organization))
    if errors:
        raise ValidationError(errors)
    before = snapshot(org, ORG_EDITABLE)
    for key, value in organization_keys(name).items():
        setattr(org, key, value)
    org.code = code.strip()
    org.short_name = nfc(short_name)
    org.party_organization = party_organization
    org.position = position
    org.is_active = is_active
    org.save()
    after = snapshot(org, ORG_EDITABLE)
    if after != before:
        audit_record(
            actor=actor,
            action="organization.update",
            obj=org,
            before=before,
            after=after,
            reason=reason,
        )
    return org


@transaction.atomic
def organization_move(
    *, actor: Actor, organization: Organization, new_parent: Organization | None, reason: str = ""
) -> Organization:
    """Re-attach a subtree; refuses a move that would put a unit under its own descendant."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    access.require_records_of(actor, org)
    errors = access.root_errors(actor, new_parent)
    if new_parent is not None:
        new_parent = Organization.objects.get(pk=new_parent.pk)
        errors.update(access.scope_errors(actor, parent=new_parent))
        if new_parent.path.startswith(org.path):
            errors["parent"] = _(
                "Không thể chuyển “%(name)s” vào “%(parent)s”: đơn vị cấp trên không được là "
                "chính nó hoặc đơn vị trực thuộc của nó."
            ) % {"name": org.name, "parent": new_parent.name}
        elif new_parent.is_leadership:
            errors["parent"] = _("Tập thể lãnh đạo, quản lý không có đơn vị trực thuộc.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(org, ["parent_id", "path"])
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
    announce_move(org.pk)
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action="organization.move",
        obj=org,
        before=before,
        after=snapshot(org, ["parent_id", "path"]),
        reason=reason,
    )
    return org


# --- cadre management (diện quản lý) -----------------------------------------------------------


def cadre_management_errors(
    *, manager: Organization | None, person: Person | None, organization: Organization | None
) -> dict[str, str]:
    """What is wrong with a cadre-management row, by field (shared with the admin's form)."""
    errors: dict[str, str] = {}
    if manager is None:
        errors["manager"] = _("Chọn cấp quản lý.")
    if (person is None) == (organization is None):
        errors["__all__"] = _("Chọn đúng một đối tượng quản lý: một cá nhân hoặc một tập thể.")
    elif organization is not None and manager is not None and organization.pk == manager.pk:
        errors["manager"] = _("Một tập thể không thể tự quản lý chính nó.")
    return errors


def cadre_management_problems(
    *,
    actor: Actor,
    manager: Organization | None,
    person: Person | None,
    organization: Organization | None,
) -> dict[str, str]:
    """Input and scope errors of a cadre-management row (the service's check, which the
    admin's form runs before saving)."""
    errors = cadre_management_errors(manager=manager, person=person, organization=organization)
    if errors or manager is None:
        return errors
    errors = access.scope_errors(actor, manager=manager, organization=organization)
    if person is not None and actor is not None and not access.can_manage_person(actor, person):
        errors["person"] = _("Bạn không có quyền quản lý hồ sơ của %(name)s.") % {
            "name": person.full_name
        }
    return errors


@transaction.atomic
def cadre_management_set(
    *,
    actor: Actor,
    manager: Organization,
    person: Person | None = None,
    organization: Organization | None = None,
    note: str = "",
) -> CadreManagement:
    """Which competent level manages a person or a collective; the subject and the managing
    level both in the actor's records."""
    access.require_some_records(actor)
    errors = cadre_management_problems(
        actor=actor, manager=manager, person=person, organization=organization
    )
    if errors:
        raise ValidationError(errors)
    lookup = {"person": person} if person is not None else {"organization": organization}
    existing = CadreManagement.objects.select_for_update().filter(**lookup).first()
    before = {"manager_id": existing.manager_id, "note": existing.note} if existing else None
    row, _created = CadreManagement.objects.update_or_create(
        **lookup, defaults={"manager": manager, "note": nfc(note)}
    )
    audit_record(
        actor=actor,
        action="cadre_management.set",
        obj=row,
        before=before,
        after={"manager_id": manager.pk, "note": row.note},
    )
    return row


@transaction.atomic
def cadre_management_remove(*, actor: Actor, row: CadreManagement, reason: str = "") -> None:
    """Drop an explicit row: the competent level is derived from the tree again."""
    locked = CadreManagement.objects.select_for_update().filter(pk=row.pk).first()
    if locked is None:
        return
    errors = cadre_management_problems(
        actor=actor, manager=locked.manager, person=locked.person, organization=locked.organization
    )
    if errors:
        raise ValidationError(errors)
    audit_record(
        actor=actor,
        action="cadre_management.remove",
        obj=locked,
        before={"manager_id": locked.manager_id, "note": locked.note},
        reason=reason,
    )
    locked.delete()
