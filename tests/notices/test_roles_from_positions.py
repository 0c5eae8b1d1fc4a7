"""The party-cell secretary and the unit head act in their role by their current head post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kiemdiem.orgs import people
from kiemdiem.reviews.evaluations import access as evaluation_access
from kiemdiem.reviews.selfreview import access as sr_access
from tests.conftest import make_person, make_user
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


def secretary_of(cell, *, until=None):
    person = make_person("Lê Văn Bí", gender="male")
    people.position_add(
        actor=None,
        person=person,
        organization=cell,
        title="Bí thư chi bộ",
        start_date=dt.date(2024, 1, 1),
        level=20,
        is_head=True,
        end_date=until,
    )
    return make_user("bithu2", person)


def test_the_cell_secretary_by_position_sees_and_may_return_a_members_party_review(client, setup):
    secretary = secretary_of(setup.cast.cell)
    assert evaluation_access.can_view(secretary, setup.party)
    assert sr_access.can_return(secretary, setup.party)
    client.force_login(secretary)
    response = client.get(reverse("selfreview_form", args=[setup.party.pk]))
    assert response.status_code == 200


def test_an_ended_head_post_gives_no_role(setup):
    former = secretary_of(setup.cast.cell, until=dt.date(2025, 12, 31))
    assert not evaluation_access.can_view(former, setup.party)
    assert not sr_access.can_return(former, setup.party)
