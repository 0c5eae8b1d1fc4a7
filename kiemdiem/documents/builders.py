"""The list documents built from plain data (pure Python, like `context`): the results notice
with its annex, the review-meeting minutes, Mẫu 03 (re-rating decision), Mẫu 04 (dossier list),
Mẫu 05 (quarterly or annual self-assessment).

The meeting minutes take a `Minutes` dataclass: whatever records the meeting (the decision
workflow's meeting model, or the evaluations' meeting levels until it lands) fills it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from kiemdiem.documents.context import (
    Heading,
    ListDoc,
    ListRow,
    ResultLine,
    Section,
    Signature,
    vn_date,
    vn_number,
)

LEVEL_ORDER = [
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHTNV", "Không hoàn thành nhiệm vụ"),
    ("NOT_RATED", "Không xếp loại"),
]
LEVEL_NAMES = dict(LEVEL_ORDER)


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(code, "Chưa xếp loại")


@dataclass(frozen=True)
class Rated:
    """One subject on a list: a person or a collective, its post or unit, its level code."""

    name: str
    detail: str
    level: str


def results_notice(
    *, heading: Heading, cycle_name: str, year: int, rated: list[Rated], signer: Signature
) -> ListDoc:
    """The notice of results (thông báo kết quả) and its annex list, by level (366-43; LCB-3)."""
    counts = Counter(r.level for r in rated)
    total = len(rated)
    lines = [
        f"- {name}: {counts[code]} ({vn_number(round(100 * counts[code] / total, 2))}%)"
        for code, name in LEVEL_ORDER
        if counts[code]
    ]
    order = {code: i for i, (code, _) in enumerate(LEVEL_ORDER)}
    ordered = sorted(rated, key=lambda r: order.get(r.level, len(order)))
    return ListDoc(
        form="thong-bao-ket-qua",
        form_code="",
        title="Thông báo",
        subtitle=f"Kết quả đánh giá, xếp loại chất lượng năm {year}",
        heading=heading,
        intro=[
            Section(
                "",
                f"Căn cứ kết quả kiểm điểm, đánh giá, xếp loại chất lượng đợt “{cycle_name}”, "
                f"thông báo kết quả xếp loại của {total} tập thể, cá nhân như sau:\n"
                + "\n".join(lines),
            ),
            Section("DANH SÁCH KÈM THEO", ""),
        ],
        columns=("TT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Mức xếp loại"),
        rows=[
            ListRow((str(i), r.name, r.detail, level_name(r.level)))
            for i, r in enumerate(ordered, 1)
        ],
        outro=[
            Section("", "Kết quả được công khai tại cơ quan, đơn vị và lưu hồ sơ theo quy định.")
        ],
        signatures=[signer],
    )


@dataclass(frozen=True)
class MinutesItem:
    """One subject reviewed at the meeting: comments and the vote by level."""

    name: str
    self_level: str
    comments: str = ""
    tallies: dict[str, int] = field(default_factory=dict)
    meeting_level: str = ""


@dataclass(frozen=True)
class Minutes:
    heading: Heading
    held_on: dt.date | None
    place: str
    chair: str
    secretary: str
    present: int | None  # None: not recorded yet, left blank to fill by hand
    expected: int
    absent: list[str] = field(default_factory=list)
    items: list[MinutesItem] = field(default_factory=list)
    closing: str = ""
    quorum: bool | None = None  # None: not recorded yet (no sentence about the quorum)


def _tally(item: MinutesItem) -> str:
    votes = [f"{level_name(c)}: {item.tallies[c]}" for c, _ in LEVEL_ORDER if item.tallies.get(c)]
    return "; ".join(votes)


def _quorum(quorum: bool | None) -> str:
    if quorum is None:
        return ""
    if quorum:
        return "\nHội nghị có đủ số lượng theo quy định (ít nhất hai phần ba số được triệu tập)."
    return "\nHội nghị không đủ số lượng theo quy định (dưới hai phần ba số được triệu tập)."


def meeting_minutes(minutes: Minutes) -> ListDoc:
    """Biên bản hội nghị kiểm điểm: attendance, comments, tallies (366-36; ND90-18)."""
    absent = "; ".join(minutes.absent) or "không"
    return ListDoc(
        form="bien-ban-hop",
        form_code="",
        title="Biên bản",
        subtitle="Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng",
        heading=minutes.heading,
        intro=[
            Section(
                "",
                f"Thời gian: ngày {vn_date(minutes.held_on) or '…/…/……'}. "
                f"Địa điểm: {minutes.place or '…………'}.\n"
                f"Chủ trì: {minutes.chair or '…………'}. Thư ký: {minutes.secretary or '…………'}.\n"
                f"Có mặt {'…' if minutes.present is None else minutes.present}/"
                f"{minutes.expected}; vắng: {absent if minutes.present is not None else '…………'}."
                + _quorum(minutes.quorum),
            )
        ],
        columns=("TT", "Tập thể, cá nhân", "Ý kiến góp ý", "Kết quả biểu quyết, đề xuất"),
        rows=[
            ListRow(
                (
                    str(i),
                    f"{item.name} (tự xếp loại: {level_name(item.self_level)})",
                    item.comments,
                    "\n".join(
                        p for p in (_tally(item), f"Đề xuất: {level_name(item.meeting_level)}") if p
                    ),
                )
            )
            for i, item in enumerate(minutes.items, 1)
        ],
        outro=[Section("", minutes.closing or "Hội nghị kết thúc, biên bản được thông qua.")],
        signatures=[Signature("THƯ KÝ", minutes.secretary), Signature("CHỦ TRÌ", minutes.chair)],
    )


def rerating_decision(
    *,
    heading: Heading,
    subject: Rated,
    previous_level: str,
    reason: str,
    signer: Signature,
) -> ListDoc:
    """Mẫu 03: the decision annulling a rating and re-rating (366-44; 366-34)."""
    return ListDoc(
        form="hd43-mau03",
        form_code="Mẫu 03-HD KĐ.ĐG",
        title="Quyết định",
        subtitle="Về việc xếp loại lại chất lượng",
        heading=heading,
        intro=[
            Section(
                "Điều 1.",
                f"Hủy bỏ kết quả xếp loại “{level_name(previous_level)}” và "
                f"xếp loại lại chất lượng đối với {subject.name} ({subject.detail}) ở mức "
                f"“{level_name(subject.level)}”.",
            ),
            Section("Lý do:", reason),
        ],
        columns=("TT", "Tập thể, cá nhân", "Mức đã xếp loại", "Mức xếp loại lại"),
        rows=[ListRow(("1", subject.name, level_name(previous_level), level_name(subject.level)))],
        outro=[
            Section(
                "Điều 2.",
                "Quyết định có hiệu lực kể từ ngày ký. Các tổ chức, cá nhân "
                "có liên quan chịu trách nhiệm thi hành Quyết định này.",
            )
        ],
        signatures=[signer],
    )


def dossier_list(
    *, heading: Heading, year: int, entries: list[tuple[str, str]], signer: Signature
) -> ListDoc:
    """Mẫu 04: the list of the dossier's documents (366-45; ND90-24)."""
    return ListDoc(
        form="hd43-mau04",
        form_code="Mẫu 04-HD KĐ.ĐG",
        title="Danh mục hồ sơ",
        subtitle=f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}",
        heading=heading,
        intro=[],
        columns=("TT", "Tên tài liệu", "Ghi chú"),
        rows=[ListRow((str(i), title, note)) for i, (title, note) in enumerate(entries, 1)],
        signatures=[signer],
    )


def self_assessment(
    *,
    heading: Heading,
    name: str,
    detail: str,
    period: str,
    results: list[ResultLine],
    level: str,
    signer: Signature,
) -> ListDoc:
    """Mẫu 05: the quarterly or annual self-assessment of tasks and products (366-39)."""
    return ListDoc(
        form="hd43-mau05",
        form_code="Mẫu 05-HD KĐ.ĐG",
        title="Bản tự đánh giá",
        subtitle=f"Kết quả thực hiện nhiệm vụ {period}",
        heading=heading,
        intro=[Section("", f"Họ và tên: {name}\nChức vụ, đơn vị: {detail}")],
        columns=("TT", "Nhiệm vụ", "Kết quả, sản phẩm", "Tiến độ, chất lượng"),
        rows=[
            ListRow(
                (
                    str(i),
                    f"{r.task} (chỉ tiêu: {r.target})",
                    "\n".join([r.achieved, *(f"- {p}" for p in r.products)]),
                    f"Hạn {vn_date(r.deadline)}; xong {vn_date(r.completed) or '—'}; {r.quality}",
                )
            )
            for i, r in enumerate(results, 1)
        ],
        outro=[Section("", f"Tự đánh giá mức độ hoàn thành: {level_name(level)}")],
        signatures=[signer],
    )
