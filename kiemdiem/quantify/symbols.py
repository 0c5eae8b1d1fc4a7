"""Is a typed number-and-symbol valid? Vietnamese messages for what is wrong with it (Decree
30/2020/NĐ-CP Appendix III for state documents, HD 36-HD/VPTW for the party's).

Reads the symbol with the same scanner as the document-reference parser (`docref`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Final

from kiemdiem.quantify.docref import Scanned, scan_symbols, valid_date
from kiemdiem.quantify.kinds import STATE_AGENCIES, System, kind_name_for
from kiemdiem.quantify.text import prepare

__all__ = ["validate_symbol"]

_EXAMPLE_STATE: Final = "123/QĐ-UBND"
_EXAMPLE_PARTY: Final = "12-NQ/TU"


def validate_symbol(
    symbol: str,
    *,
    today: date | None = None,
    issued_on: date | None = None,
    kind_name: str | None = None,
) -> list[str]:
    """Vietnamese error messages for a number-and-symbol as a user typed it; [] when valid.

    ``symbol`` may carry the issue date ("123/QĐ-UBND ngày 31/02/2025") and a kind name
    before it ("Quyết định số 123/QĐ-UBND"). Dates after ``today`` are reported only when
    ``today`` is given, so the result never depends on the clock. ``kind_name`` (e.g.
    "Công văn") is the kind chosen in the form; it must agree with the symbol.
    """
    prep = prepare(symbol)
    shown = prep.nfc.strip()
    if not shown:
        return ["Số ký hiệu không được để trống."]
    scanned = scan_symbols(prep, "validate")
    if not scanned:
        if re.fullmatch(r"\d+", shown):
            return [
                f"Số ký hiệu “{shown}” không đúng định dạng: thiếu tên loại văn bản và "
                f"cơ quan ban hành (ví dụ {_EXAMPLE_STATE} hoặc {_EXAMPLE_PARTY})."
            ]
        return [
            f"Số ký hiệu “{shown}” không đúng định dạng: cần dạng “số/TÊN LOẠI-CƠ QUAN” "
            f"(văn bản chính quyền, ví dụ {_EXAMPLE_STATE}) hoặc “số-TÊN LOẠI/CƠ QUAN” "
            f"(văn bản của Đảng, ví dụ {_EXAMPLE_PARTY})."
        ]
    item = scanned[0]
    errors: list[str] = []
    symbol_text = prep.nfc[item.start : item.symbol_end].strip()
    leftover = (prep.nfc[: item.start] + " " + prep.nfc[item.end :]).strip(" \t\n.,;")
    if leftover:
        errors.append(
            f"Số ký hiệu “{symbol_text}” không đúng định dạng: có phần thừa “{leftover}”."
        )
    errors.extend(_symbol_errors(item, symbol_text, kind_name))
    if int(item.num_str) == 0:
        errors.append(f"Số văn bản phải lớn hơn 0 (đang là “{item.num_str}”).")
    if today is not None and item.year is not None and item.year > today.year:
        errors.append(
            f"Năm {item.year} trong số ký hiệu “{symbol_text}” sau năm hiện tại ({today.year})."
        )
    errors.extend(_date_errors(item, today=today, issued_on=issued_on))
    return errors


def _symbol_errors(item: Scanned, shown: str, kind_name: str | None) -> list[str]:
    is_cong_van_form = kind_name is not None and kind_name.strip().lower() == "công văn"
    if item.system == "party":
        if item.code is None:
            return [
                f"Tên loại văn bản “{item.raw_code}” không có trong danh mục chữ viết tắt "
                "tên loại văn bản của Đảng (Hướng dẫn 36-HD/VPTW)."
            ]
        if not item.issuer:
            return [
                f"Số ký hiệu “{shown}” không đúng định dạng: thiếu chữ viết tắt tên cơ quan "
                f"ban hành (ví dụ {item.num_str}-{item.code}/TU)."
            ]
        return _kind_mismatch(item.code, "party", kind_name)
    parts = item.issuer_parts
    if item.code is not None:
        if not item.issuer:
            return [
                f"Số ký hiệu “{shown}” không đúng định dạng: thiếu chữ viết tắt tên cơ quan "
                f"ban hành (ví dụ {item.num_str}/{item.code}-UBND)."
            ]
        return _kind_mismatch(item.code, "state", kind_name)
    # No kind abbreviation: a công văn, or a kind that is not in Decree 30's table.
    if len(parts) >= 2 and parts[0] not in STATE_AGENCIES and parts[1] in STATE_AGENCIES:
        return [
            f"Tên loại văn bản “{parts[0]}” không có trong danh mục chữ viết tắt tên loại "
            "văn bản hành chính (Phụ lục III Nghị định 30/2020/NĐ-CP)."
        ]
    if len(parts) == 1 and not is_cong_van_form:
        return [
            f"Số ký hiệu “{shown}” không đúng định dạng: thiếu chữ viết tắt tên loại văn bản "
            f"(ví dụ {item.num_str}/QĐ-{parts[0]}); nếu là công văn, cần có cả đơn vị soạn "
            f"thảo (ví dụ {item.num_str}/{parts[0]}-VP)."
        ]
    if kind_name is not None and not is_cong_van_form:
        return [
            f"Số ký hiệu “{shown}” là dạng công văn (cơ quan-đơn vị soạn thảo) nhưng loại văn "
            f"bản đã chọn là “{kind_name}”."
        ]
    return []


def _kind_mismatch(code: str, system: System, kind_name: str | None) -> list[str]:
    if kind_name is None:
        return []
    wanted = kind_name.strip()
    expected = kind_name_for(code, system)
    same_code_names = {expected}
    if system == "party" and code == "QĐ":
        same_code_names.add("Quy định")
    if wanted.lower() in {name.lower() for name in same_code_names}:
        return []
    return [
        f"Tên loại “{code}” trong số ký hiệu là “{expected}”, không khớp với loại văn bản "
        f"đã chọn “{wanted}”."
    ]


def _date_errors(item: Scanned, *, today: date | None, issued_on: date | None) -> list[str]:
    errors: list[str] = []
    when = issued_on
    if item.date_parts is not None:
        day, month, year = item.date_parts
        when = valid_date(item.date_parts)
        if when is None:
            if not 1 <= month <= 12:
                reason = f"không có tháng {month}"
            else:
                last = calendar.monthrange(year, month)[1]
                reason = f"tháng {month}/{year} chỉ có {last} ngày"
            errors.append(f"Ngày ban hành “{item.date_raw}” không hợp lệ: {reason}.")
            return errors
    if when is None:
        return errors
    if today is not None and when > today:
        errors.append(f"Ngày ban hành {when:%d/%m/%Y} sau ngày hiện tại ({today:%d/%m/%Y}).")
    if item.year is not None and item.year != when.year:
        errors.append(f"Năm trong số ký hiệu ({item.year}) khác năm ban hành ({when.year}).")
    return errors
