"""Reading a write request's JSON body: each field by its type, every problem collected and
answered at once as 422 `invalid` with `details.fields` (decisions.md §4), before any service
runs. The services check the meaning (rights, rules, states); this checks the shape, and the
column lengths the services leave to the database (PostgreSQL refuses a too-long value with an
error, which must never become a 500).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kiemdiem.api.errors import invalid
from kiemdiem.api.http import MAX_INT, read_json

MAX_TEXT = 20_000
MAX_DECIMAL = Decimal("9999999999")


def max_length(model: type[Model], field: str) -> int:
    return int(model._meta.get_field(field).max_length or MAX_TEXT)  # type: ignore[union-attr]


class Body:
    """`Body(request, allowed)`: the JSON object sent, refusing fields outside `allowed` (a
    misspelt field must not be silently ignored)."""

    def __init__(self, request: HttpRequest, allowed: tuple[str, ...]) -> None:
        data = read_json(request)
        if not isinstance(data, dict):
            raise invalid({"__all__": _("Nội dung gửi lên phải là một đối tượng JSON.")})
        self.data: dict[str, Any] = data
        self.errors: dict[str, str] = {
            str(k): _("Trường không được hỗ trợ.") for k in data if k not in allowed
        }

    def has(self, name: str) -> bool:
        return name in self.data

    def _missing(self, name: str, required: bool, nullable: bool = False) -> bool:
        """Absent (an error if required), or null where null means "none" (`nullable`)."""
        if name not in self.data:
            if required:
                self.errors[name] = _("Trường này là bắt buộc.")
            return True
        if self.data[name] is None:
            if not nullable or required:
                self.errors[name] = _("Không được để null.")
            return True
        return False

    def text(self, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
        if self._missing(name, required):
            return ""
        value = self.data[name]
        if not isinstance(value, str):
            self.errors[name] = _("Phải là văn bản.")
            return ""
        if "\x00" in value:
            self.errors[name] = _("Không được chứa ký tự NUL.")
            return ""
        if len(value.strip()) > limit:
            self.errors[name] = _("Tối đa %(max)s ký tự.") % {"max": limit}
            return ""
        if required and not value.strip():
            self.errors[name] = _("Trường này không được để trống.")
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int = 0,
        maximum: int = MAX_INT,
        nullable: bool = False,
    ) -> int | None:
        if self._missing(name, required, nullable):
            return None
        value = self.data[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = _("Phải là một số nguyên.")
            return None
        if not minimum <= value <= maximum:
            self.errors[name] = _("Phải từ %(min)s đến %(max)s.") % {"min": minimum, "max": maximum}
            return None
        return value

    def decimal(self, name: str, *, required: bool = False) -> Decimal | None:
        """A number sent as a JSON number or a string ("12.5"); never a float's rounding."""
        if self._missing(name, required):
            return None
        value = self.data[name]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.errors[name] = _("Phải là một số.")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or abs(number) > MAX_DECIMAL:
            self.errors[name] = _("Phải là một số hợp lệ.")
            return None
        return number.quantize(Decimal("0.01"))

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        if self._missing(name, required):
            return None
        value = self.data[name]
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors[name] = _("Phải là một ngày dạng YYYY-MM-DD.")
            return None

    def boolean(self, name: str, default: bool) -> bool:
        if self._missing(name, False):
            return default
        value = self.data[name]
        if not isinstance(value, bool):
            self.errors[name] = _("Chỉ nhận true hoặc false.")
            return default
        return value

    def choice(self, name: str, choices: list[str], *, required: bool = False) -> str:
        if self._missing(name, required):
            return ""
        value = self.data[name]
        if value not in choices:
            self.errors[name] = _("Giá trị không hợp lệ; chọn một trong: %(values)s.") % {
                "values": ", ".join(choices)
            }
            return ""
        return str(value)

    def mapping(self, name: str) -> dict[str, Any]:
        """An object of text values (a self-review's sections or criteria)."""
        if self._missing(name, False):
            return {}
        value = self.data[name]
        if not isinstance(value, dict) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value.values()
        ):
            self.errors[name] = _("Phải là một đối tượng JSON, mỗi giá trị là văn bản hoặc số.")
            return {}
        if any("\x00" in f"{k}{v}" or len(str(v)) > MAX_TEXT for k, v in value.items()):
            self.errors[name] = _("Có giá trị quá dài hoặc chứa ký tự NUL.")
            return {}
        return {str(k): v if isinstance(v, str) else str(v) for k, v in value.items()}

    def ref(
        self, name: str, queryset: QuerySet[Any], *, required: bool = False, nullable: bool = False
    ) -> Any:
        """The row an id names, or a field error (unknown, or not a positive id); None when
        absent, or null where `nullable` (a link removed)."""
        pk = self.integer(name, required=required, minimum=1, nullable=nullable)
        if pk is None:
            return None
        row = queryset.filter(pk=pk).first()
        if row is None:
            self.errors[name] = _("Không tìm thấy đối tượng có mã %(id)s.") % {"id": pk}
        return row

    def check(self) -> None:
        if self.errors:
            raise invalid(self.errors)
