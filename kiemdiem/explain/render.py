"""Engine reasons → plain Vietnamese sentences (numbers 96,63, dates 17/07/2026, full level names).

The engine writes each reason's `detail` as short technical English ("score 93 ≥ 90; 24/24
done, …"). Here each known fragment is reworded; a fragment not recognised is dropped rather
than shown, and the sentence then rests on the rule's own wording, so no page shows a code or
English text where a person reads. `explain_reasons` is the one entry point for the pages, the
API and the documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemdiem.core import numbers
from kiemdiem.explain.reference import RuleRef, rule

LEVEL_NAMES = {
    "HTXSNV": gettext_lazy("Hoàn thành xuất sắc nhiệm vụ"),
    "HTTNV": gettext_lazy("Hoàn thành tốt nhiệm vụ"),
    "HTNV": gettext_lazy("Hoàn thành nhiệm vụ"),
    "KHTNV": gettext_lazy("Không hoàn thành nhiệm vụ"),
    "NOT_RATED": gettext_lazy("Không xếp loại"),
}
GRADE_NAMES = {
    "excellent": gettext_lazy("Xuất sắc"),
    "good": gettext_lazy("Tốt"),
    "average": gettext_lazy("Trung bình"),
    "poor": gettext_lazy("Kém"),
}
FLAG_NAMES = {
    "degradation": gettext_lazy("có kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống"),
    "prohibition_violation": gettext_lazy("vi phạm những điều đảng viên không được làm"),
    "socioeconomic_targets_failed": gettext_lazy(
        "không đạt các chỉ tiêu kinh tế - xã hội cơ bản được giao"
    ),
    "corruption_in_managed_unit": gettext_lazy(
        "để xảy ra tham nhũng, lãng phí, tiêu cực ở nơi trực tiếp quản lý"
    ),
    "cadre_work_wrongdoing": gettext_lazy("có sai phạm trong công tác cán bộ, mất đoàn kết"),
}


def level_name(code: str) -> str:
    return str(LEVEL_NAMES.get(code, code))


def vn_number(text: str) -> str:
    """'96.63' → '96,63'; '1234567' → '1.234.567' (the one formatter, on the engine's text:
    the digits written are kept; a text that is no number, such as "—", is shown as written)."""
    return numbers.vn_number_or_text(text)


def vn_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


NUM = r"-?\d+(?:\.\d+)?"
Handler = Callable[[re.Match[str]], str]


def _n(m: re.Match[str], group: int | str) -> str:
    return vn_number(m.group(group))


def _pct(text: str) -> str:
    return vn_number(text.rstrip("%")) + "%"


def _share(text: str) -> str:
    """A bound as the rule set writes it: '70%' or '1/2' or '0.5'."""
    return _pct(text) if text.endswith("%") else vn_number(text)


def _discipline(m: re.Match[str]) -> str:
    text = _("bị kỷ luật %(n)s lần trong năm") % {"n": m["n"]}
    if m["duty"]:
        text += _(" vì vi phạm liên quan đến thực thi công vụ")
    if m["remedied"]:
        text += _(", trong đó %(r)s lần đã tự phát hiện, khắc phục") % {"r": m["remedied"]}
    return text


def _tasks(m: re.Match[str]) -> str:
    text = _(
        "hoàn thành %(c)s/%(a)s nhiệm vụ, %(t)s/%(a)s đúng hạn (%(tp)s), %(e)s vượt mức (%(ep)s)"
    ) % {
        "c": m["c"],
        "a": m["a"],
        "t": m["t"],
        "tp": _pct(m["tp"]),
        "e": m["e"],
        "ep": _pct(m["ep"]),
    }
    return _("đơn vị %(tasks)s") % {"tasks": text} if m["unit"] else text


def _managed(m: re.Match[str]) -> str:
    counts = [(m[code], level_name(code)) for code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV")]
    listed = ", ".join(f"{n} {name}" for n, name in counts if n != "0")
    return _("đơn vị trực thuộc: %(listed)s") % {"listed": listed or "0"}


def _cap(m: re.Match[str]) -> str:
    return _("mức của phiếu liên quan là %(other)s, trước đó là %(was)s") % {
        "other": level_name(m["other"]),
        "was": level_name(m["was"]),
    }


#: (pattern, handler): fragments of the engine's detail texts, most specific first.
FRAGMENTS: list[tuple[re.Pattern[str], Handler]] = [
    (
        re.compile(rf"score (?P<s>{NUM}) (?P<op>≥|>=|>|<) (?P<b>{NUM})$"),
        lambda m: (
            _("tổng điểm %(s)s %(op)s %(b)s")
            % {"s": _n(m, "s"), "op": "≥" if m["op"] == ">=" else m["op"], "b": _n(m, "b")}
        ),
    ),
    (
        re.compile(rf"score (?P<s>{NUM})$"),
        lambda m: _("tổng điểm %(s)s") % {"s": _n(m, "s")},
    ),
    (
        re.compile(
            r"(?P<unit>unit )?(?P<c>\d+)/(?P<a>\d+) done, (?P<t>\d+)/\d+ on time \((?P<tp>[\d.]+%)\), "
            r"(?P<e>\d+) exceeded \((?P<ep>[\d.]+%)\)$"
        ),
        _tasks,
    ),
    (re.compile(r"no tasks$"), lambda m: _("không có nhiệm vụ nào được giao trong kỳ")),
    (
        re.compile(r"unit: no tasks$"),
        lambda m: _("đơn vị không có nhiệm vụ nào được giao trong kỳ"),
    ),
    (re.compile(r"managed none$"), lambda m: _("không quản lý đơn vị trực thuộc nào")),
    (
        re.compile(r"managed none rated$"),
        lambda m: _("các đơn vị trực thuộc chưa được xếp loại"),
    ),
    (
        re.compile(
            r"managed (?P<HTXSNV>\d+) HTXSNV, (?P<HTTNV>\d+) HTTNV, (?P<HTNV>\d+) HTNV, "
            r"(?P<KHTNV>\d+) KHTNV$"
        ),
        _managed,
    ),
    (
        re.compile(r"tied at the boundary$"),
        lambda m: _("bằng điểm với người ở ranh giới, cấp có thẩm quyền lựa chọn"),
    ),
    (re.compile(r"degradation concluded$"), lambda m: str(FLAG_NAMES["degradation"])),
    (
        re.compile(r"party_status exempt$"),
        lambda m: _("được miễn công tác và sinh hoạt đảng"),
    ),
    (re.compile(r"party_status suspended$"), lambda m: _("đang bị đình chỉ sinh hoạt đảng")),
    (
        re.compile(r"admitted (?P<d>\d{4}-\d\d-\d\d), after 30 June (?P<y>\d{4})$"),
        lambda m: (
            _("vào Đảng ngày %(d)s, sau ngày 30/06/%(y)s (chưa đủ 6 tháng)")
            % {"d": vn_date(m["d"]), "y": m["y"]}
        ),
    ),
    (
        re.compile(rf"worked (?P<m>{NUM}) months < (?P<b>{NUM}), not maternity$"),
        lambda m: (
            _("công tác %(m)s tháng trong năm, dưới %(b)s tháng, không phải nghỉ thai sản")
            % {"m": _n(m, "m"), "b": _n(m, "b")}
        ),
    ),
    (
        re.compile(rf"absent (?P<m>{NUM}) months ≥ (?P<b>{NUM}): at most (?P<l>[A-Z]+)$"),
        lambda m: (
            _("nghỉ %(m)s tháng trong năm (từ %(b)s tháng trở lên): cao nhất là %(l)s")
            % {"m": _n(m, "m"), "b": _n(m, "b"), "l": level_name(m["l"])}
        ),
    ),
    (
        re.compile(
            r"(?P<duty>duty-related )?(?P<n>\d+) current-year discipline\(s\)"
            r"(?: not self-remedied)?(?:, (?P<remedied>\d+) self-remedied)?$"
        ),
        _discipline,
    ),
    (
        re.compile(r"(?P<x>\d+) of (?P<a>\d+) tasks late or not done > (?P<b>\S+)$"),
        lambda m: (
            _("%(x)s/%(a)s nhiệm vụ chậm hoặc không hoàn thành, quá %(b)s")
            % {"x": m["x"], "a": m["a"], "b": _share(m["b"])}
        ),
    ),
    (
        re.compile(r"(?P<x>\d+) of (?P<a>\d+) tasks not done > (?P<b>\S+)$"),
        lambda m: (
            _("%(x)s/%(a)s nhiệm vụ không hoàn thành, quá %(b)s")
            % {"x": m["x"], "a": m["a"], "b": _share(m["b"])}
        ),
    ),
    (
        re.compile(r"(?P<unit>unit )?(?P<c>\d+)/(?P<a>\d+) done < (?P<b>\S+)$"),
        lambda m: (
            (
                _("đơn vị hoàn thành %(c)s/%(a)s nhiệm vụ, dưới %(b)s")
                if m["unit"]
                else _("hoàn thành %(c)s/%(a)s nhiệm vụ, dưới %(b)s")
            )
            % {"c": m["c"], "a": m["a"], "b": _share(m["b"])}
        ),
    ),
    (
        re.compile(r"(?P<x>\d+) of (?P<n>\d+) managed rated KHTNV$"),
        lambda m: (
            _("%(x)s/%(n)s đơn vị, lĩnh vực phụ trách không hoàn thành nhiệm vụ")
            % {"x": m["x"], "n": m["n"]}
        ),
    ),
    (
        re.compile(rf"low confidence share (?P<s>{NUM}) > (?P<b>{NUM})$"),
        lambda m: (
            _("tỷ lệ phiếu tín nhiệm thấp %(s)s, quá %(b)s") % {"s": _n(m, "s"), "b": _n(m, "b")}
        ),
    ),
    (
        re.compile(r"general (?P<g>[a-z]+)$"),
        lambda m: _("tiêu chí chung: mức %(g)s") % {"g": GRADE_NAMES.get(m["g"], m["g"])},
    ),
    (
        re.compile(r"results (?P<g>[a-z]+)$"),
        lambda m: (
            _("kết quả thực hiện nhiệm vụ: mức %(g)s") % {"g": GRADE_NAMES.get(m["g"], m["g"])}
        ),
    ),
    (
        re.compile(
            r"(?:party_le_state|head_le_unit|leadership_le_unit): .+ is (?P<other>[A-Z_]+), "
            r"was (?P<was>[A-Z_]+)$"
        ),
        _cap,
    ),
    (
        re.compile(r"peer group .+ allows (?P<k>\d+) HTXSNV of (?P<p>\d+)$"),
        lambda m: (
            _(
                "nhóm tương đồng được tối đa %(k)s mức xuất sắc trên %(p)s người đạt loại tốt trở lên"
            )
            % {"k": m["k"], "p": m["p"]}
        ),
    ),
    (re.compile(r"ranked (?P<r>\d+)$"), lambda m: _("xếp thứ %(r)s theo điểm") % {"r": m["r"]}),
    (
        re.compile(
            r"the knock-out comes from a self-remedied discipline: the competent level weighs "
            r"the case$"
        ),
        lambda m: _(
            "vi phạm đã được tự phát hiện, khắc phục: cấp có thẩm quyền cân nhắc để xếp loại "
            "phù hợp"
        ),
    ),
    (
        re.compile(r"no level's conditions all hold: the competent level decides$"),
        lambda m: _("không mức nào đủ mọi điều kiện: cấp có thẩm quyền xem xét, quyết định"),
    ),
]
FLAG_FRAGMENT = re.compile(r"[a-z_]+$")


def _fragment(text: str) -> str:
    text = text.strip()
    for pattern, handler in FRAGMENTS:
        m = pattern.match(text)
        if m:
            return handler(m)
    if FLAG_FRAGMENT.match(text) and text in FLAG_NAMES:
        return str(FLAG_NAMES[text])
    return ""


def detail_text(detail: str) -> str:
    """The engine's detail in Vietnamese; unknown fragments are left out (never shown raw)."""
    if _has_vietnamese(detail):
        return detail  # written for people already (e.g. an exclusion reason typed by staff)
    inner = re.match(r"no level's conditions all hold \((?P<what>.*)\)$", detail)
    if inner:
        what = detail_text(inner["what"])
        head = _("không mức nào đủ mọi điều kiện")
        return f"{head} ({what})" if what else head
    parts: list[str] = []
    for chunk in detail.split(";"):
        for piece in _split_commas(chunk):
            if said := _fragment(piece):
                parts.append(said)
    return "; ".join(parts)


def unrecognised(detail: str) -> list[str]:
    """The fragments of a detail that `detail_text` would leave out (for the tests)."""
    if _has_vietnamese(detail):
        return []
    inner = re.match(r"no level's conditions all hold \((?P<what>.*)\)$", detail)
    if inner:
        return unrecognised(inner["what"])
    return [p for c in detail.split(";") for p in _split_commas(c) if not _fragment(p)]


def _split_commas(chunk: str) -> list[str]:
    """Split on ', ' except inside the task summary and the admission text, kept whole."""
    chunk = chunk.strip()
    if _fragment(chunk):
        return [chunk]
    return [p for p in chunk.split(", ") if p]


def _has_vietnamese(text: str) -> bool:
    return bool(re.search(r"[à-ỹÀ-Ỹđ]", text))


@dataclass(frozen=True)
class Explained:
    """One reason as a person reads it: a sentence, the rule's citation and its page."""

    rule: str
    effect: str
    sentence: str
    citation: str
    title: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "effect": self.effect,
            "sentence": self.sentence,
            "citation": self.citation,
            "title": self.title,
            "url": self.url,
        }


def _lead(effect: str, base_level: str, level: str) -> str:
    leads: dict[str, Callable[[], str]] = {
        "exclusion": lambda: _("Không xếp loại"),
        "knockout": lambda: _("Không hoàn thành nhiệm vụ"),
        "base": lambda: (
            _("Đạt mức %(level)s") % {"level": level_name(base_level)}
            if base_level and base_level != "KHTNV"
            else _("Chưa đạt mức nào")
        ),
        "cap": lambda: (
            _("Mức được hạ xuống %(level)s") % {"level": level_name(level)}
            if level
            else _("Mức được hạ")
        ),
        "quota": lambda: (
            _("Hạ xuống %(level)s do giới hạn tỷ lệ xuất sắc") % {"level": level_name("HTTNV")}
        ),
        "review": lambda: _("Cần cấp có thẩm quyền xem xét"),
    }
    return leads.get(effect, lambda: _("Ghi chú"))()


def explain_reason(
    reason: Mapping[str, Any] | Any, *, base_level: str = "", level: str = ""
) -> Explained:
    """One engine reason (a dict or the engine's `Reason`) as a Vietnamese sentence."""
    get = reason.get if isinstance(reason, Mapping) else lambda k, d="": getattr(reason, k, d)
    rule_id, effect, detail = str(get("rule", "")), str(get("effect", "")), str(get("detail", ""))
    ref: RuleRef | None = rule(rule_id) if rule_id else None
    lead = _lead(effect, base_level, level)
    said = detail_text(detail)
    if ref is None:
        sentence = f"{lead}: {said}." if said else f"{lead}."
        return Explained(rule_id, effect, sentence, "", "", "")
    body = said or ref.title[0].lower() + ref.title[1:]
    sentence = _("%(lead)s theo %(citation)s: %(body)s.") % {
        "lead": lead,
        "citation": ref.citation,
        "body": body,
    }
    return Explained(
        rule=rule_id,
        effect=effect,
        sentence=sentence,
        citation=ref.citation,
        title=ref.title,
        url=reverse("rule_detail", args=[rule_id]),
    )


def explain_reasons(
    reasons: Iterable[Mapping[str, Any] | Any], *, base_level: str = "", level: str = ""
) -> list[Explained]:
    """Every reason of a result, in order; pass the result's `base_level` and `level` so the
    sentences name the levels in full."""
    return [explain_reason(r, base_level=base_level, level=level) for r in reasons]
