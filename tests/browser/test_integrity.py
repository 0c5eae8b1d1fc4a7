"""The integrity page in a real browser: the inspector opens it, drills down to a unit, marks a
flag justified with a note, and downloads the XLSX; no CSP violation."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from kiemdiem.accounts.models import Role
from kiemdiem.integrity.models import Flag
from kiemdiem.integrity.services import compute
from tests.browser.test_shell import SHOTS, browser, sign_in  # noqa: F401 (fixture)
from tests.conftest import make_user
from tests.integrity.support import make_province


@pytest.mark.browser
def test_integrity_drill_down_justify_and_xlsx(browser, live_server, cast, tmp_path):  # noqa: F811
    p = make_province(cast, plant=True)
    compute(cycle=p.cycle)
    make_user("kiemtra", role=Role.INSPECTOR, org=cast.province)
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.set_default_timeout(30_000)  # the province is generated on a shared machine
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(page, live_server.url, "kiemtra")

    page.goto(f"{live_server.url}/liem-chinh/?cycle={p.cycle.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phân tích liêm chính")
    expect(page.locator("#integrity-summary")).to_contain_text("Cào bằng")
    page.screenshot(path=SHOTS / "kiemdiem-integrity.png", full_page=True)

    page.locator("#integrity-children a", has_text=cast.department.name).click()
    expect(page.locator(".lead")).to_contain_text(cast.department.name)
    page.locator("#integrity-children a", has_text=p.units[0].name).click()
    expect(page.locator(".lead")).to_contain_text(p.units[0].name)

    flag = page.locator("li.flag", has_text="cao bất thường so với toàn tỉnh").first
    flag.locator("textarea[name=note]").fill("Đơn vị được Chính phủ khen thưởng trong năm.")
    flag.get_by_role("button").click()
    expect(page.locator("body")).to_contain_text("Đã ghi nhận kết quả kiểm tra.")
    assert Flag.objects.filter(code="leniency", status="justified").exists()

    with page.expect_download() as info:
        page.locator("#integrity-xlsx").click()
    path = tmp_path / "liem-chinh.xlsx"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        assert "Dấu hiệu" in z.read("xl/workbook.xml").decode()
    assert violations == []
