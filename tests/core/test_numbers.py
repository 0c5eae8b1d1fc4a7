from decimal import Decimal

import pytest

from kiemdiem.core.numbers import vn_number, vn_number_or_text
from kiemdiem.explain.render import vn_number as explain_number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (Decimal("-0.00"), "0"),
        (-0.0, "0"),
        (12, "12"),
        (999, "999"),
        (1000, "1.000"),
        (12345, "12.345"),
        (-1234567, "-1.234.567"),
        (10**18, "1.000.000.000.000.000.000"),
        (Decimal("96.63"), "96,63"),
        (Decimal("-2.5"), "-2,5"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("96.60"), "96,6"),
        (Decimal("100.00"), "100"),
        (Decimal("1E+3"), "1.000"),
        (1.5, "1,5"),
        (0.1, "0,1"),
        (-12345.25, "-12.345,25"),
        ("96.63", "96,63"),
        ("0.20", "0,20"),
        ("96.60", "96,60"),
        ("1234567", "1.234.567"),
        (" -2.5 ", "-2,5"),
        (None, ""),
    ],
)
def test_vietnamese_separators(value, text):
    assert vn_number(value) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("12.45"), 1, "12,5"),
        (Decimal("-12.45"), 1, "-12,5"),
        (5, 1, "5,0"),
        ("0.2", 2, "0,20"),
        (33.333, 1, "33,3"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("0.04"), 1, "0,0"),
    ],
)
def test_fixed_places_round_half_up_and_keep_zeros(value, places, text):
    assert vn_number(value, places) == text


@pytest.mark.parametrize(
    "value", ["abc", "", "1,5", "NaN", Decimal("Infinity"), True, "\u0661\u0662", "１２"]
)
def test_what_is_not_a_finite_number_is_refused(value):
    with pytest.raises((ValueError, TypeError)):
        vn_number(value)


def test_the_explanations_formatter_uses_it_and_leaves_other_text_alone():
    assert explain_number("12345.50") == "12.345,50"
    assert explain_number("—") == "—"


def test_a_value_that_is_no_number_is_shown_as_written():
    assert vn_number_or_text("1200") == "1.200"
    assert vn_number_or_text("1500.5") == "1.500,5"
    assert vn_number_or_text("một bộ hồ sơ") == "một bộ hồ sơ"
    assert vn_number_or_text("—") == "—"
    assert vn_number_or_text(True) == "True"
