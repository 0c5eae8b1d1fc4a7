"""Scope of the organizations a form accepts (issue 13), checked in the services themselves:
a personnel body of the People's Committee tree cannot reach into the Party tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.orgs import people, services
from kiemdiem.orgs.models import Organization, OrgKind, PartyMembership


def test_a_party_member_is_not_moved_to_a_cell_outside_the_actors_records(cast):
    other_cell = services.organization_create(
        actor=None,
        code="CB-X",
        name="Chi bộ Văn phòng Tỉnh ủy",
        kind=OrgKind.CELL_SUB,
        parent=cast.province_party,
    )
    before = PartyMembership.objects.get(person=cast.staff_person).cell_id
    with pytest.raises(ValidationError) as exc:
        people.party_membership_set(
            actor=cast.approver,
            person=cast.staff_person,
            cell=other_cell,
            admitted_on=dt.date(2012, 3, 2),
        )
    assert "cell" in exc.value.message_dict
    assert PartyMembership.objects.get(person=cast.staff_person).cell_id == before


def test_an_organization_is_not_linked_to_a_party_organization_outside_the_actors_records(cast):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(
            actor=cast.approver,
            code="PX",
            name="Phòng X",
            kind=OrgKind.DIVISION,
            parent=cast.department,
            party_organization=cast.province_party,
        )
    assert exc.value.message_dict["party_organization"] == [
        "Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”."
    ]
    assert not Organization.objects.filter(code="PX").exists()
