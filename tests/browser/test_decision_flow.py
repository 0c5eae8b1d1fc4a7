"""The decision workflow end to end in Chromium, for one unit's collective evaluation: meeting →
verification → decision → publication → petition → re-verification → re-decision → publication;
the history page shows every step. (The self-review before it: test_selfreview_flow.py.)"""

from __future__ import annotations

import pytest

from kiemdiem.accounts.models import Role
from kiemdiem.reviews.models import Evaluation, Petition
from tests.browser.test_selfreview_flow import ARGS, signed_in
from tests.conftest import make_user
from tests.reviews.decisions.support import make_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield chromium
        chromium.close()


def test_one_unit_from_meeting_to_re_decision(live_server, browser):
    base = live_server.url
    s = make_setup()
    unit = s.ev["U"]
    Evaluation.objects.filter(pk=unit.pk).update(status="submitted", self_level="HTXSNV")
    make_user("truongu", role=Role.UNIT_HEAD, org=unit.organization)
    make_user("tochuc", role=Role.PERSONNEL, org=s.cycle.scope)

    page = signed_in(browser, base, "truongu")
    page.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/hoi-nghi/")
    page.fill("[name=held_on]", "2025-12-10")
    page.fill("[name=place]", "Hội trường")
    page.fill("[name=chair]", "An")
    page.fill("[name=secretary]", "Bình")
    page.fill("[name=present]", "An\nBình\nChi")
    page.click("button:has-text('Ghi hội nghị')")
    page.wait_for_selector("text=Đủ số lượng")
    page.fill("[name=votes_excellent]", "3")
    page.click("form.inline button:has-text('Ghi')")
    page.wait_for_selector("text=Đã ghi kết quả hội nghị")
    assert Evaluation.objects.get(pk=unit.pk).status == "reviewed"

    def verify_as_personnel():
        p = signed_in(browser, base, "tochuc")
        p.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/tham-dinh/")
        p.fill("[name=notes]", "Đủ hồ sơ")
        p.click("form.inline button:has-text('Thẩm định')")
        p.wait_for_selector("text=Không có phiếu nào chờ thẩm định")

    def decide_and_publish():
        p = signed_in(browser, base, "thamquyen")
        p.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/quyet-dinh/")
        p.select_option(f"[name=level_{unit.pk}]", "HTXSNV")
        p.click(f"button[name=only][value='{unit.pk}']")
        p.wait_for_selector("text=Đã quyết định 1 phiếu")
        p.click("button:has-text('Công bố các phiếu đã quyết định')")
        p.wait_for_selector("text=Đã công bố 1 phiếu")

    verify_as_personnel()
    decide_and_publish()
    assert Evaluation.objects.get(pk=unit.pk).status == "published"

    page.goto(f"{base}/kiem-diem/{unit.pk}/lich-su/")
    page.fill("#petition-text", "Đề nghị xem xét lại ý kiến của hội nghị")
    page.click("button:has-text('Gửi kiến nghị')")
    page.wait_for_selector("text=Đã gửi kiến nghị")
    assert Evaluation.objects.get(pk=unit.pk).status == "reviewed"

    verify_as_personnel()
    decide_and_publish()
    assert Petition.objects.get().status == "answered"

    page.goto(f"{base}/kiem-diem/{unit.pk}/lich-su/")
    # The action codes ride on the rows (data-action); the cells show them in Vietnamese.
    steps = [row.get_attribute("data-action") for row in page.locator("tr.history-step").all()]
    assert steps == [
        "evaluation.review",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
        "evaluation.petition",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
    ]
