"""Validation of the organization records, with messages a commune clerk understands.

Pure checks (one query at most, for duplicates), shared by the services — which run them before
every write — and by the admin's forms, so that no path into the database skips them.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kiemdiem.core.text import ascii_digits, nfc
from kiemdiem.orgs.models import (
    EmploymentCategory,
    Gender,
    Organization,
    OrgKind,
    PartyStatus,
    Person,
    Position,
    PostLevel,
)

# Province codes of the 12-digit citizen identity number (Thông tư 07/2016/TT-BCA, Phụ lục I).
PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34,
        35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68,
        70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip

# The choice values, computed once: `Choices.values` rebuilds its list (and every member's
# label) on each access, a tenth of the checks of a 100,000-row roster import.
_GENDERS = frozenset(Gender.values)
_EMPLOYMENTS = frozenset(EmploymentCategory.values)
_ORG_KINDS = frozenset(OrgKind.values)
_CELL_KINDS = frozenset(OrgKind.cell_kinds())
_POST_LEVELS = frozenset(PostLevel.values)
_PARTY_STATUSES = frozenset(PartyStatus.values)


def _date(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def century_gender_digit(*, gender: str, birth_year: int) -> str:
    """The 4th digit: century of birth and gender (0/1 = 1900s male/female, 2/3 = 2000s, …)."""
    century_index = (birth_year // 100) - 19  # 1900s → 0, 2000s → 1, …
    return str(century_index * 2 + (1 if gender == "female" else 0))


def identity_number_errors(
    number: str, *, gender: str | None = None, date_of_birth: dt.date | None = None
) -> list[str]:
    """Check a CCCD number; an empty list means valid."""
    if len(number) != 12 or not ascii_digits(number):
        return [_("Số CCCD “%(number)s” phải gồm đúng 12 chữ số.") % {"number": number}]
    errors = []
    if number[:3] not in PROVINCE_CODES:
        errors.append(
            _("Số CCCD “%(number)s”: mã tỉnh “%(code)s” không tồn tại.")
            % {"number": number, "code": number[:3]}
        )
    if gender and date_of_birth:
        if not 1900 <= date_of_birth.year <= 2399:
            return [*errors, _("Năm sinh không hợp lệ.")]
        expected = century_gender_digit(gender=gender, birth_year=date_of_birth.year)
        if number[3] != expected:
            errors.append(
                _(
                    "Số CCCD “%(number)s”: chữ số thứ 4 (%(digit)s) không khớp giới tính và thế "
                    "kỷ năm sinh (phải là %(expected)s)."
                )
                % {"number": number, "digit": number[3], "expected": expected}
            )
        if number[4:6] != f"{date_of_birth.year % 100:02d}":
            errors.append(
                _("Số CCCD “%(number)s”: chữ số thứ 5–6 (%(digits)s) không khớp năm sinh %(year)s.")
                % {"number": number, "digits": number[4:6], "year": date_of_birth.year}
            )
    return errors


def date_of_birth_errors(value: dt.date, *, today: dt.date) -> list[str]:
    if value > today:
        return [_("Ngày sinh %(date)s ở tương lai.") % {"date": _date(value)}]
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 15:
        return [_("Ngày sinh %(date)s: chưa đủ 15 tuổi.") % {"date": _date(value)}]
    if age > 120:
        return [_("Ngày sinh %(date)s không hợp lý (trên 120 tuổi).") % {"date": _date(value)}]
    return []


def person_errors(
    *,
    full_name: str,
    gender: str,
    date_of_birth: dt.date | None,
    identity_number: str,
    employment: str,
    today: dt.date,
    exclude_pk: int | None = None,
    check_duplicate: bool = True,
) -> dict[str, list[str]]:
    """`check_duplicate=False` skips the one query: for a caller (the roster import) that has
    already looked up every identity number of its batch at once."""
    errors: dict[str, list[str]] = {}
    name = nfc(full_name)
    if len(name.split(" ")) < 2:
        errors["full_name"] = [_("Họ và tên phải có ít nhất họ và tên (ví dụ “Nguyễn An”).")]
    elif any(ch.isdigit() for ch in name):
        errors["full_name"] = [_("Họ và tên “%(name)s” không được chứa chữ số.") % {"name": name}]
    if gender not in _GENDERS:
        errors["gender"] = [_("Giới tính phải là Nam hoặc Nữ.")]
    if employment not in _EMPLOYMENTS:
        errors["employment"] = [_("Đối tượng “%(value)s” không hợp lệ.") % {"value": employment}]
    if date_of_birth is None:
        errors["date_of_birth"] = [_("Ngày sinh không được để trống.")]
    else:
        dob_errors = date_of_birth_errors(date_of_birth, today=today)
        if dob_errors:
            errors["date_of_birth"] = dob_errors
    number = identity_number.strip()
    id_errors = identity_number_errors(
        number,
        gender=gender if "gender" not in errors else None,
        date_of_birth=date_of_birth if "date_of_birth" not in errors else None,
    )
    if not id_errors and check_duplicate:
        duplicate = Person.objects.filter(identity_number=number)
        if exclude_pk is not None:
            duplicate = duplicate.exclude(pk=exclude_pk)
        if duplicate.exists():
            id_errors = [_("Số CCCD “%(number)s” đã thuộc về một người khác.") % {"number": number}]
    if id_errors:
        errors["identity_number"] = id_errors
    return errors


def organization_link_errors(
    *,
    kind: str,
    parent: Organization | None,
    party_organization: Organization | None,
    leads: Organization | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in _ORG_KINDS:
        errors["kind"] = _("Loại tổ chức “%(kind)s” không hợp lệ.") % {"kind": kind}
    if party_organization is not None and not party_organization.is_party:
        errors["party_organization"] = _("“%(name)s” không phải là tổ chức đảng.") % {
            "name": party_organization.name
        }
    if kind == OrgKind.LEADERSHIP:
        if leads is None:
            errors["leads"] = _("Tập thể lãnh đạo, quản lý phải gắn với tổ chức mà nó lãnh đạo.")
        elif leads.is_leadership:
            errors["leads"] = _("Tập thể lãnh đạo không thể lãnh đạo một tập thể lãnh đạo khác.")
    elif leads is not None:
        errors["leads"] = _("Chỉ tập thể lãnh đạo, quản lý mới gắn với tổ chức được lãnh đạo.")
    if parent is not None and parent.is_leadership:
        errors["parent"] = _("Tập thể lãnh đạo, quản lý không có đơn vị trực thuộc.")
    return errors


def organization_code_errors(code: str, *, exclude_pk: int | None = None) -> dict[str, str]:
    code = code.strip()
    if not code:
        return {"code": _("Mã tổ chức không được để trống.")}
    taken = Organization.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return {"code": _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}}
    return {}


def position_errors(
    *,
    organization: Organization,
    title: str,
    level: int,
    is_head: bool,
    start_date: dt.date | None,
    end_date: dt.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not nfc(title):
        errors["title"] = _("Chức danh không được để trống.")
    if level not in _POST_LEVELS:
        errors["level"] = _("Cấp chức vụ “%(level)s” không hợp lệ.") % {"level": level}
    if start_date is None:
        errors["start_date"] = _("Ngày bắt đầu không được để trống.")
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = end_before_start(end_date, start_date)
    if is_head and level == PostLevel.STAFF:
        errors["is_head"] = _("Người đứng đầu phải giữ chức vụ lãnh đạo, quản lý.")
    if is_head and end_date is None and not errors:
        current = Position.objects.filter(
            organization=organization, is_head=True, end_date__isnull=True
        ).select_related("person")
        if current.exists():
            errors["is_head"] = _("“%(unit)s” đã có người đứng đầu: %(name)s.") % {
                "unit": organization.name,
                "name": current[0].person.full_name,
            }
    return errors


def end_before_start(end_date: dt.date, start_date: dt.date) -> str:
    return _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.") % {
        "end": _date(end_date),
        "start": _date(start_date),
    }


def party_membership_errors(
    *,
    person: Person,
    cell: Organization,
    admitted_on: dt.date | None,
    official_on: dt.date | None,
    status: str,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not cell.is_party or cell.kind not in _CELL_KINDS:
        errors["cell"] = _("“%(name)s” không phải là chi bộ hoặc đảng bộ nơi sinh hoạt.") % {
            "name": cell.name
        }
    if admitted_on is None:
        errors["admitted_on"] = _("Ngày vào Đảng không được để trống.")
    else:
        if admitted_on > today:
            errors["admitted_on"] = _("Ngày vào Đảng %(date)s ở tương lai.") % {
                "date": _date(admitted_on)
            }
        if admitted_on < person.date_of_birth:
            errors["admitted_on"] = _("Ngày vào Đảng trước ngày sinh.")
        if official_on is not None and official_on < admitted_on:
            errors["official_on"] = _(
                "Ngày chính thức %(official)s trước ngày vào Đảng %(admitted)s."
            ) % {"official": _date(official_on), "admitted": _date(admitted_on)}
    if status not in _PARTY_STATUSES:
        errors["status"] = _("Tình trạng “%(status)s” không hợp lệ.") % {"status": status}
    return errors
