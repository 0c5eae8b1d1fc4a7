"""The decision workflow's pages × every demo role × an object inside and one outside the
role's sight (issue 9): 200 where the page is the role's, 403 where the role sees the object
but the page is not its (a staff member and the decision page of their own cycle), 404 where
the role cannot see the object at all (a page never confirms that it exists).

The world is the API matrix's (tests/api/conftest.py): cycle 1 over the Tỉnh ủy with five
evaluations; cycle 2 over the sibling division and cycle 3 over the cell, without evaluations.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import world  # noqa: F401  (the API matrix's world, shared)
from tests.api.test_matrix import CYCLES, EVALUATIONS, ROLES, VISIBLE, cycles  # noqa: F401
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

#: The cycle pages, how each is asked for, and whose page it is (for a cycle they can see):
#: the decision page is read by the cycle's viewers and the competent levels, and only the
#: competent levels decide and publish; verification is the personnel body's; the meeting page
#: is for heads of a collective (the unit head, the cell secretary). `quantri` is a superuser.
CYCLE_PAGES = {
    "decision_page": ("get", {"thamquyen", "quantri"}),
    "decision_submit": ("post", {"thamquyen", "quantri"}),
    "decision_publish": ("post", {"thamquyen", "quantri"}),
    "verification_page": ("get", {"tochuc", "quantri"}),
    "meeting_page": ("get", {"truongphong", "bithu", "quantri"}),
}
#: The cycle's viewers beyond `CYCLES`' rule (the inspection committee over the Tỉnh ủy reads
#: the decision page of cycles 1 and 3).
READS_DECISIONS = {("kiemtra", 1), ("kiemtra", 3), ("tochuc", 2)}
#: A refused empty decision is 422, a publication redirects to the decision page.
DONE = {"get": {200}, "post": {302, 422}}


def ask(client, world, user: str, method: str, url: str):  # noqa: F811
    account = world.users[user]
    client.force_login(account)
    verify_second_factor(client, account)
    return getattr(client, method)(url)


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("number", (1, 2, 3))
@pytest.mark.parametrize("page", CYCLE_PAGES)
def test_the_cycle_pages(client, world, cycles, user, number, page):  # noqa: F811
    method, owners = CYCLE_PAGES[page]
    response = ask(client, world, user, method, reverse(page, args=[cycles[number].pk]))
    if number not in CYCLES[user]:
        assert response.status_code == 404
    elif user in owners or (page == "decision_page" and (user, number) in READS_DECISIONS):
        assert response.status_code in DONE[method]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("name", EVALUATIONS)
def test_the_history_page_inside_sight_or_404(client, world, user, name):  # noqa: F811
    evaluation = getattr(world, name)
    response = ask(client, world, user, "get", reverse("evaluation_history", args=[evaluation.pk]))
    assert response.status_code == (200 if name in VISIBLE[user] else 404)
    if response.status_code == 200:
        assert str(evaluation) in response.content.decode()


@pytest.mark.parametrize("user", ROLES)
def test_a_missing_cycle_or_evaluation_is_404(client, world, user):  # noqa: F811
    for page, (method, _owners) in CYCLE_PAGES.items():
        assert ask(client, world, user, method, reverse(page, args=[999_999])).status_code == 404
    url = reverse("evaluation_history", args=[999_999])
    assert ask(client, world, user, "get", url).status_code == 404


def test_a_petition_from_the_history_page_of_an_unseen_evaluation_is_404(client, world):  # noqa: F811
    url = reverse("evaluation_history", args=[world.outside.pk])
    response = ask(client, world, "nhanvien", "post", url)
    assert response.status_code == 404
