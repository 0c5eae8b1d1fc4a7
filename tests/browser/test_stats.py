"""The statistics dashboard in a real browser: open it, drill down, download the XLSX."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from kiemdiem.accounts.models import Role
from tests.browser.test_shell import SHOTS, browser, sign_in  # noqa: F401 (fixture)
from tests.conftest import make_user
from tests.stats.support import make_generated


@pytest.mark.browser
def test_dashboard_drill_down_and_xlsx(browser, live_server, cast, tmp_path):  # noqa: F811
    make_generated(cast)
    make_user("tinhuy", role=Role.PERSONNEL, org=cast.province_party)
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(page, live_server.url, "tinhuy")

    page.goto(f"{live_server.url}/thong-ke/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê kết quả xếp loại")
    expect(page.locator(".lead")).to_contain_text(cast.province_party.name)
    expect(page.locator("svg.chart rect").first).to_be_visible()
    page.screenshot(path=SHOTS / "kiemdiem-stats.png", full_page=True)

    page.locator("a.drill", has_text=cast.department_party.name).click()
    expect(page.locator(".lead")).to_contain_text(cast.department_party.name)
    expect(page.locator("a.drill", has_text=cast.cell.name)).to_be_visible()

    with page.expect_download() as info:
        page.locator("#stats-xlsx").click()
    path = tmp_path / "thong-ke.xlsx"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        assert "xl/workbook.xml" in z.namelist()
        assert "Đơn vị trực thuộc" in z.read("xl/workbook.xml").decode()
    assert violations == []
