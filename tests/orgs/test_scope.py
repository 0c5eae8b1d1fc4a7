"""Rights checked in the services for every organization and person they are handed, called
directly as a command or an import would, and through the pages (issue 13's findings).

The cast's approver keeps the records of Sở Nội vụ (People's Committee tree); the party cell
Chi bộ Phòng Công chức is in the Provincial Party Committee tree, outside that scope.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.orgs import people, services
from kiemdiem.orgs.models import CadreManagement, OrgKind, PartyMembership
from tests.conftest import make_user
from tests.web.conftest import row_counts


@pytest.fixture
def committee(cast):
    """Personnel of the People's Committee tree only."""
    return make_user("tochucub", role=Role.PERSONNEL, org=cast.province)


def fields_of(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- the findings, through the pages --------------------------------------------------------


def test_a_committee_personnel_body_cannot_move_a_member_to_a_cell_of_the_party_tree(
    client, cast, committee
):
    client.force_login(committee)
    before = row_counts()
    response = client.post(
        reverse("party_membership_edit", args=[cast.staff_person.pk]),
        {"cell": "CB-PCC", "admitted_on": "02/03/2012", "status": "active"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cell"] == [
        "Bạn không có quyền quản lý “Chi bộ Phòng Công chức”."
    ]
    assert row_counts() == before


def test_a_committee_personnel_body_cannot_link_a_new_unit_to_a_party_organization_outside(
    client, cast, committee
):
    client.force_login(committee)
    before = row_counts()
    response = client.post(
        reverse("org_create"),
        {
            "code": "PX",
            "name": "Phòng X",
            "kind": OrgKind.DIVISION,
            "parent": "SNV",
            "party_organization": "DB-SNV",
        },
    )
    assert response.context["form"].errors["party_organization"] == [
        "Bạn không có quyền quản lý “Đảng bộ Sở Nội vụ”."
    ]
    assert row_counts() == before


# --- the services, called directly ----------------------------------------------------------


def test_creating_an_organization_checks_every_organization_it_names(cast, committee):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.organization_create(
            actor=committee,
            code="PX",
            name="Phòng X",
            kind=OrgKind.LEADERSHIP,
            parent=cast.province_party,
            party_organization=cast.department_party,
            leads=cast.cell,
        )
    assert fields_of(exc) == {
        "parent": ["Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”."],
        "party_organization": ["Bạn không có quyền quản lý “Đảng bộ Sở Nội vụ”."],
        "leads": ["Bạn không có quyền quản lý “Chi bộ Phòng Công chức”."],
    }
    assert row_counts() == before


def test_only_a_superuser_or_the_system_creates_a_root(cast, committee):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=committee, code="R", name="Gốc mới", kind="front")
    assert list(fields_of(exc)) == ["parent"]
    root = services.organization_create(actor=None, code="R", name="Gốc mới", kind="front")
    assert root.parent is None


def test_moving_checks_the_unit_and_its_new_parent(cast, committee):
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=committee, organization=cast.cell, new_parent=None)
    with pytest.raises(ValidationError) as exc:
        services.organization_move(
            actor=committee, organization=cast.sibling, new_parent=cast.department_party
        )
    assert fields_of(exc) == {"parent": ["Bạn không có quyền quản lý “Đảng bộ Sở Nội vụ”."]}
    cast.sibling.refresh_from_db()
    assert cast.sibling.parent == cast.department


def test_updating_checks_the_unit_and_its_party_organization(cast, committee):
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=committee, organization=cast.cell, name="Chi bộ mới", code="CB-PCC"
        )
    with pytest.raises(ValidationError) as exc:
        services.organization_update(
            actor=committee,
            organization=cast.department,
            name="Sở Nội vụ",
            code="SNV",
            party_organization=cast.department_party,
        )
    assert fields_of(exc) == {
        "party_organization": ["Bạn không có quyền quản lý “Đảng bộ Sở Nội vụ”."]
    }


def test_setting_a_party_cell_outside_the_scope_is_refused_even_for_a_person_inside(
    cast, committee
):
    with pytest.raises(ValidationError) as exc:
        people.party_membership_set(
            actor=committee,
            person=cast.head_person,
            cell=cast.cell,
            admitted_on=dt.date(2000, 5, 19),
        )
    assert fields_of(exc) == {"cell": ["Bạn không có quyền quản lý “Chi bộ Phòng Công chức”."]}
    assert not PartyMembership.objects.filter(person=cast.head_person).exists()


def test_a_post_in_a_unit_outside_the_scope_is_refused(cast, committee):
    with pytest.raises(ValidationError) as exc:
        people.position_add(
            actor=committee,
            person=cast.staff_person,
            organization=cast.province_party,
            title="Chuyên viên",
            start_date=dt.date(2024, 1, 1),
        )
    assert fields_of(exc) == {
        "organization": ["Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”."]
    }


def test_a_person_outside_the_scope_is_not_edited_or_given_a_post(cast):
    outsider_keeper = make_user("tochuc-khac", role=Role.PERSONNEL, org=cast.sibling)
    with pytest.raises(PermissionDenied):
        people.person_update(actor=outsider_keeper, person=cast.staff_person, phone="0900000000")
    with pytest.raises(PermissionDenied):
        people.position_add(
            actor=outsider_keeper,
            person=cast.staff_person,
            organization=cast.sibling,
            title="Chuyên viên",
            start_date=dt.date(2024, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        people.person_enroll(
            actor=outsider_keeper,
            organization=cast.division,
            title="Chuyên viên",
            start_date=dt.date(2024, 1, 1),
            full_name="Phạm Văn Mới",
            gender="male",
            date_of_birth=dt.date(1990, 1, 1),
            identity_number="001090000999",
        )


def test_a_post_is_ended_only_by_a_keeper_of_its_unit(cast):
    post = cast.staff_person.positions.get()
    with pytest.raises(PermissionDenied):
        people.position_end(actor=cast.unit_head, position=post, end_date=dt.date(2025, 1, 1))
    ended = people.position_end(actor=cast.approver, position=post, end_date=dt.date(2025, 1, 1))
    assert ended.end_date == dt.date(2025, 1, 1)


def test_roles_without_records_create_nothing(cast):
    with pytest.raises(PermissionDenied):
        people.person_create(
            actor=cast.unit_head,
            full_name="Phạm Văn Mới",
            gender="male",
            date_of_birth=dt.date(1990, 1, 1),
            identity_number="001090000999",
        )
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=cast.unit_head, code="X", name="X", kind="division", parent=cast.division
        )


def test_cadre_management_names_a_subject_and_a_manager_in_the_scope(cast, committee):
    with pytest.raises(ValidationError) as exc:
        services.cadre_management_set(
            actor=committee, manager=cast.province_party, person=cast.head_person
        )
    assert fields_of(exc) == {"manager": ["Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”."]}
    row = services.cadre_management_set(
        actor=committee, manager=cast.province, person=cast.head_person
    )
    assert CadreManagement.objects.get() == row
