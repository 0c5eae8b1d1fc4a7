"""The pages added with the read-only admin: edit an organization, end a post; the role
service and the link between a person and an account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.accounts.services import role_assign, role_revoke
from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs import people
from kiemdiem.orgs.models import Organization, Person
from tests.conftest import make_user


def test_the_personnel_body_renames_and_deactivates_a_unit(client, cast):
    client.force_login(cast.approver)
    url = reverse("org_edit", args=[cast.sibling.pk])
    assert 'value="PTCBC"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "code": "PTC",
            "name": "Phòng Tổ chức",
            "short_name": "",
            "position": "3",
            "reason": "Đổi tên",
        },
    )
    assert response["Location"] == reverse("org_detail", args=[cast.sibling.pk])
    org = Organization.objects.get(pk=cast.sibling.pk)
    assert (org.code, org.name, org.position, org.is_active) == ("PTC", "Phòng Tổ chức", 3, False)
    assert org.search_key == "phong to chuc" and org.path == cast.sibling.path
    event = AuditEvent.objects.get(action="organization.update")
    assert (event.before["name"], event.after["name"], event.reason) == (
        "Phòng Tổ chức biên chế",
        "Phòng Tổ chức",
        "Đổi tên",
    )


def test_a_taken_code_is_refused_next_to_its_field(client, cast):
    client.force_login(cast.approver)
    response = client.post(
        reverse("org_edit", args=[cast.sibling.pk]),
        {"code": "PCC", "name": "Phòng Tổ chức", "is_active": "on"},
    )
    assert response.context["form"].errors["code"] == ["Mã tổ chức “PCC” đã được dùng."]
    assert Organization.objects.get(pk=cast.sibling.pk).code == "PTCBC"


@pytest.mark.parametrize("who", ["unit_head", "staff", "outsider"])
def test_only_record_keepers_edit_a_unit(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("org_edit", args=[cast.sibling.pk])).status_code == 403


def test_a_post_is_ended_from_the_person_page(client, cast):
    post = cast.staff_person.positions.get()
    client.force_login(cast.approver)
    page = client.get(reverse("person_detail", args=[cast.staff_person.pk])).content.decode()
    assert reverse("position_end", args=[post.pk]) in page
    response = client.post(
        reverse("position_end", args=[post.pk]), {"end_date": "31/12/2025", "reason": "Nghỉ hưu"}
    )
    assert response["Location"] == reverse("person_detail", args=[cast.staff_person.pk])
    post.refresh_from_db()
    assert post.end_date == dt.date(2025, 12, 31)
    assert AuditEvent.objects.get(action="position.end").reason == "Nghỉ hưu"
    again = client.post(reverse("position_end", args=[post.pk]), {"end_date": "31/12/2025"})
    assert again.context["form"].errors["end_date"] == ["Chức vụ này đã kết thúc ngày 31/12/2025."]


def test_ending_a_post_before_it_started_is_refused(client, cast):
    post = cast.staff_person.positions.get()
    client.force_login(cast.approver)
    response = client.post(reverse("position_end", args=[post.pk]), {"end_date": "01/01/2019"})
    assert response.context["form"].errors["end_date"] == [
        "Ngày kết thúc 01/01/2019 trước ngày bắt đầu 01/01/2020."
    ]
    post.refresh_from_db()
    assert post.end_date is None


def test_roles_are_granted_by_superusers_and_the_system_only(cast, django_user_model):
    superuser = django_user_model.objects.create_superuser(username="qt", password="x-Qt-1!")
    with pytest.raises(PermissionDenied):
        role_assign(
            actor=cast.approver, user=cast.staff, role=Role.PERSONNEL, organization=cast.division
        )
    grant = role_assign(
        actor=superuser, user=cast.staff, role=Role.INSPECTOR, organization=cast.division
    )
    assert (
        role_assign(actor=None, user=cast.staff, role=Role.INSPECTOR, organization=cast.division)
        == grant
    )
    assert AuditEvent.objects.filter(action="role.assign").count() == 1
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=None, user=cast.staff, role="boss", organization=cast.division)
    assert exc.value.message_dict == {"role": ["Vai trò “boss” không hợp lệ."]}
    role_revoke(actor=superuser, assignment=grant, reason="Hết nhiệm kỳ")
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.get(action="role.revoke").reason == "Hết nhiệm kỳ"


def test_an_account_belongs_to_one_person(cast):
    other = make_user("khac")
    people.person_link_user(actor=None, person=cast.outsider_person, user=cast.staff)
    assert Person.objects.get(pk=cast.outsider_person.pk).user == cast.staff
    assert Person.objects.get(pk=cast.staff_person.pk).user is None
    assert AuditEvent.objects.filter(action="person.unlink_user").count() == 1
    with pytest.raises(PermissionDenied):
        people.person_link_user(actor=cast.unit_head, person=cast.outsider_person, user=other)
