"""Query counts of the list pages: bounded, and the same for 20 people as for 2,000."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.orgs import people, services
from kiemdiem.orgs.models import Organization, OrgKind, Person, Position

FIRST = ["An", "Bình", "Cúc", "Dũng", "Đào", "Hà", "Hùng", "Lan", "Minh", "Ưng", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Võ"]


def add_people(org: Organization, count: int, *, offset: int = 0) -> None:
    """Bulk rows as the seeder writes them: derived name columns from the service helper."""
    people = []
    for i in range(offset, offset + count):
        name = f"{FAMILY[i % len(FAMILY)]} Văn {FIRST[i % len(FIRST)]}"
        people.append(
            Person(
                gender="male",
                date_of_birth=dt.date(1980, 1, 1),
                identity_number=f"001080{i:06d}",
                employment="cong_chuc",
                **services.person_name_fields(name),
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    created = Person.objects.filter(identity_number__startswith="001080").order_by("id")
    Position.objects.bulk_create(
        [
            Position(
                person=p, organization=org, title="Chuyên viên", start_date=dt.date(2020, 1, 1)
            )
            for p in created[offset : offset + count]
        ],
        batch_size=1000,
    )


def queries_for(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_organization_page_costs_the_same_queries_for_20_and_2000_people(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.approver)
    url = reverse("org_detail", args=[cast.division.pk])
    add_people(cast.division, 18)
    with_20 = queries_for(client, url)
    add_people(cast.division, 1980, offset=18)
    assert Position.objects.filter(organization=cast.division).count() == 2000
    with_2000 = queries_for(client, url)
    assert with_2000 == with_20
    # 13 + the second-factor device + the header's unread-notification count + the viewer's head
    # posts (roles by position).
    with django_assert_max_num_queries(17):  # + the header's statistics link (role check)
        response = client.get(url)
    assert len(response.context["page"].positions) == 2000
    assert response.content.decode().count('data-label="Họ và tên"') == 2000


def test_the_sub_unit_table_costs_the_same_queries_for_any_number_of_sub_units(login, cast):
    client = login(cast.approver)
    url = reverse("org_detail", args=[cast.department.pk])
    before = queries_for(client, url)
    for i in range(30):
        services.organization_create(
            actor=None,
            code=f"P{i}",
            name=f"Phòng {i}",
            kind=OrgKind.DIVISION,
            parent=cast.department,
        )
    assert queries_for(client, url) == before


def test_a_tree_fragment_costs_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.staff)
    url = reverse("org_children", args=[cast.department.pk])
    headers = {"HX-Request": "true"}
    before = queries_for(client, url, headers=headers)
    for i in range(40):
        services.organization_create(
            actor=None,
            code=f"P{i}",
            name=f"Phòng {i}",
            kind=OrgKind.DIVISION,
            parent=cast.department,
        )
    assert queries_for(client, url, headers=headers) == before
    with django_assert_max_num_queries(5):
        client.get(url, headers=headers)


def test_the_person_page_costs_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.approver)
    url = reverse("person_detail", args=[cast.head_person.pk])
    before = queries_for(client, url)
    for i in range(10):
        people.position_add(
            actor=None,
            person=cast.head_person,
            organization=cast.sibling,
            title=f"Chuyên viên {i}",
            start_date=dt.date(2000 + i, 1, 1),
            end_date=dt.date(2000 + i, 12, 31),
        )
    assert queries_for(client, url) == before
    # 15 + the second-factor device + the header's unread-notification count + the viewer's head
    # posts (roles by position).
    with django_assert_max_num_queries(19):  # + the header's statistics link
        client.get(url)


@pytest.mark.parametrize("who", ["staff", "approver"])
def test_people_search_costs_a_fixed_number_of_queries(
    login, cast, who, django_assert_max_num_queries
):
    client = login(getattr(cast, who))
    url = reverse("search")
    add_people(cast.division, 5)
    few = queries_for(client, url, data={"q": "van"})
    add_people(cast.division, 200, offset=5)
    assert queries_for(client, url, data={"q": "van"}) == few
    with django_assert_max_num_queries(12):  # + the header's unread count and statistics link
        client.get(url, {"q": "van"})
