"""Validation of identity numbers and dates, with messages a commune clerk understands."""

from __future__ import annotations

import datetime as dt

# Province codes of the 12-digit citizen identity number (Thông tư 07/2016/TT-BCA, Phụ lục I).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)


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
