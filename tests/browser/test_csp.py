"""The Content-Security-Policy in a real browser: no violation on the main pages (issue 13)."""

from __future__ import annotations

import pytest

from tests.browser.test_shell import browser, sign_in  # noqa: F401 — the fixture is reused

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.browser
def test_no_csp_violation_on_the_main_pages(browser, live_server, cast):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.set_default_timeout(10_000)
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda m: console.append(m.text))
    sign_in(page, live_server.url, "tochuc")
    violations = []
    for path in [
        "/",
        "/to-chuc/",
        f"/to-chuc/{cast.division.pk}/",
        f"/ca-nhan/{cast.staff_person.pk}/",
        "/tim-kiem/",
        "/kiem-diem/dot/",
        "/to-chuc/them/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
    assert violations == []
    assert not [line for line in console if "Content Security Policy" in line]
    page.close()
