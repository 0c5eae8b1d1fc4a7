"""Every demo role, in Chromium: sign in, find the role's next thing to do under "Việc cần
làm" on the home page, follow its link and land on the page where that work is done.

The data is the demo's own (`seed-demo` on a small province, `load-criteria`, `demo-accounts`,
`demo-cycle`), so the test fails when the demo stops giving a role real work."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_decision_flow import browser  # noqa: F401  (the fixture)
from tests.browser.test_selfreview_flow import signed_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role → (the to-do's link text, the URL it leads to, the heading of that page). The role's own
# work where the demo gives it some; otherwise (inspection) its own self-review.
SELF_REVIEW = (r"^Viết bản tự kiểm điểm", r"/kiem-diem/\d+/$", r"tự kiểm điểm|Phiếu đánh giá")
EXPECTED = {
    "nhanvien": SELF_REVIEW,
    "truongphong": (
        r"^Tổ chức hội nghị kiểm điểm",
        r"/kiem-diem/dot/\d+/hoi-nghi/$",
        r"^Hội nghị kiểm điểm — ",
    ),
    "bithu": (  # a member of the cell has submitted: the cell's meeting waits for its secretary
        r"^Tổ chức hội nghị kiểm điểm",
        r"/kiem-diem/dot/\d+/hoi-nghi/$",
        r"^Hội nghị kiểm điểm — ",
    ),
    "tochuc": (
        r"^Xem xét các bản tự kiểm điểm đã nộp",
        r"/kiem-diem/#cho-xem-xet$",
        r"^Tự kiểm điểm$",
    ),
    "thamquyen": (
        r"^Quyết định xếp loại",
        r"/kiem-diem/dot/\d+/quyet-dinh/$",
        r"^Quyết định xếp loại — ",
    ),
    "kiemtra": SELF_REVIEW,
}


@pytest.fixture
def demo(settings):
    """The demo province as `make run` builds it (DEBUG only, like the demo commands)."""
    settings.DEBUG = True
    out = StringIO()
    call_command("load_criteria", stdout=out)
    call_command("seed_demo", people=400, stdout=out)
    call_command("demo_accounts", stdout=out)
    call_command("demo_cycle", stdout=out)
    settings.DEBUG = False
    # The tests' sign-in helper types the tests' password.
    for user in get_user_model().objects.filter(username__in=EXPECTED):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def test_every_demo_role_finds_its_next_task_on_home_and_reaches_it(
    live_server,
    browser,  # noqa: F811
    demo,
):
    base = live_server.url
    for username, (label, target, heading) in EXPECTED.items():
        page = signed_in(browser, base, username)
        todos = page.locator("#viec-can-lam")
        expect(todos.get_by_role("heading", name="Việc cần làm")).to_be_visible()
        item = todos.locator("li").filter(has=page.get_by_role("link", name=re.compile(label)))
        expect(item.first, f"{username}: no '{label}' under Việc cần làm").to_be_visible()
        # A real item: it names its deadline (the demo cycle's, written the Vietnamese way).
        expect(item.first).to_contain_text(re.compile(r"hạn \d{2}/\d{2}/\d{4}"))
        link = item.first.get_by_role("link", name=re.compile(label))
        link.click()
        expect(page, f"{username}: the link leads elsewhere").to_have_url(re.compile(target))
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
        _assert_the_work_can_be_done_here(page, username)
        page.context.close()


def _assert_the_work_can_be_done_here(page, username: str) -> None:
    """The form or list where the role does the work, not only the page's title."""
    if EXPECTED[username] is SELF_REVIEW:
        expect(page.get_by_role("button", name="Nộp bản tự kiểm điểm")).to_be_visible()
    elif username in ("truongphong", "bithu"):
        expect(page.get_by_role("button", name="Ghi hội nghị")).to_be_visible()
    elif username == "tochuc":
        listing = page.locator("#cho-xem-xet")
        expect(listing).to_be_visible()
        expect(listing.locator("tbody tr").first).to_be_visible()
    elif username == "thamquyen":
        expect(page.get_by_role("button", name="Quyết định cả nhóm").first).to_be_visible()
