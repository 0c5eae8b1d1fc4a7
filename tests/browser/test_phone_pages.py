"""Every demo role on a 375-px phone, on the demo's own data: the home page and the pages where
the role works fit the screen (no sideways scrolling of the page: wide tables scroll inside
themselves), a stacked table names every value, and what a person reads is Vietnamese — no
status or role code of the models, no Python value ("None", "True"), no ISO date."""

from __future__ import annotations

import os
import re
import tempfile

import pytest
from django.apps import apps

from kiemdiem.reviews.models import Cycle
from tests.browser.demo import build_demo
from tests.browser.test_decision_flow import browser  # noqa: F401  (the fixture)
from tests.browser.test_selfreview_flow import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 375
DESKTOP = 1280
SHOTS = os.environ.get("KD_SHOTS", tempfile.gettempdir())  # the statistics page's screenshots

# role → the pages it works on ({cycle}: the demo's cycle).
PAGES = {
    "nhanvien": ["/", "/kiem-diem/", "/so-nhiem-vu/"],
    "truongphong": ["/", "/kiem-diem/dot/{cycle}/hoi-nghi/"],
    "bithu": ["/", "/kiem-diem/dot/{cycle}/hoi-nghi/"],
    "tochuc": [
        "/",
        "/kiem-diem/",
        "/kiem-diem/dot/{cycle}/tham-dinh/",
        "/kiem-diem/dot/{cycle}/tien-do/",
        "/thong-ke/",
    ],
    "thamquyen": ["/", "/kiem-diem/dot/{cycle}/quyet-dinh/", "/thong-ke/"],
    "kiemtra": ["/", "/liem-chinh/?cycle={cycle}", "/thong-ke/"],
    "quantri": ["/", "/kiem-diem/dot/{cycle}/", "/tai-khoan/ma-api/"],
}

# Words of the models' own choices that are ordinary words in the pages' Vietnamese.
NOT_CODES = {"file", "link", "document", "count", "points", "admin", "self", "none"}

MEASURE = """() => {
  const bare = td => {  // the cell's text without its buttons: a lone button needs no label
    const copy = td.cloneNode(true);
    copy.querySelectorAll('button').forEach(b => b.remove());
    return copy.textContent.trim();
  };
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    text: document.body.innerText,
    unlabelled: [...document.querySelectorAll('table.stack td:not([colspan])')]
      .filter(td => td.offsetParent && bare(td) && !td.hasAttribute('data-label'))
      .map(td => bare(td).slice(0, 40)),
    wide: [...document.querySelectorAll('main *')]
      .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-3).map(el => el.tagName + '.' + el.className + ' ' + (el.name || '')),
  };
}"""


# The statistics page's own checks: a chart label's size as rendered (its font size times the
# SVG's scale), the peer-group ratios' text, the filters' tap targets and the tables outside a
# scroll box.
STATS_MEASURE = """() => {
  const labels = [...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  });
  return {
    labels,
    ratios: [...document.querySelectorAll('section[aria-labelledby=quotas] table tbody tr')].map(
      tr => tr.cells[1].textContent.trim()),
    small: [...document.querySelectorAll('.filters select, .filters button, .filters .button')]
      .filter(el => el.getBoundingClientRect().height < 44).map(el => el.tagName + ' ' + el.name),
    // a filter's label with its field: text above the field is taller than one 44-px line
    rows: [...document.querySelectorAll('.filters label')].map(
      l => Math.round(l.getBoundingClientRect().height)),
    loose: [...document.querySelectorAll('main table:not(.stack)')]
      .filter(t => !t.parentElement.classList.contains('scroll')).length,
  };
}"""


def stats_problems(page, where: str, wide: bool = False) -> list[str]:
    seen = page.evaluate(STATS_MEASURE)
    problems = []
    if not seen["rows"] or any((h > 60) if wide else (h <= 60) for h in seen["rows"]):
        layout = "beside" if wide else "above"
        problems.append(f"{where}: filter labels not {layout} their fields {seen['rows']}")
    if not seen["labels"] or min(seen["labels"]) < 11:
        problems.append(f"{where}: chart labels rendered at {sorted(seen['labels'])[:3]} px")
    if not seen["ratios"]:
        problems.append(f"{where}: no peer-group ratio shown")
    problems += [f"{where}: ratio {r!r}" for r in seen["ratios"] if not re.fullmatch(r"\d+,\d+", r)]
    if seen["small"]:
        problems.append(f"{where}: filter controls under 44 px {seen['small']}")
    if seen["loose"]:
        problems.append(f"{where}: {seen['loose']} table(s) neither stacked nor in a scroll box")
    return problems


def shoot(page, name: str) -> None:
    """The page's head (its filters) and its two chart cards, to look at."""
    page.locator(".pagehead").screenshot(path=f"{SHOTS}/{name}-head.png")
    page.locator(".grid").first.screenshot(path=f"{SHOTS}/{name}-charts.png")


def model_codes() -> set[str]:
    """The stored values of every choice field of the project (English identifiers such as
    "submitted", "unit_head", "party_outside"): none of them may reach a reader."""
    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("kiemdiem."):
            continue
        for field in model._meta.fields:
            for value, _label in field.flatchoices if field.choices else ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value):
                    codes.add(value)
    return codes - NOT_CODES


@pytest.fixture
def demo(settings):
    """The demo as `make run` builds it, on a small province (DEBUG only, like the commands)."""
    build_demo(settings, PAGES, integrity=True)
    return Cycle.objects.order_by("-year", "-pk").first()


def test_every_role_reads_its_pages_in_vietnamese_on_a_phone_without_sideways_scrolling(
    live_server,
    browser,  # noqa: F811
    demo,
):
    codes = model_codes()
    assert {"submitted", "unit_head", "party_outside", "verified"} <= codes
    code_word = re.compile(
        r"(?<![\w/.-])(" + "|".join(sorted(codes)) + r"|None|True|False)(?![\w/-])"
    )
    iso_date = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
    problems = []
    for username, pages in PAGES.items():
        page = signed_in(browser, live_server.url, username, width=PHONE)
        page.context.set_default_timeout(30_000)
        page.set_viewport_size({"width": PHONE, "height": 740})
        for path in pages:
            url = path.format(cycle=demo.pk)
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, f"{username} {url}: {response.status}"
            seen = page.evaluate(MEASURE)
            where = f"{username} {url}"
            if seen["scrollWidth"] > seen["innerWidth"]:
                problems.append(
                    f"{where}: the page scrolls sideways ({seen['scrollWidth']} px: {seen['wide']})"
                )
            if seen["unlabelled"]:
                problems.append(f"{where}: stacked cells without a label {seen['unlabelled'][:3]}")
            for found in code_word.finditer(seen["text"]):
                context = seen["text"][max(0, found.start() - 30) : found.end() + 10]
                problems.append(f"{where}: code {found.group(0)!r} in {context!r}")
            for found in iso_date.findall(seen["text"]):
                problems.append(f"{where}: ISO date {found}")
            if url.startswith("/thong-ke/"):
                problems += stats_problems(page, where)
                shoot(page, f"{username}-stats-{PHONE}")
                page.set_viewport_size({"width": DESKTOP, "height": 900})
                problems += stats_problems(page, f"{where} at {DESKTOP} px", wide=True)
                shoot(page, f"{username}-stats-{DESKTOP}")
                page.set_viewport_size({"width": PHONE, "height": 740})
            elif page.locator(".filters").count():
                page.locator(".filters").first.screenshot(path=f"{SHOTS}/{username}-filters.png")
                small = page.evaluate(STATS_MEASURE)["small"]
                if small:
                    problems.append(f"{where}: filter controls under 44 px {small}")
        page.context.close()
    assert not problems, "\n".join(problems)
