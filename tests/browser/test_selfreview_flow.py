"""The self-review end to end in Chromium: ledger → live self-review → reload → submit → return.

The unit head assigns the task through the ledger service (an assigned task is approved at
once); the staff member records the result and pastes the document reference in the ledger
pages, then writes the self-review and watches the quantification and the suggested level move.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from kiemdiem.ledger import services as ledger_services
from kiemdiem.ledger.models import Product, Result
from kiemdiem.reviews.models import SelfReview
from tests.conftest import PASSWORD
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import (
    make_setup,
)

_fast_hashers = support._fast_hashers  # the autouse fixture, in this module too

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots at a 360-px viewport, to look at (default /tmp).
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir()))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VAGUE = "Hoàn thành tốt các nhiệm vụ được giao. Luôn cố gắng trong công tác."
CONCRETE = " Ban hành 12 văn bản, 100% hồ sơ đúng hạn."
REFERENCE = (
    "Quyết định số 123/QĐ-UBND ngày 15/3/2026 của UBND tỉnh về việc phê duyệt kết quả "
    "thẩm định hồ sơ nâng ngạch"
)


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread, which Django's ORM refuses unless
    # DJANGO_ALLOW_ASYNC_UNSAFE is set. Set for this test only: left in the process environment
    # it fails `check --deploy` (async.E001) in later tests.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield chromium
        chromium.close()


def signed_in(browser, base: str, username: str, *, width: int = 1100):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    context.set_default_timeout(8000)
    page = context.new_page()
    # The site's sign-in, with the second factor for the roles that require it.
    from tests.browser.test_shell import sign_in

    sign_in(page, base, username)
    return page


def score(page) -> int:
    return int(page.locator("#sr-qscore").get_attribute("data-score"))


def test_a_staff_member_writes_submits_and_sees_the_return_reason(live_server, cast, browser):
    base = live_server.url
    setup = make_setup(cast)
    task = ledger_services.task_assign(
        actor=cast.unit_head,
        person=cast.staff_person,
        title="Thẩm định hồ sơ nâng ngạch",
        target_quantity=Decimal(12),
        unit="hồ sơ",
        deadline=dt.date(2026, 6, 30),
        assigned_on=dt.date(2026, 1, 5),
        year=2026,
    )

    # The ledger: the staff member records the result and pastes the document reference.
    page = signed_in(browser, base, "nhanvien")
    page.goto(f"{base}/so-nhiem-vu/nhiem-vu/{task.pk}/ket-qua/")
    page.fill("form.ledger-form [name=achieved_quantity]", "12")
    page.fill("form.ledger-form [name=completed_on]", "01/06/2026")
    # A successful form sends the browser back to the ledger (HX-Redirect): wait for that
    # navigation to finish, or the next goto races it and is aborted.
    with page.expect_navigation(url=f"{base}/so-nhiem-vu/**"):
        page.click("form.ledger-form button[type=submit]")
    result = Result.objects.get(task=task)
    page.goto(f"{base}/so-nhiem-vu/ket-qua/{result.pk}/van-ban/")
    page.fill("form.ledger-form [name=reference]", REFERENCE)
    page.wait_for_selector("[data-field=symbol]:has-text('123/QĐ-UBND')")
    with page.expect_navigation(url=f"{base}/so-nhiem-vu/**"):
        page.click("form.ledger-form button[type=submit]")
    assert Product.objects.get(result=result).doc_symbol == "123/QĐ-UBND"

    # The self-review: the ledger's figures are pulled in.
    page.goto(f"{base}/kiem-diem/")
    page.click(f"a[href='/kiem-diem/{setup.state.pk}/']")
    page.wait_for_selector("#sr-form[data-ready]", state="attached")
    assert page.locator("[data-count=assigned]").inner_text() == "1"
    assert page.locator("[data-count=results_score]").inner_text() == "70/70"

    # Quantification: vague → low; concrete products → higher.
    results = page.locator("#id-s-ket_qua_nhiem_vu")
    results.fill(VAGUE)
    page.wait_for_selector("#q-ket_qua_nhiem_vu mark.f-vague")
    assert score(page) == 0
    results.press("End")
    results.type(CONCRETE, delay=5)
    page.wait_for_function("() => +document.querySelector('#sr-qscore').dataset.score > 0")
    assert score(page) > 0

    # Scores: the engine's suggestion follows (30 typed + 70 from the ledger).
    for code in ("1_1", "1_2", "1_3", "1_4", "1_5", "1_6"):
        page.fill(f"#id-c-{code}", "5")
    page.wait_for_selector("#sr-suggested[data-level=HTXSNV]")
    for code in ("1_1", "1_2", "1_3"):
        page.fill(f"#id-c-{code}", "0")
    page.wait_for_selector("#sr-suggested[data-level=HTTNV]")
    assert "Nghị định 335/2025/NĐ-CP" in page.locator(".sr-reasons").inner_text()
    page.wait_for_selector("#sr-save-status:has-text('Đã tự động lưu')")

    page.set_viewport_size({"width": 360, "height": 800})
    page.locator("#id-s-ket_qua_nhiem_vu").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "selfreview-360.png", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / "selfreview-360-top.png")
    page.locator("#group-chung").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "selfreview-360-criteria.png")
    page.locator("#sr-preview").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "selfreview-360-preview.png")
    page.set_viewport_size({"width": 1100, "height": 900})

    # Reload before the autosave fires: the local copy restores what was typed.
    page.fill("#id-s-chung", "Chấp hành nghiêm kỷ luật; 0 ngày nghỉ không lý do.")
    page.reload()
    page.wait_for_selector("#sr-form[data-ready]", state="attached")
    page.wait_for_selector("#sr-local-status:has-text('Đã khôi phục nội dung chưa lưu')")
    assert page.locator("#id-s-chung").input_value().startswith("Chấp hành nghiêm")
    assert page.locator("#id-s-ket_qua_nhiem_vu").input_value() == VAGUE + CONCRETE
    page.wait_for_selector("#sr-save-status:has-text('Đã tự động lưu')")
    assert SelfReview.objects.get(evaluation=setup.state).sections["chung"].startswith("Chấp hành")

    # The session expires while typing: the save is refused, the local copy kept; after
    # signing in again the text comes back and is saved.
    page.context.clear_cookies()
    page.fill("#id-s-han_che", "Còn chậm 1 báo cáo quý II.")
    page.wait_for_selector("#sr-local-status:has-text('Phiên đăng nhập đã hết hạn')")
    page.goto(f"{base}/dang-nhap/?next=/kiem-diem/{setup.state.pk}/")
    page.fill("#id_username", "nhanvien")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#sr-local-status:has-text('Đã khôi phục nội dung chưa lưu')")
    assert page.locator("#id-s-han_che").input_value() == "Còn chậm 1 báo cáo quý II."
    page.wait_for_selector("#sr-save-status:has-text('Đã tự động lưu')")

    # Submit.
    page.select_option("#id-proposed_level", "HTTNV")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#sr-submit")
    page.wait_for_selector(".sr-locked")
    assert asked and "không sửa được nữa" in asked[0]
    assert page.locator("textarea").count() == 0

    # The unit head reads it and returns it with a reason.
    head = signed_in(browser, base, "truongphong")
    head.goto(f"{base}/kiem-diem/{setup.state.pk}/")
    assert head.locator("#sr-qscore").is_visible()
    head.set_viewport_size({"width": 360, "height": 800})
    head.locator("#q-ket_qua_nhiem_vu").scroll_into_view_if_needed()
    head.screenshot(path=SHOTS / "selfreview-360-reviewer.png")
    head.fill("#id_reason", "Nêu rõ số, ký hiệu các văn bản đã tham mưu.")
    head.click("#sr-return-button")
    head.wait_for_selector(".messages")

    # The staff member sees the reason and can edit again.
    page.reload()
    assert (
        "Nêu rõ số, ký hiệu các văn bản đã tham mưu." in page.locator(".sr-returned").inner_text()
    )
    assert page.locator("#id-s-chung").is_editable()
    page.set_viewport_size({"width": 360, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / "selfreview-360-returned.png")
