"""Every page for the allowed and the forbidden users of the cast."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kiemdiem.orgs import people
from kiemdiem.orgs.models import PostLevel

PAGES = [
    ("home", None),
    ("org_tree", None),
    ("search", None),
    ("org_create", None),
    ("org_detail", "division"),
    ("org_children", "department"),
    ("org_move", "division"),
    ("person_create", "division"),
    ("person_detail", "staff_person"),
    ("person_edit", "staff_person"),
    ("position_add", "staff_person"),
    ("party_membership_edit", "staff_person"),
]


def url_of(cast, name, attr):
    return reverse(name, args=[getattr(cast, attr).pk]) if attr else reverse(name)


@pytest.mark.parametrize(("name", "attr"), PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast, name, attr):
    url = url_of(cast, name, attr)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_is_in_vietnamese_and_signs_the_user_in(client, cast):
    page = client.get(reverse("login"))
    assert "Tên đăng nhập" in page.content.decode()
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "nhanvien", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_shows_an_error_and_does_not_sign_in(client, cast):
    response = client.post(reverse("login"), {"username": "nhanvien", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logging_out_returns_to_the_login_page(login, cast):
    client = login(cast.staff)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_shows_the_users_roles_units_and_quick_links(login, cast):
    html = login(cast.unit_head).get(reverse("home")).content.decode()
    assert "Xin chào, Trần Văn Đức" in html
    assert "Thủ trưởng đơn vị" in html
    assert "Trưởng phòng" in html
    assert reverse("org_detail", args=[cast.division.pk]) in html
    assert reverse("person_detail", args=[cast.head_person.pk]) in html
    assert f'action="{reverse("search")}"' in html
    # Only personnel and admin roles get the link to create organizations.
    assert reverse("org_create") not in html
    assert reverse("org_create") in login(cast.approver).get(reverse("home")).content.decode()


def test_the_tree_lists_the_roots_with_links_that_work_without_javascript(login, cast):
    html = login(cast.staff).get(reverse("org_tree")).content.decode()
    assert "Đảng bộ tỉnh Hậu Giang" in html
    assert "Ủy ban nhân dân tỉnh Hậu Giang" in html
    assert "Sở Nội vụ" not in html  # children load on demand
    fetch = reverse("org_children", args=[cast.province.pk])
    assert f'hx-get="{fetch}"' in html
    assert f'href="{reverse("org_detail", args=[cast.province.pk])}"' in html


def test_expanding_a_node_returns_only_its_children_as_a_fragment(login, cast):
    client = login(cast.staff)
    url = reverse("org_children", args=[cast.department.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    order = [html.index(n) for n in ("Ban Giám đốc", "Phòng Công chức", "Phòng Tổ chức biên chế")]
    assert order == sorted(order)
    assert "Ủy ban nhân dân tỉnh" not in html


def test_the_children_address_without_htmx_goes_to_the_organization_page(login, cast):
    response = login(cast.staff).get(reverse("org_children", args=[cast.department.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=[cast.department.pk])


def test_searching_organizations_ignores_accents_and_case(login, cast):
    client = login(cast.staff)
    response = client.get(reverse("org_tree"), {"q": "PHONG cong CHUC"})
    names = {o.name for o in response.context["results"]}
    assert names == {"Phòng Công chức", "Chi bộ Phòng Công chức"}
    fragment = client.get(
        reverse("org_tree"),
        {"q": "so noi vu"},
        headers={"HX-Request": "true", "HX-Target": "tree-body"},
    )
    html = fragment.content.decode()
    assert "<html" not in html
    assert "Sở Nội vụ" in html and "Đảng bộ Sở Nội vụ" in html


def test_the_organization_page_shows_facts_sub_units_leadership_and_links(login, cast):
    response = login(cast.approver).get(reverse("org_detail", args=[cast.department.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở, ban, ngành" in html and "Nhà nước" in html
    assert "Ủy ban nhân dân tỉnh Hậu Giang" in html  # breadcrumb and parent
    assert "Đảng bộ Sở Nội vụ" in html  # linked party organization
    assert "Ban Giám đốc Sở Nội vụ" in html  # leadership collective
    children = {c.name: c.people for c in response.context["page"].children}
    assert children == {
        "Ban Giám đốc Sở Nội vụ": 0,
        "Phòng Công chức": 2,
        "Phòng Tổ chức biên chế": 1,
    }


def test_a_party_organization_page_lists_the_agencies_it_leads(login, cast):
    html = login(cast.staff).get(reverse("org_detail", args=[cast.department_party.pk]))
    assert "Cơ quan, đơn vị do tổ chức đảng này lãnh đạo" in html.content.decode()
    assert [o.name for o in html.context["page"].agencies] == ["Sở Nội vụ"]


def test_staff_see_the_people_of_their_own_unit_head_first(login, cast):
    response = login(cast.staff).get(reverse("org_detail", args=[cast.division.pk]))
    names = [p.full_name for p in response.context["page"].positions]
    assert names == ["Trần Văn Đức", "Nguyễn Thị Ánh"]
    assert response.context["show_people"] is True


def test_staff_do_not_see_the_people_of_a_sibling_unit(login, cast):
    response = login(cast.staff).get(reverse("org_detail", args=[cast.sibling.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["show_people"] is False
    assert "Lê Văn Ưng" not in html
    assert "Danh sách cán bộ của đơn vị này chỉ dành cho" in html


def test_the_outsider_does_not_see_the_people_of_the_staff_members_unit(login, cast):
    html = login(cast.outsider).get(reverse("org_detail", args=[cast.division.pk])).content
    assert "Nguyễn Thị Ánh" not in html.decode()


def test_the_personnel_body_sees_the_people_of_every_unit_in_its_scope(login, cast):
    client = login(cast.approver)
    for org, name in [(cast.division, "Nguyễn Thị Ánh"), (cast.sibling, "Lê Văn Ưng")]:
        assert name in client.get(reverse("org_detail", args=[org.pk])).content.decode()


def test_the_people_filter_ignores_accents_and_returns_a_fragment_for_htmx(login, cast):
    client = login(cast.staff)
    url = reverse("org_detail", args=[cast.division.pk])
    response = client.get(url, {"q": "DUC"})
    assert [p.full_name for p in response.context["page"].positions] == ["Trần Văn Đức"]
    fragment = client.get(url, {"q": "anh"}, headers={"HX-Request": "true", "HX-Target": "people"})
    html = fragment.content.decode()
    assert "<html" not in html and "Nguyễn Thị Ánh" in html and "Trần Văn Đức" not in html


def test_a_missing_organization_is_a_404(login, cast):
    assert login(cast.staff).get(reverse("org_detail", args=[999999])).status_code == 404


def test_staff_can_open_a_colleagues_page(login, cast):
    response = login(cast.staff).get(reverse("person_detail", args=[cast.head_person.pk]))
    assert response.status_code == 200
    assert "Trần Văn Đức" in response.content.decode()


def test_the_outsider_gets_403_on_a_person_of_another_unit(login, cast):
    response = login(cast.outsider).get(reverse("person_detail", args=[cast.staff_person.pk]))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_staff_get_403_on_a_person_of_the_sibling_unit(login, cast):
    response = login(cast.staff).get(reverse("person_detail", args=[cast.outsider_person.pk]))
    assert response.status_code == 403


def test_the_person_page_shows_the_record_with_dates_as_dd_mm_yyyy(login, cast):
    response = login(cast.staff).get(reverse("person_detail", args=[cast.staff_person.pk]))
    html = response.content.decode()
    assert "17/05/1985" in html  # birth date
    assert "Nữ" in html and "Công chức" in html
    assert "Chi bộ Phòng Công chức" in html
    assert "02/03/2012" in html and "02/03/2013" in html  # admission, official
    assert "Đang sinh hoạt" in html
    assert response.context["competent"] == cast.division


def test_the_identity_number_is_masked_except_for_personnel_and_the_person_themself(login, cast):
    number = cast.staff_person.identity_number
    masked = number[:3] + "••••••" + number[-3:]
    url = reverse("person_detail", args=[cast.staff_person.pk])
    assert login(cast.unit_head).get(url).context["identity_number"] == masked
    assert masked in login(cast.unit_head).get(url).content.decode()
    assert login(cast.approver).get(url).context["identity_number"] == number
    assert login(cast.staff).get(url).context["identity_number"] == number


def test_the_highest_post_is_derived_and_marked_with_past_posts_listed(login, cast):
    people.position_add(
        actor=None,
        person=cast.head_person,
        organization=cast.board,
        title="Phó Giám đốc",
        level=PostLevel.DEPUTY_DEPARTMENT,
        start_date=dt.date(2023, 1, 1),
    )
    people.position_add(
        actor=None,
        person=cast.head_person,
        organization=cast.sibling,
        title="Chuyên viên",
        start_date=dt.date(2000, 1, 1),
        end_date=dt.date(2010, 12, 31),
    )
    response = login(cast.approver).get(reverse("person_detail", args=[cast.head_person.pk]))
    page = response.context["page"]
    assert page.highest.title == "Phó Giám đốc"
    html = response.content.decode()
    assert html.count("Chức vụ cao nhất") == 1
    assert "01/01/2000 – 31/12/2010" in html
    assert response.context["competent"] == cast.department


def test_staff_find_only_people_in_their_visible_scope(login, cast):
    client = login(cast.staff)
    found = client.get(reverse("search"), {"q": "van"}).context["people"]
    assert [p.full_name for p in found] == ["Trần Văn Đức"]
    found = login(cast.approver).get(reverse("search"), {"q": "van"}).context["people"]
    assert [p.full_name for p in found] == ["Trần Văn Đức", "Lê Văn Ưng"]


def test_people_search_finds_accented_names_from_plain_input_and_returns_a_fragment(login, cast):
    client = login(cast.staff)
    response = client.get(
        reverse("search"),
        {"q": "nguyen thi anh"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    html = response.content.decode()
    assert "<html" not in html and "Nguyễn Thị Ánh" in html and "Phòng Công chức" in html


def test_the_search_page_also_finds_organizations(login, cast):
    response = login(cast.outsider).get(reverse("search"), {"q": "to chuc bien che"})
    assert [o.name for o in response.context["orgs"]] == ["Phòng Tổ chức biên chế"]


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("org_move", "division"),
        ("person_create", "division"),
        ("person_edit", "staff_person"),
        ("position_add", "staff_person"),
        ("party_membership_edit", "staff_person"),
    ],
)
@pytest.mark.parametrize("who", ["staff", "unit_head", "outsider"])
def test_only_personnel_and_admins_open_the_forms(login, cast, name, attr, who):
    client = login(getattr(cast, who))
    assert client.get(url_of(cast, name, attr)).status_code == 403
    assert client.post(url_of(cast, name, attr), {}).status_code == 403


def test_users_without_a_personnel_role_cannot_create_organizations(login, cast):
    assert login(cast.unit_head).get(reverse("org_create")).status_code == 403


def test_the_personnel_body_cannot_manage_outside_its_scope(login, cast):
    client = login(cast.approver)
    assert client.get(reverse("org_move", args=[cast.province.pk])).status_code == 403
    assert client.get(reverse("person_create", args=[cast.cell.pk])).status_code == 403


def test_a_superuser_opens_every_form(login, cast, superuser):
    client = login(superuser)
    for name, attr in PAGES:
        url = url_of(cast, name, attr)
        headers = {"HX-Request": "true"} if name == "org_children" else {}
        assert client.get(url, headers=headers).status_code == 200, url


def test_the_organization_code_suggestions_are_options_for_a_datalist(login, cast):
    response = login(cast.approver).get(
        reverse("org_suggest"), {"parent": "phong"}, headers={"HX-Trigger-Name": "parent"}
    )
    html = response.content.decode()
    assert '<option value="PCC — Phòng Công chức">' in html
    assert '<option value="PTCBC — Phòng Tổ chức biên chế">' in html
