import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs import people, selectors, services
from kiemdiem.orgs.models import Organization, OrgKind, Person, Position, PostLevel
from tests.conftest import make_identity_number, make_person


def messages(exc: ValidationError) -> dict:
    return exc.message_dict


def test_creating_a_person_stores_nfc_name_parts_and_audits(db):
    raw = unicodedata.normalize("NFD", "Nguyễn  Thị Ánh")
    person = make_person(raw)
    assert person.full_name == "Nguyễn Thị Ánh"
    assert (person.family_name, person.middle_name, person.given_name) == ("Nguyễn", "Thị", "Ánh")
    assert person.search_key == "nguyen thi anh"
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).count() == 1


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("12345", "Số CCCD “12345” phải gồm đúng 12 chữ số."),
        ("00118500000A", "Số CCCD “00118500000A” phải gồm đúng 12 chữ số."),
        ("003185000001", "Số CCCD “003185000001”: mã tỉnh “003” không tồn tại."),
        (
            "001085000001",
            "Số CCCD “001085000001”: chữ số thứ 4 (0) không khớp giới tính và thế kỷ năm sinh "
            "(phải là 1).",
        ),
        (
            "001190000001",
            "Số CCCD “001190000001”: chữ số thứ 5–6 (90) không khớp năm sinh 1985.",
        ),
    ],
)
def test_a_bad_identity_number_is_rejected_with_a_clear_message_and_nothing_written(
    db, number, message
):
    with pytest.raises(ValidationError) as exc:
        people.person_create(
            actor=None,
            full_name="Trần Thị Hoa",
            gender="female",
            date_of_birth=dt.date(1985, 1, 1),
            identity_number=number,
        )
    assert messages(exc.value)["identity_number"] == [message]
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_duplicate_identity_number_is_rejected(db):
    born = dt.date(1985, 1, 1)
    number = make_identity_number("female", born)
    people.person_create(
        actor=None,
        full_name="Trần Thị Hoa",
        gender="female",
        date_of_birth=born,
        identity_number=number,
    )
    with pytest.raises(ValidationError) as exc:
        people.person_create(
            actor=None,
            full_name="Lê Thị Hoa",
            gender="female",
            date_of_birth=born,
            identity_number=number,
        )
    assert messages(exc.value)["identity_number"] == [
        f"Số CCCD “{number}” đã thuộc về một người khác."
    ]
    assert Person.objects.count() == 1


def test_a_birth_date_in_the_future_is_rejected(db):
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        people.person_create(
            actor=None,
            full_name="Trần Thị Hoa",
            gender="female",
            date_of_birth=future,
            identity_number="001100000001",
        )
    assert messages(exc.value)["date_of_birth"] == [f"Ngày sinh {future:%d/%m/%Y} ở tương lai."]


def test_a_position_ending_before_it_starts_is_rejected_and_nothing_written(cast):
    before = Position.objects.count()
    with pytest.raises(ValidationError) as exc:
        people.position_add(
            actor=None,
            person=cast.staff_person,
            organization=cast.sibling,
            title="Chuyên viên",
            start_date=dt.date(2024, 5, 1),
            end_date=dt.date(2024, 4, 30),
        )
    assert messages(exc.value)["end_date"] == [
        "Ngày kết thúc 30/04/2024 trước ngày bắt đầu 01/05/2024."
    ]
    assert Position.objects.count() == before


def test_a_unit_cannot_have_two_current_heads(cast):
    with pytest.raises(ValidationError) as exc:
        people.position_add(
            actor=None,
            person=cast.staff_person,
            organization=cast.division,
            title="Trưởng phòng",
            level=PostLevel.HEAD_DIVISION,
            is_head=True,
            start_date=dt.date(2024, 1, 1),
        )
    assert messages(exc.value)["is_head"] == [
        "“Phòng Công chức” đã có người đứng đầu: Trần Văn Đức."
    ]


def test_moving_an_organization_under_its_own_descendant_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.organization_move(
            actor=None, organization=cast.department, new_parent=cast.division
        )
    assert messages(exc.value)["parent"] == [
        "Không thể chuyển “Sở Nội vụ” vào “Phòng Công chức”: đơn vị cấp trên không được là chính nó "
        "hoặc đơn vị trực thuộc của nó."
    ]
    cast.division.refresh_from_db()
    assert cast.division.path.startswith(cast.department.path)


def test_moving_a_subtree_rewrites_every_descendant_path_and_depth(cast):
    services.organization_move(
        actor=None, organization=cast.department, new_parent=cast.province_party
    )
    for org in Organization.objects.filter(
        pk__in=[cast.department.pk, cast.division.pk, cast.board.pk]
    ):
        assert org.path.startswith(Organization.objects.get(pk=cast.province_party.pk).path)
    cast.division.refresh_from_db()
    assert cast.division.depth == 2
    assert AuditEvent.objects.filter(action="organization.move").count() == 1


def test_a_leadership_collective_must_lead_an_organization(db):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(
            actor=None, code="LD", name="Ban Giám đốc", kind=OrgKind.LEADERSHIP
        )
    assert "leads" in messages(exc.value)


def test_party_membership_needs_a_party_cell_and_ordered_dates(cast):
    with pytest.raises(ValidationError) as exc:
        people.party_membership_set(
            actor=None,
            person=cast.outsider_person,
            cell=cast.division,
            admitted_on=dt.date(2015, 1, 1),
            official_on=dt.date(2014, 1, 1),
        )
    errors = messages(exc.value)
    assert errors["cell"] == ["“Phòng Công chức” không phải là chi bộ hoặc đảng bộ nơi sinh hoạt."]
    assert errors["official_on"] == ["Ngày chính thức 01/01/2014 trước ngày vào Đảng 01/01/2015."]


def test_the_highest_post_is_derived_from_current_positions(cast):
    people.position_add(
        actor=None,
        person=cast.staff_person,
        organization=cast.cell,
        title="Bí thư chi bộ",
        level=PostLevel.HEAD_DIVISION,
        is_head=True,
        start_date=dt.date(2023, 1, 1),
    )
    page = selectors.person_page(cast.staff_person)
    assert page.highest.title == "Bí thư chi bộ"
    assert len([p for p in page.positions if p.end_date is None]) == 2


def test_concurrent_person_edits_are_detected(cast):
    person = Person.objects.get(pk=cast.staff_person.pk)
    version = person.updated_at.isoformat()
    people.person_update(actor=None, person=person, phone="0912345678", expected_version=version)
    with pytest.raises(ValidationError) as exc:
        people.person_update(
            actor=None, person=person, phone="0987654321", expected_version=version
        )
    assert "vừa được người khác cập nhật" in exc.value.messages[0]
    assert Person.objects.get(pk=person.pk).phone == "0912345678"


def test_competent_level_defaults_to_the_parent_of_a_leaders_unit(cast):
    assert selectors.competent_level_for_person(cast.head_person) == cast.department
    services.cadre_management_set(actor=None, manager=cast.province, person=cast.head_person)
    assert selectors.competent_level_for_person(cast.head_person) == cast.province
    assert selectors.competent_level_for_organization(cast.board) == cast.province
