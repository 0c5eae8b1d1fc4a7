"""The progress table rolls each organization up into the direct sub-unit it lies under (by
its path); the unit's own evaluations form their own row; three queries whatever the size."""

from __future__ import annotations

import datetime as dt

from kiemdiem.reviews.cycles.progress import unit_progress
from kiemdiem.reviews.models import Evaluation
from tests.notices.test_progress import setup  # noqa: F401  (the fixture)


def test_deeper_units_roll_up_into_their_direct_sub_unit(setup, django_assert_num_queries):  # noqa: F811
    cast, cycle = setup.cast, setup.cycle
    # The division's evaluations lie two levels below the province, under the department.
    in_department = Evaluation.objects.filter(
        cycle=cycle, organization__path__startswith=cast.department.path
    )
    assert in_department.exclude(organization=cast.department).exists()
    with django_assert_num_queries(3):  # paths, grouped counts, the sub-units' names
        total, units = unit_progress(cycle, cast.province, today=dt.date(2026, 1, 1))
    by_org = {u.org: u for u in units}
    assert cast.division not in by_org  # not a direct sub-unit of the province
    assert by_org[cast.department].total == in_department.count()
    # An evaluation of the department itself forms the first row of the department's table.
    Evaluation.objects.filter(pk=setup.leader.pk).update(organization=cast.department)
    own = Evaluation.objects.filter(cycle=cycle, organization=cast.department).count()
    assert own == 1
    _dept_total, dept_units = unit_progress(cycle, cast.department, today=dt.date(2026, 1, 1))
    assert dept_units[0].path == "" and dept_units[0].org == cast.department
    assert dept_units[0].total == own
    in_province = Evaluation.objects.filter(
        cycle=cycle, organization__path__startswith=cast.province.path
    )
    assert total.total == in_province.count()
    assert total.total == sum(u.total for u in units)
    paths = [u.path for u in units]
    assert paths == sorted(paths)  # tree order, the unit's own row ("") first
    # Before the deadlines nothing is overdue; the per-status counts add up to the total.
    assert total.overdue == 0
    assert sum(total.by_status.values()) == total.total
