"""Vietnamese order and accent-insensitive search, with names that trip naive code."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import pytest
from django.urls import reverse

from kiemdiem.orgs import people
from kiemdiem.orgs.models import OrgKind, Person
from tests.conftest import make_org, make_person

# The official-list order: given name, then middle, then family; Vietnamese letters (đ after d,
# ư after u); tones only after all letters, so "Nguyễn Thị Ánh" precedes "Phan Thị Anh".
EXPECTED = [
    "Lê Thị An",
    "Nguyễn Văn An",
    "Trần Văn An",
    "Phan Thị Anh",
    "Phan Thị Ánh",
    "Lê Văn Dũng",
    "Phạm Văn Dương",
    "Trần Thị Đào",
    "Vũ Thị Uyên",
    "Hoàng Văn Ưng",
    "Ngô Văn Vinh",
]


@pytest.fixture
def unit(cast):
    unit = make_org("PTN", "Phòng Thử nghiệm", OrgKind.DIVISION, cast.department)
    names = EXPECTED[:]
    random.Random(7).shuffle(names)
    for i, name in enumerate(names):
        # Half of the names arrive decomposed (NFD), as from some keyboards and old files.
        raw = unicodedata.normalize("NFD", name) if i % 2 else name
        person = make_person(raw, born=dt.date(1980 + i, 1, 1))
        people.position_add(
            actor=None,
            person=person,
            organization=unit,
            title="Chuyên viên",
            start_date=dt.date(2020, 1, 1),
        )
    return unit


def test_the_unit_list_is_in_vietnamese_order(login, cast, unit):
    response = login(cast.approver).get(reverse("org_detail", args=[unit.pk]))
    names = [p.full_name for p in response.context["page"].positions]
    assert names == EXPECTED
    html = response.content.decode()
    positions = [html.index(f">{name}</a>") for name in EXPECTED]
    assert positions == sorted(positions)


def test_decomposed_input_is_stored_composed(cast, unit):
    stored = list(Person.objects.values_list("full_name", flat=True))
    assert all(unicodedata.is_normalized("NFC", name) for name in stored)
    assert "Trần Thị Đào" in stored


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dao", ["Trần Thị Đào"]),
        ("ĐÀO", ["Trần Thị Đào"]),
        (unicodedata.normalize("NFD", "Trần Thị Đào"), ["Trần Thị Đào"]),
        ("thi anh", ["Phan Thị Anh", "Phan Thị Ánh"]),
        ("THỊ ÁNH", ["Phan Thị Anh", "Phan Thị Ánh"]),
        ("van an", ["Nguyễn Văn An", "Trần Văn An"]),
        ("  ưng ", ["Lê Văn Dũng", "Hoàng Văn Ưng"]),  # ư folds to u, like every mark
    ],
)
def test_the_unit_filter_ignores_accents_case_and_normalization(login, cast, unit, query, expected):
    response = login(cast.approver).get(reverse("org_detail", args=[unit.pk]), {"q": query})
    assert [p.full_name for p in response.context["page"].positions] == expected


def test_people_search_finds_nguyen_van_an_from_plain_ascii(login, cast, unit):
    found = login(cast.approver).get(reverse("search"), {"q": "nguyen van an"}).context["people"]
    assert [p.full_name for p in found] == ["Nguyễn Văn An"]


def test_people_search_orders_letters_before_tones_across_the_whole_name(login, cast, unit):
    found = login(cast.approver).get(reverse("search"), {"q": "thi anh"}).context["people"]
    # The cast's "Nguyễn Thị Ánh" (another unit) comes before "Phan Thị Anh": n < p outranks
    # the tone of the given name.
    assert [p.full_name for p in found] == ["Nguyễn Thị Ánh", "Phan Thị Anh", "Phan Thị Ánh"]


def test_people_search_with_a_decomposed_query_finds_the_composed_name(login, cast, unit):
    query = unicodedata.normalize("NFD", "Hoàng Văn Ưng")
    found = login(cast.approver).get(reverse("search"), {"q": query}).context["people"]
    assert [p.full_name for p in found] == ["Hoàng Văn Ưng"]


def test_people_search_lists_every_d_name_before_dao(login, cast, unit):
    found = login(cast.approver).get(reverse("search"), {"q": "d"}).context["people"]
    names = [p.full_name for p in found]
    assert names.index("Trần Thị Đào") > max(
        names.index("Lê Văn Dũng"), names.index("Phạm Văn Dương")
    )
    assert names.index("Trần Văn Đức") > names.index("Trần Thị Đào")  # Đào < Đức


def test_a_name_typed_decomposed_in_the_form_is_stored_composed_and_found(login, cast):
    client = login(cast.approver)
    client.post(
        reverse("person_create", args=[cast.division.pk]),
        {
            "full_name": unicodedata.normalize("NFD", "Đặng Thị Ưởng"),
            "gender": "female",
            "date_of_birth": "01/02/1990",
            "identity_number": "001190001234",
            "employment": "vien_chuc",
            "title": "Kế toán",
            "level": "0",
            "start_date": "01/01/2021",
        },
    )
    person = Person.objects.get(identity_number="001190001234")
    assert person.full_name == "Đặng Thị Ưởng"
    assert unicodedata.is_normalized("NFC", person.full_name)
    found = client.get(reverse("search"), {"q": "dang thi uong"}).context["people"]
    assert [p.full_name for p in found] == ["Đặng Thị Ưởng"]
