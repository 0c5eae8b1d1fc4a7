from decimal import Decimal

from kiemdiem.stats.shares import share, vn_delta, vn_int, vn_pct


def test_vietnamese_numbers():
    assert vn_int(1234567) == "1.234.567"
    assert vn_int(12) == "12"
    assert vn_pct(Decimal("12.5")) == "12,5%"
    assert vn_pct(share(1, 3)) == "33,3%"
    assert vn_delta(-1200) == "−1.200"
    assert vn_delta(3) == "+3"


def test_share_of_nothing_is_zero():
    assert share(0, 0) == 0
    assert share(1, 8) == Decimal("12.5")
