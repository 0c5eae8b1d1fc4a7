import datetime as dt

from kiemdiem.orgs.models import Organization, OrgKind, Person, Position
from kiemdiem.roster.inserts import insert_rows
from kiemdiem.roster.services import PERSON_GIVEN, _person_values
from tests.roster.helpers import basic_sheets, write_xlsx


def _person(number: str, name: str) -> dict:
    class Row:
        gender, date_of_birth, identity_number = "nam", dt.date(1980, 1, 2), number
        employment, email, phone, full_name = "", "", "", name

    return _person_values(Row)


def test_insert_rows_returns_the_new_ids_in_row_order_and_fills_defaults(db):
    Person.objects.create(**_person("001080000009", "Có Sẵn"))  # ids do not start at 1
    rows = [_person(f"0010800000{i:02d}", f"Nguyễn Văn {n}") for i, n in enumerate("ABC")]
    ids = insert_rows(Person, PERSON_GIVEN, rows)
    assert len(set(ids)) == 3
    for pk, row in zip(ids, rows, strict=True):
        person = Person.objects.get(pk=pk)
        assert person.identity_number == row["identity_number"]
        assert person.full_name == row["full_name"] and person.date_of_birth == dt.date(1980, 1, 2)
        assert person.created_at is not None and person.updated_at is not None
        assert person.user_id is None


def test_insert_rows_keeps_dates_and_nulls_of_posts(db):
    org = Organization.objects.create(code="X", name="Xã", kind=OrgKind.choices[0][0], path="")
    pk = insert_rows(Person, PERSON_GIVEN, [_person("001080000001", "Lê Thị Hoa")])[0]
    given = ["person_id", "organization_id", "title", "level", "is_head", "start_date", "end_date"]
    row = dict(
        zip(given, [pk, org.pk, "Chủ tịch", 10, True, dt.date(2020, 3, 4), None], strict=True)
    )
    [post_id] = insert_rows(Position, given, [row])
    post = Position.objects.get(pk=post_id)
    assert (post.person_id, post.organization_id, post.is_head) == (pk, org.pk, True)
    assert post.start_date == dt.date(2020, 3, 4) and post.end_date is None


def test_an_import_links_each_post_to_its_own_person(db, tmp_path):
    from kiemdiem.roster.services import roster_import

    roster_import(actor=None, path=write_xlsx(tmp_path / "ds.xlsx", basic_sheets()))
    for post in Position.objects.select_related("person"):
        assert post.person.identity_number in {"001185000001", "001075000002"}
    head = Position.objects.get(is_head=True)
    assert head.person.identity_number == "001075000002"
