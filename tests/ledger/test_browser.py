"""The ledger in Chromium on a 360 px phone: record a result and paste a document in place."""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal

import pytest

from kiemdiem.ledger import results, services
from kiemdiem.ledger.models import Product, Result
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
REFERENCE = (
    "Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc phê duyệt kế hoạch "
    "cải cách hành chính năm 2025"
)
SHOTS = os.environ.get("LEDGER_SCREENSHOTS", "")


@pytest.fixture
def page(live_server, monkeypatch, settings):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; set only for this test, so the
    # variable never leaks into `check --deploy` run by another test of the same process.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = chromium.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
        context.set_default_timeout(8000)
        yield context.new_page()
        chromium.close()


def eventually(check, timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_staff_member_records_a_result_and_a_document_on_a_phone(page, live_server, cast):
    task = services.task_assign(
        actor=cast.unit_head,
        person=cast.staff_person,
        title="Thẩm định hồ sơ tuyển dụng",
        target_quantity=Decimal(10),
        unit="hồ sơ",
        assigned_on=dt.date(2025, 1, 6),
        deadline=dt.date(2025, 3, 31),
    )
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.fill("[name=username]", "nhanvien")
    page.fill("[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/dang-nhap/" not in u)

    page.goto(f"{base}/so-nhiem-vu/?nam=2025")
    card = page.locator(f"#task-{task.pk}")
    assert card.get_attribute("data-status") == "overdue"  # 2025 is over
    card.locator("details.record > summary").click()
    card.locator("[name=achieved_quantity]").fill("10")
    card.locator("[name=completed_on]").fill("31/03/2025")
    card.locator("[name=quality]").select_option("exceeds")
    card.locator(f"#result-form-{task.pk} button[type=submit]").click()
    page.wait_for_selector(f"#task-{task.pk}[data-status=on_time]")
    assert page.locator("#count-exceeded").inner_text() == "1"
    result = Result.objects.get(task=task)

    card = page.locator(f"#task-{task.pk}")
    card.locator("details.add-products > summary").click()
    form = page.locator(f"#doc-form-{result.pk}")
    form.locator("[name=reference]").fill(REFERENCE)
    page.wait_for_selector(f"#doc-form-{result.pk}-preview [data-field=symbol]")
    assert (
        page.locator(f"#doc-form-{result.pk}-preview [data-field=date]").inner_text()
        == "15/03/2025"
    )
    shot(page, "ledger-preview")
    form.locator("button[type=submit]").click()
    eventually(lambda: Product.objects.filter(result=result).exists())
    page.wait_for_selector(f"#result-{result.pk} .product.kind-document")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    shot(page, "ledger-done")


def test_a_malformed_reference_shows_the_message_in_place(page, live_server, cast):
    task = services.task_assign(
        actor=cast.unit_head,
        person=cast.staff_person,
        title="Báo cáo",
        target_quantity=Decimal(1),
        unit="báo cáo",
        assigned_on=dt.date(2025, 1, 6),
        deadline=dt.date(2025, 3, 31),
    )
    result = results.result_record(
        actor=cast.staff,
        task=task,
        achieved_quantity=Decimal(1),
        completed_on=dt.date(2025, 3, 1),
        quality="meets",
    )
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.fill("[name=username]", "nhanvien")
    page.fill("[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/dang-nhap/" not in u)
    page.goto(f"{base}/so-nhiem-vu/ket-qua/{result.pk}/van-ban/")
    page.fill("[name=reference]", "Quyết định số 123/QĐ ngày 15/3/2025")
    page.wait_for_selector(".docref-errors")
    page.click("form.ledger-form button[type=submit]")
    page.wait_for_selector(f"#r{result.pk}-doc-reference_error")
    assert not Product.objects.exists()
    page.fill("[name=reference]", REFERENCE)
    page.click("form.ledger-form button[type=submit]")
    page.wait_for_url(lambda u: "/van-ban/" not in u)
    assert Product.objects.get().doc_symbol == "123/QĐ-UBND"
