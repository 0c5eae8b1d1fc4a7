"""Validation of identity numbers and dates, with messages a commune clerk understands."""

from __future__ import annotations

import datetime as dt

# Province codes of the 12-digit citizen identity number (Thông tư 07/2016/TT-BCA, Phụ lục I).
PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34,
        35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68,
        70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def century_gender_digit(*, gender: str, birth_year: int) -> str:
    """The 4th digit: century of birth and gender (0/1 = 1900s male/female, 2/3 = 2000s, …)."""
    century_index = (birth_year // 100) - 19  # 1900s → 0, 2000s → 1, …
    return str(century_index * 2 + (1 if gender == "female" else 0))


def identity_number_errors(
    number: str, *, gender: str | None = None, date_of_birth: dt.date | None = None
) -> list[str]:
    """Check a CCCD number; an empty list means valid."""
    if len(number) != 12 or not number.isdigit():
        return [f"Số CCCD “{number}” phải gồm đúng 12 chữ số."]
    errors = []
    if number[:3] not in PROVINCE_CODES:
        errors.append(f"Số CCCD “{number}”: mã tỉnh “{number[:3]}” không tồn tại.")
    if gender and date_of_birth:
        if not 1900 <= date_of_birth.year <= 2399:
            return [*errors, "Năm sinh không hợp lệ."]
        expected = century_gender_digit(gender=gender, birth_year=date_of_birth.year)
        if number[3] != expected:
            errors.append(
                f"Số CCCD “{number}”: chữ số thứ 4 ({number[3]}) không khớp giới tính và thế kỷ "
                f"năm sinh (phải là {expected})."
            )
        if number[4:6] != f"{date_of_birth.year % 100:02d}":
            errors.append(
                f"Số CCCD “{number}”: chữ số thứ 5–6 ({number[4:6]}) không khớp năm sinh "
                f"{date_of_birth.year}."
            )
    return errors


def date_of_birth_errors(value: dt.date, *, today: dt.date) -> list[str]:
    if value > today:
        return [f"Ngày sinh {value:%d/%m/%Y} ở tương lai."]
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 15:
        return [f"Ngày sinh {value:%d/%m/%Y}: chưa đủ 15 tuổi."]
    if age > 120:
        return [f"Ngày sinh {value:%d/%m/%Y} không hợp lý (trên 120 tuổi)."]
    return []
