"""Issue 9's whole workflow in Chromium, for one staff member of one small unit (Phòng Công
chức): self-review → submission → meeting → verification → decision → publication → petition →
re-verification → re-decision → publication; the history page shows every step in Vietnamese.
(The self-review page's own behaviour — quantification, autosave, return: test_selfreview_flow.py.)

Every wait is Playwright's auto-waiting `expect(...)` with a 30-s budget per step: the CI machine
runs seven engineers' work on two cores."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiemdiem.accounts.models import Role
from kiemdiem.orgs.models import CadreManagement
from kiemdiem.reviews.models import Evaluation, Petition
from tests.browser.test_selfreview_flow import ARGS, signed_in
from tests.conftest import make_user
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import add_task, make_setup

_fast_hashers = support._fast_hashers  # static files without a manifest, fast hashing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP = 30_000  # ms: one step's budget on a loaded machine
RESULTS = (
    "Chủ trì thẩm định 48 hồ sơ, ban hành 12 văn bản; 100% hồ sơ đúng hạn; "
    "tham mưu Quyết định số 123/QĐ-UBND ngày 15/3/2026 của UBND tỉnh."
)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield chromium
        chromium.close()


def as_user(browser, base: str, username: str):
    page = signed_in(browser, base, username)
    page.set_default_timeout(STEP)
    page.set_default_navigation_timeout(STEP)
    return page


def see(page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible(timeout=STEP)


def write_and_submit(page, base: str, evaluation: Evaluation) -> None:
    """The staff member opens the self-review from their list, writes it, and submits."""
    page.goto(f"{base}/kiem-diem/")
    page.click(f"a[href='/kiem-diem/{evaluation.pk}/']")
    expect(page.locator("#sr-form[data-ready]")).to_be_attached(timeout=STEP)
    # The ledger's task is pulled in: the 70-point results group is full.
    expect(page.locator("[data-count=results_score]")).to_have_text("70/70", timeout=STEP)
    for area in page.locator("textarea[id^=id-s-]").all():
        area.fill(RESULTS if area.get_attribute("id") == "id-s-ket_qua_nhiem_vu" else "Không có.")
    for code in ("1_1", "1_2", "1_3", "1_4", "1_5", "1_6"):
        page.fill(f"#id-c-{code}", "5")
    expect(page.locator("#sr-suggested[data-level=HTXSNV]")).to_be_attached(timeout=STEP)
    page.select_option("#id-proposed_level", "HTXSNV")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#sr-submit")
    expect(page.locator(".sr-locked")).to_be_visible(timeout=STEP)
    assert asked and "không sửa được nữa" in asked[0]


def test_one_staff_member_from_self_review_to_re_decision(live_server, cast, browser):
    base = live_server.url
    s = make_setup(cast)
    ev = s.state
    add_task(cast.staff_person, cast.division)
    # The department decides for its staff (diện quản lý); `tochuc` is its advisory body.
    CadreManagement.objects.create(manager=cast.department, person=cast.staff_person)
    make_user("thamquyen", role=Role.COMPETENT, org=cast.department)

    staff = as_user(browser, base, "nhanvien")
    write_and_submit(staff, base, ev)
    assert Evaluation.objects.get(pk=ev.pk).status == "submitted"

    head = as_user(browser, base, "truongphong")
    head.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/hoi-nghi/")
    head.fill("[name=held_on]", "2026-12-10")
    head.fill("[name=place]", "Phòng họp Sở Nội vụ")
    head.fill("[name=chair]", "Trần Văn Đức")
    head.fill("[name=secretary]", "Nguyễn Thị Ánh")
    head.fill("[name=present]", "Trần Văn Đức\nNguyễn Thị Ánh\nLê Thị Chi")
    head.click("button:has-text('Ghi hội nghị')")
    see(head, "Đủ số lượng")
    head.fill("[name=votes_excellent]", "3")
    head.click("form.inline button:has-text('Ghi')")
    see(head, "Đã ghi kết quả hội nghị")
    assert Evaluation.objects.get(pk=ev.pk).status == "reviewed"

    def verify_as_personnel():
        p = as_user(browser, base, "tochuc")
        p.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/tham-dinh/")
        p.fill("[name=notes]", "Đủ hồ sơ")
        p.click("form.inline button:has-text('Thẩm định')")
        see(p, "Không có phiếu nào chờ thẩm định")
        p.context.close()

    def decide_and_publish():
        p = as_user(browser, base, "thamquyen")
        p.goto(f"{base}/kiem-diem/dot/{s.cycle.pk}/quyet-dinh/")
        p.select_option(f"[name=level_{ev.pk}]", "HTXSNV")
        p.click(f"button[name=only][value='{ev.pk}']")
        see(p, "Đã quyết định 1 phiếu")
        p.click("button:has-text('Công bố các phiếu đã quyết định')")
        see(p, "Đã công bố 1 phiếu")
        p.context.close()

    verify_as_personnel()
    decide_and_publish()
    assert Evaluation.objects.get(pk=ev.pk).status == "published"

    # The staff member petitions against the published level, within the period.
    staff.goto(f"{base}/kiem-diem/{ev.pk}/lich-su/")
    staff.fill("#petition-text", "Đề nghị xem xét lại ý kiến của hội nghị")
    staff.click("button:has-text('Gửi kiến nghị')")
    see(staff, "Đã gửi kiến nghị")
    assert Evaluation.objects.get(pk=ev.pk).status == "reviewed"

    verify_as_personnel()
    decide_and_publish()
    assert Petition.objects.get().status == "answered"

    staff.goto(f"{base}/kiem-diem/{ev.pk}/lich-su/")
    rows = staff.locator("tr.history-step")
    # The action codes ride on the rows (data-action); the cells show them in Vietnamese.
    codes = [
        "evaluation.submit",
        "evaluation.review",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
        "evaluation.petition",
        "evaluation.verify",
        "evaluation.decide",
        "evaluation.publish",
    ]
    words = [
        "Nộp",
        "Ghi kết quả hội nghị",
        "Thẩm định",
        "Quyết định",
        "Công bố",
        "Kiến nghị",
        "Thẩm định",
        "Quyết định",
        "Công bố",
    ]
    expect(rows).to_have_count(len(codes), timeout=STEP)
    assert [row.get_attribute("data-action") for row in rows.all()] == codes
    for row, word in zip(rows.all(), words, strict=True):
        expect(row.locator("td").nth(2)).to_have_text(word)
    # The level decided, by its full name, and no internal code in the page's text.
    expect(rows.nth(3)).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    assert "evaluation." not in staff.locator("table:has(tr.history-step)").inner_text()
