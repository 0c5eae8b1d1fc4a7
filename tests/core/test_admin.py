import pytest
from django.apps import apps
from django.contrib import admin

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import CadreManagement, Organization, Person


def test_every_model_of_ours_is_in_the_django_admin():
    ours = [m for m in apps.get_models() if m.__module__.startswith("kiemdiem.")]
    missing = [m._meta.label for m in ours if not admin.site.is_registered(m)]
    assert ours and missing == []


def test_the_admin_changelists_open_for_a_superuser(admin_client):
    for model, _ in admin.site._registry.items():
        if not model.__module__.startswith("kiemdiem."):
            continue
        url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url


# --- writes through the admin go through the services (issue 8, issue 13) -------------------


def admin_url(model, action, pk=None):
    base = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    return base + (f"{pk}/change/" if action == "change" else "add/")


def test_the_admin_cannot_move_an_organization_and_leave_a_stale_path(admin_client, cast):
    paths = list(Organization.objects.order_by("pk").values_list("pk", "parent_id", "path"))
    response = admin_client.post(
        admin_url(Organization, "change", cast.sibling.pk),
        {
            "code": "PTCBC",
            "name": "Phòng Tổ chức biên chế",
            "kind": "division",
            "parent": cast.province_party.pk,
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 403
    assert list(Organization.objects.order_by("pk").values_list("pk", "parent_id", "path")) == paths
    page = admin_client.get(admin_url(Organization, "change", cast.sibling.pk)).content.decode()
    assert 'name="parent"' not in page  # shown, not editable: the move page rewrites the paths


def test_the_admin_cannot_save_a_person_the_pages_would_refuse(admin_client, cast):
    response = admin_client.post(
        admin_url(Person, "change", cast.staff_person.pk),
        {
            "full_name": "Ánh 2",
            "gender": "female",
            "date_of_birth": "1985-05-17",
            "identity_number": cast.staff_person.identity_number,
            "employment": "cong_chuc",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=cast.staff_person.pk).full_name == "Nguyễn Thị Ánh"
    assert admin_client.post(admin_url(Person, "add"), {"full_name": "X 1"}).status_code == 403


def test_cadre_management_is_added_through_its_service(admin_client, cast):
    events = AuditEvent.objects.count()
    response = admin_client.post(
        admin_url(CadreManagement, "add"),
        {"manager": cast.province.pk, "person": cast.head_person.pk, "note": "Diện Ban Thường vụ"},
    )
    assert response.status_code == 302
    row = CadreManagement.objects.get()
    assert (row.manager, row.person, row.note) == (
        cast.province,
        cast.head_person,
        "Diện Ban Thường vụ",
    )
    assert AuditEvent.objects.filter(action="cadre_management.set").count() == 1
    assert AuditEvent.objects.count() == events + 1
    refused = admin_client.post(
        admin_url(CadreManagement, "add"),
        {
            "manager": cast.province.pk,
            "person": cast.head_person.pk,
            "organization": cast.division.pk,
        },
    )
    assert refused.status_code == 200
    assert (
        "Chọn đúng một đối tượng quản lý: một cá nhân hoặc một tập thể." in refused.content.decode()
    )
    assert CadreManagement.objects.count() == 1


def test_roles_are_granted_and_revoked_through_the_role_service(admin_client, cast):
    response = admin_client.post(
        admin_url(RoleAssignment, "add"),
        {"user": cast.staff.pk, "role": Role.INSPECTOR, "organization": cast.division.pk},
    )
    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=cast.staff, role=Role.INSPECTOR)
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(grant.pk)).exists()
    delete = f"/quan-tri/accounts/roleassignment/{grant.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize("model", [Organization, Person])
def test_the_organization_records_are_read_only_in_the_admin(admin_client, cast, model):
    pk = cast.division.pk if model is Organization else cast.staff_person.pk
    assert admin_client.get(admin_url(model, "change", pk)).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 403
