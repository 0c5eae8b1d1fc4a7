"""Organizations and people written through the API (issue 12): the record keepers, through the
pages' services (audited, checking the actor's scope); a person's PATCH carries its version."""

from __future__ import annotations

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import Organization, Person


def org_body(world, **kw):
    return {
        "code": "PKH",
        "name": "Phòng Kế hoạch",
        "kind": "division",
        "parent": world.cast.department.pk,
        **kw,
    }


def test_a_record_keeper_creates_an_organization_in_scope(api, world):
    response = api("tochuc").post("/api/v1/organizations/", org_body(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["code"], body["parent"], body["kind"]) == (
        "PKH",
        world.cast.department.pk,
        "division",
    )
    assert AuditEvent.objects.filter(action="organization.create").exists()


@pytest.mark.parametrize("user", ["nhanvien", "truongphong", "kiemtra", "thamquyen"])
def test_others_cannot_create_organizations(api, world, user):
    response = api(user).post("/api/v1/organizations/", org_body(world))
    assert response.status_code == 403
    assert not Organization.objects.filter(code="PKH").exists()


def test_outside_its_scope_a_record_keeper_is_refused(api, world):
    body = org_body(world, parent=world.cast.province.pk)
    response = api("tochuc").post("/api/v1/organizations/", body)
    assert response.status_code == 422
    assert "parent" in response.json()["error"]["details"]["fields"]
    assert not Organization.objects.filter(code="PKH").exists()


def test_a_duplicate_code_and_a_malformed_body_name_their_fields(api, world):
    dup = api("tochuc").post("/api/v1/organizations/", org_body(world, code="PCC"))
    assert dup.status_code == 422 and "code" in dup.json()["error"]["details"]["fields"]
    bad = api("tochuc").post(
        "/api/v1/organizations/", {"code": "X" * 40, "name": 5, "kind": "club", "parent": 999999}
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["details"]["fields"]) == {"code", "name", "kind", "parent"}


def test_patch_renames_and_moves_an_organization(api, world):
    client = api("tochuc")
    division = world.cast.division
    renamed = client.patch(f"/api/v1/organizations/{division.pk}/", {"name": "Phòng CCVC"})
    assert renamed.status_code == 200, renamed.json()
    assert (renamed.json()["name"], renamed.json()["code"]) == ("Phòng CCVC", "PCC")
    moved = client.patch(
        f"/api/v1/organizations/{division.pk}/",
        {"parent": world.cast.sibling.pk, "reason": "Sáp nhập"},
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["parent"] == world.cast.sibling.pk
    assert {"organization.update", "organization.move"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    refused = api("nhanvien").patch(f"/api/v1/organizations/{division.pk}/", {"name": "X"})
    assert refused.status_code == 403
    assert Organization.objects.get(pk=division.pk).name == "Phòng CCVC"


def test_a_record_keeper_creates_a_person(api, world):
    response = api("tochuc").post(
        "/api/v1/people/",
        {
            "full_name": "Phạm Thị Hoa",
            "gender": "female",
            "date_of_birth": "1990-04-02",
            "identity_number": "001190000123",
            "employment": "cong_chuc",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["positions"] == []
    assert Person.objects.filter(full_name="Phạm Thị Hoa").exists()
    bad = api("tochuc").post(
        "/api/v1/people/",
        {"full_name": "A", "gender": "x", "date_of_birth": "1990-13-01", "identity_number": "1"},
    )
    assert bad.status_code == 422
    assert {"gender", "date_of_birth"} <= set(bad.json()["error"]["details"]["fields"])
    # The body's shape is checked first (422), the rights by the service (403).
    assert api("nhanvien").post("/api/v1/people/", {}).status_code == 422
    refused = api("nhanvien").post(
        "/api/v1/people/",
        {
            "full_name": "Phạm Văn Bình",
            "gender": "male",
            "date_of_birth": "1990-04-02",
            "identity_number": "001090000124",
        },
    )
    assert refused.status_code == 403


def test_a_person_patch_carries_the_version_read(api, world):
    client = api("tochuc")
    url = f"/api/v1/people/{world.cast.staff_person.pk}/"
    version = client.get(url).json()["version"]
    changed = client.patch(url, {"version": version, "phone": "0912345678"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] != version
    stale = client.patch(url, {"version": version, "full_name": "Nguyễn Thị Anh"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert Person.objects.get(pk=world.cast.staff_person.pk).full_name == "Nguyễn Thị Ánh"
    missing = client.patch(url, {"phone": "1"})
    assert missing.status_code == 422
    colleague = api("nhanvien").patch(
        f"/api/v1/people/{world.cast.head_person.pk}/", {"version": version, "phone": "1"}
    )
    assert colleague.status_code == 403
