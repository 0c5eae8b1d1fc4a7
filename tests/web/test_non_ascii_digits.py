"""A number in a page's address written with digits outside 0-9 ("²", which `str.isdigit`
accepts and `int` refuses; "１", which `int` reads) is treated like any other non-number: the
page's default or its 404, never a 500 (issue 9's acceptance found five such pages)."""

from __future__ import annotations

import pytest

from tests.reviews.selfreview.support import make_cycle


@pytest.mark.parametrize("value", ["²", "１", "٣"])
@pytest.mark.parametrize(
    "address",
    [
        "/kiem-diem/dot/{cycle}/tien-do/?don-vi={v}",
        "/liem-chinh/?trang={v}",
        "/liem-chinh/?ca-nhan={v}",
        "/liem-chinh/?cycle={v}",
        "/liem-chinh/?org={v}",
        "/thong-ke/?cycle={v}",
        "/thong-ke/?org={v}",
    ],
)
def test_pages_answer_a_non_ascii_number_without_a_server_error(admin_client, cast, address, value):
    cycle = make_cycle(cast)
    response = admin_client.get(address.format(v=value, cycle=cycle.pk))
    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize("value", ["²", "１"])
def test_the_ledger_reads_a_non_ascii_year_as_the_current_year(client, cast, value):
    client.force_login(cast.staff)
    response = client.get(f"/so-nhiem-vu/?nam={value}")
    assert response.status_code == 200
