"""The shell in a real browser: sign in, the htmx tree, search, a person page, a phone screen.

Screenshots go to $TMPDIR/kiemdiem-*.png (/tmp by default) for a look at the design.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiemdiem.accounts.twofactor import user_requires_second_factor
from tests.conftest import PASSWORD, totp_code_for

SHOTS = Path(tempfile.gettempdir())
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(page, base: str, username: str) -> None:
    from django.contrib.auth import get_user_model

    needs_code = user_requires_second_factor(get_user_model().objects.get(username=username))
    code = totp_code_for(username) if needs_code else ""
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if needs_code:  # deciders and administrators: the second factor's page comes next
        expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
        page.get_by_label("Mã xác thực").fill(code)
        page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


@pytest.mark.browser
def test_a_staff_member_browses_the_tree_searches_and_opens_a_person(browser, live_server, cast):
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "nhanvien")
    page.screenshot(path=SHOTS / "kiemdiem-home.png", full_page=True)

    # The tree: expanding a node fetches its children with htmx, without leaving the page.
    page.get_by_role("link", name="Cơ cấu tổ chức").first.click()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/")
    page.locator("summary", has_text="Ủy ban nhân dân tỉnh Hậu Giang").locator(".twisty").click()
    expect(page.get_by_role("link", name="Sở Nội vụ", exact=True)).to_be_visible()
    page.locator("summary", has_text=re.compile(r"^Sở Nội vụ")).locator(".twisty").click()
    expect(page.get_by_role("link", name="Phòng Công chức", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/")
    page.screenshot(path=SHOTS / "kiemdiem-tree.png", full_page=True)

    # Search without diacritics, results arrive while typing.
    page.get_by_role("link", name="Tìm kiếm", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/tim-kiem/")
    page.get_by_role("searchbox").fill("nguyen thi anh")
    result = page.locator("#search-results").get_by_role("link", name="Nguyễn Thị Ánh")
    expect(result).to_be_visible()
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Ánh")
    expect(page.locator("dl.facts").first).to_contain_text("17/05/1985")
    expect(page.get_by_text("Chức vụ cao nhất")).to_be_visible()
    page.screenshot(path=SHOTS / "kiemdiem-person.png", full_page=True)

    # The unit's page and its people filter (htmx).
    page.get_by_role("link", name="Phòng Công chức").first.click()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.division.pk}/")
    expect(page.locator("#people")).to_contain_text("Trần Văn Đức")
    page.get_by_role("searchbox", name="Lọc theo tên").fill("anh")
    expect(page.locator("#people")).not_to_contain_text("Trần Văn Đức")
    expect(page.locator("#people")).to_contain_text("Nguyễn Thị Ánh")
    page.close()


@pytest.mark.browser
def test_the_shell_fits_a_360_pixel_phone(browser, live_server, cast):
    page = browser.new_page(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN"
    )
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "tochuc")
    page.goto(f"{live_server.url}/to-chuc/{cast.division.pk}/")
    expect(page.locator("#people")).to_contain_text("Nguyễn Thị Ánh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The people table collapses into cards: its header row is hidden, labels come from CSS.
    assert page.locator("table.people thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    page.screenshot(path=SHOTS / "kiemdiem-phone-org.png", full_page=True)
    page.goto(f"{live_server.url}/ca-nhan/{cast.staff_person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Ánh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    button = page.get_by_role("link", name="Sửa hồ sơ").bounding_box()
    assert button is not None and button["height"] >= 44
    page.screenshot(path=SHOTS / "kiemdiem-phone-person.png", full_page=True)

    # A form on the phone: a bad CCCD comes back next to its field, in Vietnamese.
    page.goto(f"{live_server.url}/to-chuc/{cast.division.pk}/them-ca-nhan/")
    page.get_by_label("Họ và tên").fill("Phạm Thị Hồng")
    page.get_by_label("Nữ").check()
    page.get_by_label("Ngày sinh").fill("17/05/1985")
    page.get_by_label("Số CCCD").fill("003185004321")
    page.get_by_label("Chức danh").fill("Chuyên viên")
    page.get_by_label("Từ ngày").fill("01/03/2024")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator(".field.invalid .error")).to_have_text(
        "Số CCCD “003185004321”: mã tỉnh “003” không tồn tại."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=SHOTS / "kiemdiem-phone-form.png", full_page=True)
    page.close()


@pytest.mark.browser
def test_the_phone_menu_is_one_button_that_opens_the_links(browser, live_server, cast):
    page = browser.new_page(viewport={"width": 375, "height": 740}, locale="vi-VN")
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "nhanvien")
    nav = page.locator("#mainnav")
    expect(nav).to_be_hidden()
    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None and bar["height"] <= 120  # one row of tools, not six links
    page.locator("label.menu-button").click()
    expect(nav).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SHOTS / "kiemdiem-phone-menu.png", full_page=True)
    nav.get_by_role("link", name="Đợt kiểm điểm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đợt kiểm điểm")
    expect(page.locator("#mainnav")).to_be_hidden()  # closed again on the next page
    page.set_viewport_size({"width": 1100, "height": 800})
    expect(page.locator("#mainnav")).to_be_visible()  # a desktop shows the links themselves
    expect(page.locator("label.menu-button")).to_be_hidden()
    page.close()
