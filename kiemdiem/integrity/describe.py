"""Vietnamese names of the heuristics and one sentence per flag from its numbers (decimal comma,
thousands dot, levels by their full names)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemdiem.core.numbers import vn_number_or_text
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.stats.shares import vn_int, vn_pct

NAMES = {
    "leniency": gettext_lazy("Tỷ lệ HTXSNV+HTTNV cao bất thường so với toàn tỉnh"),
    "trend": gettext_lazy("Tỷ lệ HTXSNV+HTTNV tăng bất thường so với năm trước"),
    "levelling": gettext_lazy("Cào bằng: cả đơn vị cùng một mức"),
    "upward_decider": gettext_lazy("Người quyết định chỉ nâng mức so với gợi ý"),
    "low_evidence": gettext_lazy("Mức cao nhưng lượng hóa, minh chứng thấp"),
    "above_meeting": gettext_lazy("Mức quyết định cao hơn mức hội nghị đề xuất"),
    "leader_above_unit": gettext_lazy("Người đứng đầu xếp cao hơn đơn vị"),
    "shared_document": gettext_lazy("Một văn bản được nhiều người kê khai là sản phẩm"),
    "late_registration": gettext_lazy("Tự đăng ký nhiều nhiệm vụ sát hạn"),
    "target_changed": gettext_lazy("Chỉ tiêu bị sửa sau khi đã có kết quả"),
    "self_set_exceeded": gettext_lazy("Thường xuyên vượt chỉ tiêu tự đặt"),
    "identical_files": gettext_lazy("Tệp minh chứng giống hệt nhau giữa nhiều người"),
    "quota_ceiling": gettext_lazy("Nhóm tương đồng luôn đúng bằng trần HTXSNV"),
    "ties_leaders": gettext_lazy("Trường hợp ngang nhau luôn nghiêng về lãnh đạo"),
    "out_of_order": gettext_lazy("Quyết định sai thứ tự rồi sửa lại"),
}
FAMILY_NAMES = {
    "leniency": gettext_lazy("Nể nang và cào bằng"),
    "unsupported": gettext_lazy("Mức xếp loại thiếu căn cứ"),
    "padding": gettext_lazy("Kê khai sổ nhiệm vụ"),
    "quota": gettext_lazy("Tỷ lệ và thứ tự"),
}


def pct(x: float) -> str:
    return vn_pct(Decimal(str(x * 100)).quantize(Decimal("0.1")))


def p_value(x: float) -> str:
    return f"{x:.2g}".replace(".", ",") if x >= 0.0001 else "< 0,0001"


def level(code: str) -> str:
    return str(dict(Level.choices).get(code, code))


def kind(code: str) -> str:
    track, _sep, role = code.partition("/")
    roles, tracks = dict(Evaluation.Role.choices), dict(Evaluation.Track.choices)
    if not role:
        return str(roles.get(track, track))
    return f"{roles.get(role, role)} ({tracks.get(track, track)})"


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def _document(key: str) -> str:
    """A shared document's key ("88/QĐ-TU 2026-05-28") as a reader writes it: "88/QĐ-TU
    ngày 28/05/2026"."""
    symbol, _sep, date = key.rpartition(" ")
    if symbol and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return _("%(symbol)s ngày %(date)s") % {"symbol": symbol, "date": _date(date)}
    return key


def sentence(code: str, n: dict[str, Any]) -> str:  # noqa: C901 - one line per heuristic
    if code == "leniency":
        return _(
            "%(k)s/%(n)s (%(share)s) %(kind)s được HTXSNV hoặc HTTNV, toàn tỉnh %(base)s; "
            "kiểm định nhị thức một phía p = %(p)s (đã kiểm soát bội theo Benjamini–Hochberg)."
        ) % {"k": vn_int(n["k"]), "n": vn_int(n["n"]), "share": pct(n["share"]),
             "kind": kind(n["kind"]), "base": pct(n["province_share"]), "p": p_value(n["p_value"])}  # fmt: skip
    if code == "trend":
        return _(
            "%(kind)s: %(share)s HTXSNV hoặc HTTNV năm nay (%(k)s/%(n)s), năm trước %(before)s "
            "(%(k0)s/%(n0)s); p = %(p)s."
        ) % {"kind": kind(n["kind"]), "share": pct(n["share"]), "k": vn_int(n["k"]),
             "n": vn_int(n["n"]), "before": pct(n["previous_share"]),
             "k0": vn_int(n["previous_k"]), "n0": vn_int(n["previous_n"]), "p": p_value(n["p_value"])}  # fmt: skip
    if code == "levelling":
        return _(
            "Cả %(n)s %(kind)s cùng mức %(level)s (toàn tỉnh %(base)s ở mức này); p = %(p)s."
        ) % {"n": vn_int(n["n"]), "kind": kind(n["kind"]), "level": level(n["level"]),
             "base": pct(n["province_share"]), "p": p_value(n["p_value"])}  # fmt: skip
    if code == "upward_decider":
        return _("Cả %(n)s lần quyết định khác gợi ý của hệ thống đều nâng mức.") % {
            "n": vn_int(n["departures"])
        }
    if code == "low_evidence":
        parts = [_("mức %(level)s") % {"level": level(n["level"])}]
        if "quantification" in n:
            parts.append(_("lượng hóa %(q)s%%") % {"q": n["quantification"]})
        if "score" in n:
            parts.append(_("điểm kết quả %(s)s") % {"s": vn_number_or_text(n["score"])})
        if "tasks" in n:
            parts.append(
                _("%(w)s/%(t)s nhiệm vụ có sản phẩm")
                % {"w": vn_int(n["tasks_with_products"]), "t": vn_int(n["tasks"])}
            )
        return "; ".join(parts) + "."
    if code == "above_meeting":
        return _("Quyết định %(level)s, hội nghị đề xuất %(meeting)s.") % {
            "level": level(n["level"]), "meeting": level(n["meeting"])}  # fmt: skip
    if code == "leader_above_unit":
        return _("Người đứng đầu %(level)s, đơn vị %(unit)s.") % {
            "level": level(n["level"]), "unit": level(n["unit_level"])}  # fmt: skip
    if code == "shared_document":
        return _("Văn bản %(doc)s được %(p)s người ở %(u)s đơn vị kê khai.") % {
            "doc": _document(n["document"]), "p": vn_int(n["people"]), "u": vn_int(n["units"])}  # fmt: skip
    if code == "late_registration":
        return _("%(t)s nhiệm vụ tự đăng ký trong %(w)s tuần trước hạn %(d)s.") % {
            "t": vn_int(n["tasks"]), "w": n["weeks"], "d": _date(n["deadline"])}  # fmt: skip
    if code == "target_changed":
        return _("Chỉ tiêu nhiệm vụ #%(task)s sửa từ %(a)s thành %(b)s ngày %(at)s, sau kết quả.") % {
            "task": n["task"], "a": vn_number_or_text(n["before"]),
            "b": vn_number_or_text(n["after"]), "at": _date(n["at"])}  # fmt: skip
    if code == "self_set_exceeded":
        return _("%(e)s/%(d)s nhiệm vụ tự đặt chỉ tiêu đều vượt.") % {
            "e": vn_int(n["exceeded"]), "d": vn_int(n["done"])}  # fmt: skip
    if code == "identical_files":
        return _("%(f)s tệp giống hệt nhau (SHA-256 %(h)s…) của %(p)s người.") % {
            "f": vn_int(n["files"]), "h": n["sha256"][:12], "p": vn_int(n["people"])}  # fmt: skip
    if code == "quota_ceiling":
        return _(
            "Nhóm %(g)s: %(e)s HTXSNV, đúng bằng trần %(c)s năm nay; năm trước cũng đúng trần "
            "(%(e0)s)."
        ) % {"g": n["group"], "e": vn_int(n["excellent"]), "c": vn_int(n["ceiling"]),
             "e0": vn_int(n["previous_excellent"])}  # fmt: skip
    if code == "ties_leaders":
        return _("Cả %(g)s nhóm có nhiều người đủ điều kiện HTXSNV hơn chỉ tiêu đều dành cho lãnh đạo.") % {
            "g": vn_int(n["tie_groups"])}  # fmt: skip
    if code == "out_of_order":
        return _("Quyết định %(n)s lần (%(levels)s), lần đầu trước khi đơn vị được quyết định.") % {
            "n": vn_int(n["decisions"]), "levels": " → ".join(level(x) for x in n["levels"])}  # fmt: skip
    return ""
