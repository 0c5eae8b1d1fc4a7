"""A person not classified this cycle is not asked to pick a level and cannot submit the form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kiemdiem.reviews.models import Evaluation, SelfReview
from kiemdiem.reviews.selfreview import services as sr
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import PARTY_FULL, add_task, sections_for

_fast_hashers = support._fast_hashers
REASON = "Vào Đảng ngày 17/07/2026, chưa đủ 6 tháng"


@pytest.fixture
def setup(cast) -> support.Setup:
    s = support.make_setup(cast)
    Evaluation.objects.filter(pk=s.party.pk).update(excluded=True, exclusion_reason=REASON)
    s.party.refresh_from_db()
    return s


def test_the_form_says_why_and_offers_no_level_and_no_submit(client, setup):
    client.force_login(setup.cast.staff)
    page = client.get(reverse("selfreview_form", args=[setup.party.pk])).content.decode()
    assert f"Đồng chí không xếp loại trong đợt này ({REASON})" in page
    assert 'id="id-proposed_level"' not in page
    assert 'id="sr-submit"' not in page
    # The state-track form of the same person still asks for a level and can be submitted.
    other = client.get(reverse("selfreview_form", args=[setup.state.pk])).content.decode()
    assert 'id="id-proposed_level"' in other and 'id="sr-submit"' in other


def test_the_service_refuses_the_submission_and_ignores_a_level(setup):
    add_task(setup.cast.staff_person, setup.cast.division)
    sr.self_review_save(
        actor=setup.cast.staff,
        evaluation=setup.party,
        expected_version=0,
        sections=sections_for(setup.party),
        criteria=PARTY_FULL,
        proposed_level="HTXSNV",
    )
    assert SelfReview.objects.get(evaluation=setup.party).proposed_level == ""
    with pytest.raises(ValidationError) as exc:
        sr.self_review_submit(actor=setup.cast.staff, evaluation=setup.party)
    assert exc.value.messages == [
        f"Đồng chí không xếp loại trong đợt này ({REASON}): không phải tự xếp loại và không "
        "nộp bản tự kiểm điểm để xếp loại."
    ]
    setup.party.refresh_from_db()
    assert setup.party.status == Evaluation.Status.DRAFT


def test_the_submit_button_asks_for_confirmation(client, cast):
    s = support.make_setup(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("selfreview_form", args=[s.state.pk])).content.decode()
    assert 'data-confirm="Sau khi nộp, bản tự kiểm điểm bị khóa' in page
