"""Organizations and people, read-only (issue 12, beyond the floor)."""

from __future__ import annotations

import pytest

from kiemdiem.orgs.models import Person


def test_an_organization_has_its_tree_links(api, world):
    cast = world.cast
    response = api("nhanvien").get(f"/api/v1/organizations/{cast.board.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": cast.board.pk,
        "code": "BGD-SNV",
        "name": "Ban Giám đốc Sở Nội vụ",
        "short_name": "",
        "kind": "leadership",
        "parent": cast.department.pk,
        "party_organization": None,
        "leads": cast.department.pk,
        "is_active": True,
    }


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"parent": "department"}, ["BGD-SNV", "PCC", "PTCBC"]),
        ({"under": "department"}, ["SNV", "BGD-SNV", "PCC", "PTCBC"]),
        ({"kind": "division"}, ["PCC", "PTCBC"]),
        ({"q": "cong chuc"}, ["CB-PCC", "PCC"]),
    ],
)
def test_the_organization_list_filters(api, world, query, names):
    query = {
        k: getattr(world.cast, v).pk if k in ("parent", "under") else v for k, v in query.items()
    }
    body = api("nhanvien").get("/api/v1/organizations/", query).json()
    assert sorted(r["code"] for r in body["results"]) == sorted(names)
    assert body["count"] == len(names)


def test_a_person_shows_current_posts_and_party_cell_but_no_identity_number(api, world):
    cast = world.cast
    response = api("truongphong").get(f"/api/v1/people/{cast.staff_person.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": cast.staff_person.pk,
        "full_name": "Nguyễn Thị Ánh",
        "gender": "female",
        "employment": "cong_chuc",
        "positions": [
            {
                "organization": {"id": cast.division.pk, "name": "Phòng Công chức"},
                "title": "Chuyên viên",
                "is_head": False,
                "start_date": "2020-01-01",
            }
        ],
        "party_cell": {"id": cast.cell.pk, "name": "Chi bộ Phòng Công chức"},
        "version": Person.objects.get(pk=cast.staff_person.pk).updated_at.isoformat(),
    }


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("nhanvien", ["Nguyễn Thị Ánh", "Trần Văn Đức"]),  # themself and colleagues
        ("truongphong", ["Nguyễn Thị Ánh", "Trần Văn Đức"]),
        ("tochuc", ["Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Văn Ưng"]),
        ("bithu", ["Nguyễn Thị Ánh"]),  # the cell's member
        ("kiemtra", ["Nguyễn Thị Ánh"]),
    ],
)
def test_the_people_list_holds_only_visible_people(api, world, user, names):
    body = api(user).get("/api/v1/people/").json()
    assert sorted(r["full_name"] for r in body["results"]) == sorted(names)
    assert body["count"] == len(names)


def test_a_person_out_of_sight_is_404(api, world):
    response = api("truongphong").get(f"/api/v1/people/{world.cast.outsider_person.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_people_list_filters_by_subtree_and_name(api, world):
    client = api("tochuc")
    body = client.get("/api/v1/people/", {"organization": world.cast.sibling.pk}).json()
    assert [r["full_name"] for r in body["results"]] == ["Lê Văn Ưng"]
    body = client.get("/api/v1/people/", {"q": "duc"}).json()
    assert [r["full_name"] for r in body["results"]] == ["Trần Văn Đức"]


def test_the_people_list_query_count_is_bounded(api, world, django_assert_max_num_queries):
    client = api("quantri")
    # token + last-used, count, page, positions prefetch
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/people/", {"page_size": 500}).json()["count"] == 3
