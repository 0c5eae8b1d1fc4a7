"""Every demo role, in Chromium: sign in, find the role's next thing to do under "Việc cần
làm" on the home page, follow its link, land on the page where that work is done and do it
there (submit the self-review, record the meeting, return a submitted review, decide), then
see its effect in the database and on the page.

The data is the demo's own (`seed-demo` on a small province, `load-criteria`, `demo-accounts`,
`demo-cycle`), so the test fails when the demo stops giving a role real work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.models import SelfReview
from tests.browser.demo import build_demo
from tests.browser.test_decision_flow import browser  # noqa: F401  (the fixture)
from tests.browser.test_selfreview_flow import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A loaded CI machine: every step (an action or an auto-waiting assertion) may wait this long.
STEP_MS = 30_000

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
def patient_expect():
    """A loaded CI machine: every auto-waiting assertion may wait STEP_MS (then the default
    is put back for the other tests of the process)."""
    expect.set_options(timeout=STEP_MS)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo(settings):
    """The demo province as `make run` builds it (DEBUG only, like the demo commands)."""
    build_demo(settings, EXPECTED)


def test_every_demo_role_finds_its_next_task_on_home_and_reaches_it(
    live_server,
    browser,  # noqa: F811
    demo,
    patient_expect,
):
    base = live_server.url
    for username, (label, target, heading) in EXPECTED.items():
        page = signed_in(browser, base, username)
        page.context.set_default_timeout(STEP_MS)
        todos = page.locator("#viec-can-lam")
        expect(todos.get_by_role("heading", name="Việc cần làm")).to_be_visible()
        item = todos.locator("li").filter(has=page.get_by_role("link", name=re.compile(label)))
        expect(item.first, f"{username}: no '{label}' under Việc cần làm").to_be_visible()
        # A real item: it names its deadline (the demo cycle's, written the Vietnamese way).
        expect(item.first).to_contain_text(re.compile(r"hạn \d{2}/\d{2}/\d{4}"))
        link = item.first.get_by_role("link", name=re.compile(label))
        href, before = link.get_attribute("href"), item.first.inner_text()
        link.click()
        expect(page, f"{username}: the link leads elsewhere").to_have_url(re.compile(target))
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
        _assert_the_work_can_be_done_here(page, username)
        COMPLETE[username](page)
        _assert_the_todo_moved_on(page, base, href, before)
        page.context.close()


def _assert_the_todo_moved_on(page, base: str, href: str, before: str) -> None:
    """Back home: a to-do for one evaluation is gone; a counted one ("12 phiếu chờ …") counts
    one fewer, or is gone when that was the last."""
    page.goto(f"{base}/")
    items = page.locator("#viec-can-lam li").filter(has=page.locator(f"a[href='{href}']"))
    counted = re.search(r"([\d.]+) (?:phiếu|bản) chờ", before)
    n = int(counted.group(1).replace(".", "")) if counted else 1
    if n == 1:
        expect(items).to_have_count(0)
    else:
        fewer = f"{n - 1:,}".replace(",", ".")  # the thousands dot, as the page writes it
        expect(items.first).to_contain_text(re.compile(rf"\b{fewer} (?:phiếu|bản) chờ"))


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


CONCRETE = (
    "Tham mưu ban hành 12 văn bản, trong đó Quyết định số 123/QĐ-UBND ngày 15/3/2026; "
    "thẩm định 45/45 hồ sơ, 100% đúng hạn; tổ chức 3 hội nghị chuyên đề."
)


def _submit_self_review(page) -> None:
    """Fill what the form requires (every section, every criterion typed by hand, the level),
    confirm the dialog and find the review locked."""
    pk = int(re.search(r"/kiem-diem/(\d+)/", page.url).group(1))
    expect(page.locator("#sr-form[data-ready]")).to_be_attached()
    for area in page.locator("#sr-form textarea[name^='s-']").all():
        area.fill(CONCRETE)
    for field in page.locator("#sr-form input[id^='id-c-']").all():
        field.fill("0")  # points: 0 is within every criterion's range
    for field in page.locator("#sr-form select[id^='id-c-']").all():
        field.select_option(index=1)  # grades: the first real grade after "— Chọn mức —"
    page.select_option("#id-proposed_level", "HTNV")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#sr-submit")
    expect(page.locator(".sr-locked")).to_be_visible()
    assert asked and "không sửa được nữa" in asked[0]
    expect(page.locator("#sr-form textarea")).to_have_count(0)
    assert SelfReview.objects.get(evaluation_id=pk).status == "submitted"
    assert Evaluation.objects.get(pk=pk).status == Evaluation.Status.SUBMITTED


def _record_meeting(page) -> None:
    """The meeting (date, place, chair, secretary, who came), then the first waiting
    evaluation's result: a tally and the proposed level."""
    page.fill("[name=held_on]", "2026-12-10")
    page.fill("[name=place]", "Hội trường cơ quan")
    page.fill("[name=chair]", "Nguyễn Văn An")
    page.fill("[name=secretary]", "Trần Thị Bình")
    page.fill("[name=present]", "\n".join(f"Đảng viên {i}" for i in range(1, 301)))
    page.click("button:has-text('Ghi hội nghị')")
    expect(page.locator("text=Đủ số lượng").first).to_be_visible()
    entry = page.locator("form.inline").first
    pk = int(entry.locator("[name=evaluation]").get_attribute("value"))
    entry.locator("[name=level]").select_option("HTTNV")
    entry.locator("[name=votes_good]").fill("300")
    entry.locator("[name=comments]").fill("Hội nghị thống nhất mức đề xuất.")
    entry.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator("text=Đã ghi kết quả hội nghị")).to_be_visible()
    ev = Evaluation.objects.get(pk=pk)
    assert (ev.status, ev.meeting_level) == (Evaluation.Status.REVIEWED, "HTTNV")
    # The row stays on the page (its result can still be corrected), now with its new status.
    row = page.locator("tr", has=page.locator(f"input[name=evaluation][value='{pk}']"))
    expect(row).to_contain_text("Đã họp kiểm điểm")


def _return_a_review(page) -> None:
    """The personnel office opens the first submitted review and returns it with a reason."""
    page.locator("#cho-xem-xet tbody tr a").first.click()
    expect(page).to_have_url(re.compile(r"/kiem-diem/\d+/$"))
    pk = int(re.search(r"/kiem-diem/(\d+)/", page.url).group(1))
    page.fill("#id_reason", "Nêu rõ số, ký hiệu các văn bản đã tham mưu.")
    page.click("#sr-return-button")
    expect(page.locator(".messages")).to_be_visible()
    assert SelfReview.objects.get(evaluation_id=pk).status == "returned"
    page.goto(page.url.split("/kiem-diem/")[0] + "/kiem-diem/")
    expect(page.locator(f"#cho-xem-xet a[href='/kiem-diem/{pk}/']")).to_have_count(0)


def _decide_one(page) -> None:
    """The competent authority decides the first decidable evaluation at the level proposed."""
    button = page.locator("#decide button[name=only]").first
    pk = int(button.get_attribute("value"))
    page.fill(f"[name=reason_{pk}]", "Theo đề xuất của cơ quan tham mưu.")
    button.click()
    expect(page.locator("text=Đã quyết định 1 phiếu")).to_be_visible()
    assert Evaluation.objects.get(pk=pk).status == Evaluation.Status.DECIDED
    # The row stays (a decision may be changed until it is published), now marked decided.
    expect(page.locator(f"#ev-{pk}")).to_contain_text("Đã quyết định")


COMPLETE = {
    "nhanvien": _submit_self_review,
    "truongphong": _record_meeting,
    "bithu": _record_meeting,
    "tochuc": _return_a_review,
    "thamquyen": _decide_one,
    "kiemtra": _submit_self_review,
}
