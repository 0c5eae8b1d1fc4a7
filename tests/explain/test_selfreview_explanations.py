"""The self-review page and its live preview explain the suggestion in Vietnamese, with links."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import PARTY_FULL, add_task
from tests.reviews.selfreview.test_views import HTMX, form_data

_fast_hashers = support._fast_hashers


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


def reasons_html(body: str) -> str:
    found = re.search(r'<ul class="sr-reasons">(.*?)</ul>', body, re.S)
    assert found, "no explanation on the page"
    return found.group(1)


def test_the_party_form_explains_in_vietnamese_on_the_page_and_after_each_update(client, setup):
    add_task(setup.cast.staff_person, setup.cast.division)
    client.force_login(setup.cast.staff)
    party = setup.party
    preview = reverse("selfreview_preview", args=[party.pk])
    first = reasons_html(
        client.post(preview, form_data(party, criteria=PARTY_FULL)).content.decode()
    )
    again = reasons_html(
        client.post(preview, form_data(party, criteria=PARTY_FULL), **HTMX).content.decode()
    )
    for text in (first, again):
        assert "Quy định 366-QĐ/TW" in text
        assert 'href="/quy-dinh/366-' in text
        assert not re.search(r"\b(score|done|on time|exceeded)\b", text)
        assert 'class="badge mono"' not in text  # no rule code shown as such
    assert first == again
