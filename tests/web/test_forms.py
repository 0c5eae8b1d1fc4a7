"""The forms: allowed users write through the services; bad input shows the service's exact
Vietnamese message next to its field and writes nothing (rows and audit events unchanged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs import people
from kiemdiem.orgs.models import Organization, OrgKind, PartyMembership, Person, Position
from tests.web.conftest import errors_of, row_counts


def person_data(**overrides) -> dict[str, str]:
    data = {
        "full_name": "Phạm Thị Hồng",
        "gender": "female",
        "date_of_birth": "17/05/1985",
        "identity_number": "001185004321",
        "employment": "cong_chuc",
        "title": "Chuyên viên",
        "level": "0",
        "start_date": "01/03/2024",
    }
    return {**data, **overrides}


def test_the_personnel_body_adds_a_person_with_a_first_post_in_a_unit(login, cast):
    before = row_counts()
    response = login(cast.approver).post(
        reverse("person_create", args=[cast.division.pk]), person_data()
    )
    person = Person.objects.get(identity_number="001185004321")
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert person.date_of_birth == dt.date(1985, 5, 17)
    assert person.full_name == "Phạm Thị Hồng"
    post = person.positions.get()
    assert (post.organization, post.title, post.start_date) == (
        cast.division,
        "Chuyên viên",
        dt.date(2024, 3, 1),
    )
    after = row_counts()
    assert (after["people"], after["positions"], after["audit"]) == (
        before["people"] + 1,
        before["positions"] + 1,
        before["audit"] + 2,
    )


def test_the_person_form_shows_dates_as_dd_mm_yyyy(login, cast):
    html = login(cast.approver).get(reverse("person_edit", args=[cast.staff_person.pk]))
    assert 'value="17/05/1985"' in html.content.decode()


@pytest.mark.parametrize(
    "typed", ["17/05/1985", "17-05-1985", "17.05.1985", "17051985", "1985-05-17"]
)
def test_dates_are_read_day_first_in_the_usual_spellings(login, cast, typed):
    login(cast.approver).post(
        reverse("person_create", args=[cast.division.pk]), person_data(date_of_birth=typed)
    )
    person = Person.objects.get(identity_number="001185004321")
    assert person.date_of_birth == dt.date(1985, 5, 17)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"identity_number": "12345"},
            "identity_number",
            "Số CCCD “12345” phải gồm đúng 12 chữ số.",
        ),
        (
            {"identity_number": "003185004321"},
            "identity_number",
            "Số CCCD “003185004321”: mã tỉnh “003” không tồn tại.",
        ),
        (
            {"identity_number": "001085004321"},
            "identity_number",
            "Số CCCD “001085004321”: chữ số thứ 4 (0) không khớp giới tính và thế kỷ năm sinh "
            "(phải là 1).",
        ),
        (
            {"date_of_birth": "01/01/2099", "identity_number": "001399004321"},
            "date_of_birth",
            "Ngày sinh 01/01/2099 ở tương lai.",
        ),
        (
            {"date_of_birth": "31/02/1985"},
            "date_of_birth",
            "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 17/05/1985.",
        ),
        (
            {"full_name": "Hồng"},
            "full_name",
            "Họ và tên phải có ít nhất họ và tên (ví dụ “Nguyễn An”).",
        ),
        ({"gender": ""}, "gender", "Giới tính phải là Nam hoặc Nữ."),
        ({"title": ""}, "title", "Chức danh không được để trống."),
    ],
)
def test_adding_a_person_with_bad_input_shows_the_message_and_writes_nothing(
    login, cast, overrides, field, message
):
    before = row_counts()
    response = login(cast.approver).post(
        reverse("person_create", args=[cast.division.pk]), person_data(**overrides)
    )
    assert response.status_code == 200
    assert errors_of(response, field) == [message]
    assert message in response.content.decode()
    assert row_counts() == before


def test_adding_a_person_with_a_duplicate_identity_number_writes_nothing(login, cast):
    taken = cast.outsider_person.identity_number
    before = row_counts()
    response = login(cast.approver).post(
        reverse("person_create", args=[cast.division.pk]),
        person_data(
            gender="male", date_of_birth="09/09/1990", identity_number=taken, full_name="Lê Văn Hải"
        ),
    )
    assert errors_of(response, "identity_number") == [
        f"Số CCCD “{taken}” đã thuộc về một người khác."
    ]
    assert row_counts() == before


def test_editing_a_person_saves_through_the_service(login, cast):
    client = login(cast.approver)
    url = reverse("person_edit", args=[cast.staff_person.pk])
    form = client.get(url).context["form"]
    data = {**{k: form[k].value() for k in form.fields}, "full_name": "Nguyễn  Thị Ánh Hồng"}
    data["date_of_birth"] = "17/05/1985"
    response = client.post(url, data)
    assert response["Location"] == reverse("person_detail", args=[cast.staff_person.pk])
    cast.staff_person.refresh_from_db()
    assert cast.staff_person.full_name == "Nguyễn Thị Ánh Hồng"
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_a_concurrent_edit_is_detected_and_nothing_is_overwritten(login, cast):
    client = login(cast.approver)
    url = reverse("person_edit", args=[cast.staff_person.pk])
    form = client.get(url).context["form"]
    data = {k: form[k].value() for k in form.fields}
    data["date_of_birth"] = "17/05/1985"
    assert data["version"] == cast.staff_person.updated_at.isoformat()
    assert f'name="version" value="{data["version"]}"' in client.get(url).content.decode()
    # Someone else (here an import run on the server) saves the record between our GET and our
    # POST.
    people.person_update(actor=None, person=cast.staff_person, phone="0912345678")
    before = row_counts()
    response = client.post(url, {**data, "full_name": "Nguyễn Thị Ánh Mới"})
    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Hồ sơ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại thay đổi."
    ]
    cast.staff_person.refresh_from_db()
    assert cast.staff_person.full_name == "Nguyễn Thị Ánh"
    assert cast.staff_person.phone == "0912345678"
    assert row_counts() == before


def test_editing_a_person_without_the_version_field_is_refused(login, cast):
    client = login(cast.approver)
    url = reverse("person_edit", args=[cast.staff_person.pk])
    form = client.get(url).context["form"]
    data = {k: form[k].value() for k in form.fields if k != "version"}
    data["date_of_birth"] = "17/05/1985"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def position_data(**overrides) -> dict[str, str]:
    data = {
        "organization": "PTCBC",
        "title": "Phó Trưởng phòng",
        "level": "10",
        "start_date": "01/01/2020",
        "end_date": "",
    }
    return {**data, **overrides}


def test_the_personnel_body_adds_a_post_chosen_by_code_or_by_suggestion(login, cast):
    client = login(cast.approver)
    url = reverse("position_add", args=[cast.staff_person.pk])
    response = client.post(url, position_data(organization="PTCBC — Phòng Tổ chức biên chế"))
    assert response["Location"] == reverse("person_detail", args=[cast.staff_person.pk])
    post = Position.objects.get(title="Phó Trưởng phòng")
    assert (post.organization, post.level) == (cast.sibling, 10)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "01/01/2020", "end_date": "31/12/2019"},
            "end_date",
            "Ngày kết thúc 31/12/2019 trước ngày bắt đầu 01/01/2020.",
        ),
        ({"organization": "KHONGCO"}, "organization", "Không có tổ chức nào mang mã “KHONGCO”."),
        (
            {"organization": "TU"},
            "organization",
            "Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”.",
        ),
        (
            {"organization": "PCC", "is_head": "on", "level": "20"},
            "is_head",
            "“Phòng Công chức” đã có người đứng đầu: Trần Văn Đức.",
        ),
        ({"start_date": ""}, "start_date", "Ngày bắt đầu không được để trống."),
    ],
)
def test_adding_a_bad_post_shows_the_message_and_writes_nothing(
    login, cast, overrides, field, message
):
    before = row_counts()
    response = login(cast.approver).post(
        reverse("position_add", args=[cast.staff_person.pk]), position_data(**overrides)
    )
    assert response.status_code == 200
    assert errors_of(response, field) == [message]
    assert row_counts() == before


@pytest.fixture
def party_personnel(cast):
    """The approver keeps the records of the department's party committee too: a party cell is
    named only by someone whose scope holds it (the cell is in the party tree, the department in
    the People's Committee tree)."""
    RoleAssignment.objects.create(
        user=cast.approver, role=Role.PERSONNEL, organization=cast.department_party
    )
    return cast.approver


def test_the_personnel_body_sets_a_party_membership(login, cast, party_personnel):
    response = login(cast.approver).post(
        reverse("party_membership_edit", args=[cast.head_person.pk]),
        {"cell": "CB-PCC", "admitted_on": "19/05/2000", "official_on": "", "status": "active"},
    )
    assert response["Location"] == reverse("person_detail", args=[cast.head_person.pk])
    membership = PartyMembership.objects.get(person=cast.head_person)
    assert (membership.cell, membership.admitted_on, membership.official_on) == (
        cast.cell,
        dt.date(2000, 5, 19),
        None,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"official_on": "01/01/2010"},
            "official_on",
            "Ngày chính thức 01/01/2010 trước ngày vào Đảng 19/05/2011.",
        ),
        ({"admitted_on": ""}, "admitted_on", "Ngày vào Đảng không được để trống."),
        (
            {"cell": "SNV"},
            "cell",
            "“Sở Nội vụ” không phải là chi bộ hoặc đảng bộ nơi sinh hoạt.",
        ),
    ],
)
def test_a_bad_party_membership_shows_the_message_and_writes_nothing(
    login, cast, party_personnel, overrides, field, message
):
    data = {"cell": "CB-PCC", "admitted_on": "19/05/2011", "official_on": "", "status": "active"}
    before = row_counts()
    response = login(cast.approver).post(
        reverse("party_membership_edit", args=[cast.staff_person.pk]), {**data, **overrides}
    )
    assert errors_of(response, field) == [message]
    assert row_counts() == before
    assert PartyMembership.objects.get(person=cast.staff_person).admitted_on == dt.date(2012, 3, 2)


def test_the_personnel_body_creates_a_sub_unit_with_a_leadership_link(login, cast):
    client = login(cast.approver)
    form_html = client.get(reverse("org_create"), {"parent": "SNV"}).content.decode()
    assert 'value="SNV"' in form_html
    response = client.post(
        reverse("org_create"),
        {
            "code": "PKT",
            "name": "Phòng Kế toán",
            "kind": OrgKind.DIVISION,
            "parent": "SNV",
            "party_organization": "",
            "leads": "",
        },
    )
    org = Organization.objects.get(code="PKT")
    assert response["Location"] == reverse("org_detail", args=[org.pk])
    assert (org.parent, org.path) == (cast.department, cast.department.path + f"{org.pk:07d}.")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "PCC"}, "code", "Mã tổ chức “PCC” đã được dùng."),
        (
            {"kind": OrgKind.LEADERSHIP},
            "leads",
            "Tập thể lãnh đạo, quản lý phải gắn với tổ chức mà nó lãnh đạo.",
        ),
        (
            {"party_organization": "SNV"},
            "party_organization",
            "“Sở Nội vụ” không phải là tổ chức đảng.",
        ),
        (
            {"parent": ""},
            "parent",
            "Nhập mã đơn vị cấp trên: chỉ quản trị hệ thống mới tạo được gốc của cây.",
        ),
        (
            {"parent": "UBND"},
            "parent",
            "Bạn không có quyền quản lý “Ủy ban nhân dân tỉnh Hậu Giang”.",
        ),
        ({"name": "  "}, "name", "Tên tổ chức không được để trống."),
    ],
)
def test_creating_a_bad_organization_shows_the_message_and_writes_nothing(
    login, cast, overrides, field, message
):
    data = {
        "code": "PKT",
        "name": "Phòng Kế toán",
        "kind": OrgKind.DIVISION,
        "parent": "SNV",
        "party_organization": "",
        "leads": "",
    }
    before = row_counts()
    response = login(cast.approver).post(reverse("org_create"), {**data, **overrides})
    assert errors_of(response, field) == [message]
    assert row_counts() == before


def test_a_superuser_creates_a_root(login, cast, superuser):
    login(superuser).post(
        reverse("org_create"),
        {"code": "MTTQ", "name": "Ủy ban MTTQ tỉnh", "kind": OrgKind.FRONT, "parent": ""},
    )
    assert Organization.objects.get(code="MTTQ").parent is None


def test_moving_an_organization_rewrites_its_subtree(login, cast):
    response = login(cast.approver).post(
        reverse("org_move", args=[cast.sibling.pk]), {"parent": "PCC", "reason": "Sáp nhập"}
    )
    assert response["Location"] == reverse("org_detail", args=[cast.sibling.pk])
    cast.sibling.refresh_from_db()
    assert cast.sibling.parent == cast.division
    assert cast.sibling.path.startswith(cast.division.path)
    assert AuditEvent.objects.get(action="organization.move").reason == "Sáp nhập"


def test_moving_an_organization_under_its_own_descendant_is_refused(login, cast):
    before = row_counts()
    paths = list(Organization.objects.values_list("pk", "path", "parent_id"))
    response = login(cast.approver).post(
        reverse("org_move", args=[cast.department.pk]), {"parent": "PCC", "reason": ""}
    )
    assert errors_of(response, "parent") == [
        "Không thể chuyển “Sở Nội vụ” vào “Phòng Công chức”: đơn vị cấp trên không được là chính "
        "nó hoặc đơn vị trực thuộc của nó."
    ]
    assert row_counts() == before
    assert list(Organization.objects.values_list("pk", "path", "parent_id")) == paths


def test_moving_an_organization_outside_ones_scope_is_refused(login, cast):
    before = row_counts()
    response = login(cast.approver).post(
        reverse("org_move", args=[cast.sibling.pk]), {"parent": "UBND", "reason": ""}
    )
    assert errors_of(response, "parent") == [
        "Bạn không có quyền quản lý “Ủy ban nhân dân tỉnh Hậu Giang”."
    ]
    assert row_counts() == before
