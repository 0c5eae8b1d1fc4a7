"""The statistics XLSX read back with openpyxl: a sheet per table the page shows, typed cells,
frozen headers, the compliance figures and the unit's own people, text never a formula."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.orgs.models import Person
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import compliance, selectors
from tests.conftest import make_user
from tests.stats.support import SHEETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(generated):
    return make_user("tinhuy", role=Role.PERSONNEL, org=generated.cast.province_party)


def _book(client, generated, org):
    response = client.get(reverse("stats_export"), {"cycle": generated.cycle.pk, "org": org.pk})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]


def test_every_sheet_has_its_headers_frozen_and_typed_numbers(client, generated, keeper):
    client.force_login(keeper)
    book = _book(client, generated, generated.cast.province_party)
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        assert ws.freeze_panes == "B4", ws.title
        assert all(isinstance(c.value, str) for c in ws[3] if c.value is not None)
    levels = book["Theo mức xếp loại"]
    assert [c.value for c in levels[3]][:3] == ["Mức xếp loại", "Số lượng", "Tỷ lệ"]
    stats = selectors.statistics(generated.cycle, generated.cast.province_party)
    total = _rows(levels)[-1]
    assert total[:3] == ["Tổng số", stats.total.total, 1]
    first = levels["C4"]
    assert isinstance(first.value, float) and first.number_format == "0.0%"
    assert isinstance(levels["B4"].value, int)


def test_compliance_sheet_holds_every_check_with_its_figures(client, generated, keeper):
    client.force_login(keeper)
    root = generated.cast.province_party
    ws = _book(client, generated, root)["Tuân thủ"]
    assert [c.value for c in ws[3]] == [
        "Quy định",
        "Số trường hợp đã kiểm tra",
        "Số vi phạm",
        "Kết quả",
    ]
    rows = _rows(ws)
    checks = compliance.checks(selectors.subtree(generated.cycle, root))
    quotas = selectors.statistics(generated.cycle, root).quotas
    expected = [(c.checked, c.breaches) for c in checks]
    expected.append((len(quotas), sum(1 for q in quotas if not q.within)))
    assert [(r[1], r[2]) for r in rows] == expected
    assert any(b for _, b in expected[:-1]), "the generated data must breach something"
    for r in rows:
        assert r[3] == ("Đạt" if r[2] == 0 else "Không đạt")
    assert rows[-1][0] == "Số nhóm tương đồng giữ tỷ lệ HTXSNV"


def test_people_sheet_lists_the_unit_own_evaluations_and_keeps_formulas_as_text(
    client, generated, keeper
):
    cell = generated.cast.cell
    own = Evaluation.objects.filter(cycle=generated.cycle, organization=cell).exclude(
        status="annulled"
    )
    person = own.exclude(person=None).first().person
    Person.objects.filter(pk=person.pk).update(full_name='=HYPERLINK("http://x","y")')
    client.force_login(keeper)
    ws = _book(client, generated, cell)["Cá nhân, tập thể"]
    assert [c.value for c in ws[3]] == [
        "Họ và tên",
        "Đối tượng",
        "Bên",
        "Trạng thái",
        "Mức xếp loại",
    ]
    rows = _rows(ws)
    assert len(rows) == own.count()
    names = [r[0] for r in rows]
    assert '=HYPERLINK("http://x","y")' in names
    formula = next(c for c in ws["A"] if c.value == '=HYPERLINK("http://x","y")')
    assert formula.data_type == "s"
    expected = [
        e.person.full_name if e.person_id else "Tập thể" for e in own.select_related("person")
    ]
    assert sorted(names) == sorted(expected)  # the unit's own, none of its sub-units'
    levels = {r[4] for r in rows}
    assert levels <= {
        *dict(Evaluation._meta.get_field("decided_level").choices).values(),
        "Chưa quyết định",
    }


def test_people_of_a_unit_outside_the_scope_are_not_exported(client, generated, keeper):
    client.force_login(keeper)
    other = generated.cast.division
    response = client.get(reverse("stats_export"), {"cycle": generated.cycle.pk, "org": other.pk})
    assert response.status_code == 404
