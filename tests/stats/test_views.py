"""The statistics page and its XLSX: rights (404 outside the scope), figures, drill-down."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.orgs.models import Organization
from kiemdiem.stats import selectors
from tests.conftest import make_user
from tests.stats.support import SHEETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(generated):
    return make_user("tinhuy", role=Role.PERSONNEL, org=generated.cast.province_party)


def test_dashboard_shows_the_subtree_figures(client, generated, keeper):
    client.force_login(keeper)
    response = client.get(reverse("stats_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    stats = selectors.statistics(generated.cycle, generated.cast.province_party)
    assert generated.cycle.name in html
    assert f"Tổng số phiếu: {stats.total.total}" in html
    assert "<svg" in html and "style=" not in html
    # Drill-down link to the direct child unit, and the previous year's column.
    child = generated.cast.department_party
    assert f"org={child.pk}" in html
    assert "Năm 2025" in html
    for q in stats.quotas:  # each peer group's row, with its quota
        assert f'<td>{q.name}</td><td class="num">{q.ratio.replace(".", ",")}</td>' in html  # 0,20
        assert f'<td class="num">{q.allowed}</td>' in html


def test_drill_down_to_a_child_unit(client, generated, keeper):
    client.force_login(keeper)
    cell = generated.cast.cell
    response = client.get(reverse("stats_dashboard"), {"cycle": generated.cycle.pk, "org": cell.pk})
    assert response.status_code == 200
    html = response.content.decode()
    expected = selectors.statistics(generated.cycle, cell).total.total
    assert f"Tổng số phiếu: {expected}" in html
    assert generated.cast.province_party.name in html  # the breadcrumb back up


@pytest.mark.parametrize("url", ["stats_dashboard", "stats_export"])
def test_outside_the_scope_is_404(client, generated, keeper, url):
    client.force_login(keeper)
    other = generated.cast.division  # the state tree: not under the keeper's party committee
    response = client.get(reverse(url), {"cycle": generated.cycle.pk, "org": other.pk})
    assert response.status_code == 404
    client.force_login(generated.cast.staff)  # no viewer role at all
    assert client.get(reverse(url)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, generated):
    response = client.get(reverse("stats_dashboard"))
    assert response.status_code == 302


def _sheet_texts(content: bytes) -> tuple[list[str], str]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = z.namelist()
        shared = z.read("xl/sharedStrings.xml").decode()
        sheets = "".join(z.read(n).decode() for n in names if n.startswith("xl/worksheets/"))
        book = z.read("xl/workbook.xml").decode()
    return re.findall(r'<sheet name="([^"]+)"', book), shared + sheets


def test_xlsx_has_one_sheet_per_table_and_no_formula(client, generated, keeper):
    Organization.objects.filter(pk=generated.cast.cell.pk).update(name='=HYPERLINK("x")')
    client.force_login(keeper)
    response = client.get(
        reverse("stats_export"),
        {"cycle": generated.cycle.pk, "org": generated.cast.department_party.pk},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets, text = _sheet_texts(response.content)
    assert sheets == SHEETS
    assert "=HYPERLINK(&quot;x&quot;)" in text or '=HYPERLINK("x")' in text
    assert "<f>" not in text
    assert '<pane ySplit="3"' in text or 'ySplit="3"' in text


def test_names_are_escaped_in_the_tables(client, generated, keeper):
    Organization.objects.filter(pk=generated.cast.department_party.pk).update(
        name="<script>alert(1)</script>"
    )
    client.force_login(keeper)
    html = client.get(reverse("stats_dashboard")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_drill_down_ends_at_the_people_of_the_unit_with_their_levels(client, generated, keeper):
    from kiemdiem.reviews.evaluations.models import Evaluation

    client.force_login(keeper)
    cell = generated.cast.cell
    person = (
        Evaluation.objects.filter(cycle=generated.cycle, organization=cell, status="decided")
        .exclude(decided_level="")
        .exclude(person=None)
        .select_related("person")
        .first()
    )
    response = client.get(reverse("stats_dashboard"), {"cycle": generated.cycle.pk, "org": cell.pk})
    html = response.content.decode()
    section = html[html.index('id="people"') : html.index('id="roles"')]
    level = dict(Evaluation._meta.get_field("decided_level").choices)[person.decided_level]
    assert f"<td>{person.person.full_name}</td>" in section
    assert f"<td>{level}</td>" in section
    own = Evaluation.objects.filter(cycle=generated.cycle, organization=cell).exclude(
        status="annulled"
    )
    assert section.count("<tr>") == own.count() + 1  # + the header row
    other = Evaluation.objects.filter(cycle=generated.cycle).exclude(organization=cell)
    outside = {e.person.full_name for e in other.exclude(person=None).select_related("person")}
    inside = {e.person.full_name for e in own.exclude(person=None).select_related("person")}
    for name in outside - inside:
        assert f"<td>{name}</td>" not in section


def test_compliance_rows_show_checked_and_breaches(client, generated, keeper):
    from kiemdiem.stats import compliance

    client.force_login(keeper)
    root = generated.cast.province_party
    response = client.get(reverse("stats_dashboard"), {"cycle": generated.cycle.pk, "org": root.pk})
    html = response.content.decode()
    for check in compliance.checks(selectors.subtree(generated.cycle, root)):
        row = re.search(rf'<tr data-check="{check.key}">(.*?)</tr>', html).group(1)
        assert f'<td class="num">{check.checked}</td><td class="num">{check.breaches}</td>' in row
        assert ("Không đạt" in row) == (check.breaches > 0)
    assert '<tr data-check="quota">' in html


def test_the_header_links_to_the_statistics_only_for_those_who_may_see_them(
    client, generated, keeper
):
    link = f'href="{reverse("stats_dashboard")}"'
    client.force_login(keeper)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(generated.cast.outsider)
    html = client.get(reverse("home")).content.decode()
    assert link not in html
    assert client.get(reverse("stats_dashboard")).status_code == 404


def test_the_page_shows_the_time_of_its_numbers_and_a_pending_refresh(client, generated, keeper):
    from django.utils import timezone

    from kiemdiem.stats.models import SummaryState

    client.force_login(keeper)
    query = {"cycle": generated.cycle.pk, "org": generated.cast.province_party.pk}
    html = client.get(reverse("stats_dashboard"), query).content.decode()
    state = SummaryState.objects.get(cycle=generated.cycle)  # built by the first view
    at = timezone.localtime(state.built_at).strftime("%H:%M %d/%m/%Y")
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", at)
    assert f"Số liệu lúc {at}" in html
    assert 'id="stats-pending"' not in html
    SummaryState.objects.filter(pk=state.pk).update(changed_at=timezone.now())
    html = client.get(reverse("stats_dashboard"), query).content.decode()
    assert f"Số liệu lúc {at}" in html  # the same numbers, not rebuilt by the page
    assert 'id="stats-pending"' in html and "đang cập nhật số liệu mới" in html


def test_counts_have_vietnamese_thousands_separators(client, generated, keeper):
    from kiemdiem.stats import summary
    from kiemdiem.stats.models import CycleSummary

    cycle, root = generated.cycle, generated.cast.province_party
    summary.rebuild(cycle)
    before = selectors.statistics(cycle, root).total.total
    CycleSummary.objects.create(
        cycle=cycle,
        unit=root.pk,
        role="staff",
        track="party",
        status="draft",
        level="undecided",
        n=12345,
    )
    client.force_login(keeper)
    html = client.get(reverse("stats_dashboard"), {"cycle": cycle.pk, "org": root.pk}).content
    total = f"{before + 12345:,}".replace(",", ".")
    assert f"Tổng số phiếu: {total}" in html.decode()


def _page_queries(client, cycle, org) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("stats_dashboard")
    client.get(url, {"cycle": cycle.pk, "org": org.pk})  # the summaries built on first view
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"cycle": cycle.pk, "org": org.pk}).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_units_and_evaluations(client, generated, keeper):
    """The same number of queries after adding units, people, evaluations and peer groups."""
    from kiemdiem.reviews.cycles.models import PeerGroup
    from kiemdiem.reviews.evaluations.models import Evaluation
    from kiemdiem.stats import summary
    from tests.conftest import make_org, make_person

    cycle, root = generated.cycle, generated.cast.province_party
    client.force_login(keeper)
    before = _page_queries(client, cycle, root)
    assert before <= 21
    rows = []
    parents = [root, generated.cast.department_party]  # new child rows, new grandchildren
    for u in range(6):
        unit = make_org(f"CB{u}", f"Chi bộ thêm {u}", "cell_sub", parents[u % 2])
        group = PeerGroup.objects.create(cycle=cycle, code=f"X{u}", name=f"Nhóm thêm {u}")
        for i in range(5):
            person = make_person(f"Người {'ABCDEF'[u]} {'KLMNP'[i]}")
            rows.append(
                Evaluation(
                    cycle=cycle,
                    code=f"X{u}-{i}",
                    subject="individual",
                    role="staff",
                    track="party",
                    person=person,
                    organization=unit,
                    peer_group=group,
                    status="decided",
                    decided_level="HTTNV" if i else "HTXSNV",
                )
            )
    Evaluation.objects.bulk_create(rows)
    summary.rebuild(cycle)
    assert (
        selectors.statistics(cycle, root).total.total
        == summary.statistics(cycle, root)[0].total.total
    )
    assert _page_queries(client, cycle, root) == before
