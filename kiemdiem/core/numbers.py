"""The one Vietnamese number formatter: dots between thousands, a comma before decimals
(12.345 and 96,63). Pure Python, no Django; every layer that shows a number uses it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = int | Decimal | float | str


def _decimal(value: Number) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip()
    if not text.isascii():  # Decimal reads "١٢" as 12: only the digits 0-9 are a number here
        raise ValueError(f"not a number: {value!r}")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def vn_number(value: Number | None, places: int | None = None) -> str:
    """1234567 → "1.234.567"; Decimal("96.63") → "96,63"; -2.5 → "-2,5".

    `places` rounds half up to that many decimals and keeps them ("0,20" with 2). Without it,
    a Decimal or float drops its trailing zeros (Decimal("96.60") → "96,6") while a string keeps
    the digits it was written with ("96.60" → "96,60", "0.20" → "0,20"): text such as a stored
    ratio or an engine reason already chose its precision. None gives "".
    """
    if value is None:
        return ""
    number = _decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    elif not isinstance(value, str):
        number = number.normalize()
    if number == 0:
        number = abs(number)  # no "-0"
    whole, _, frac = f"{abs(number):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    return f"{sign}{groups},{frac}" if frac else f"{sign}{groups}"


def vn_number_or_text(value: Number | None) -> str:
    """`vn_number`, or the value as it was written when it is no number ("—", "một bộ hồ sơ"):
    for text that usually holds a number but is not checked to (engine details, audit values)."""
    try:
        return vn_number(value)
    except (TypeError, ValueError):
        return str(value)
