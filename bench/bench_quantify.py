"""Time the quantification checker on a 5,000-word self-review.

Run: .venv/bin/python bench/bench_quantify.py
The budget is 50 ms per self-review (the form re-checks on every save); the test suite
asserts a generous 0.5 s so a slow CI machine does not fail it.
"""

from __future__ import annotations

import statistics
import time
import unicodedata

from kiemdiem.quantify.checker import check_text

_SENTENCES = (
    "Tham mưu UBND xã ban hành 15 văn bản chỉ đạo, điều hành về cải cách hành chính.",
    "Tiếp nhận và giải quyết 1.245 hồ sơ thủ tục hành chính, 100% hồ sơ đúng hạn.",
    "Hoàn thành tốt các nhiệm vụ được giao, luôn chấp hành tốt chủ trương của Đảng.",
    "Tổ chức 3 lớp tập huấn cho 2.500 lượt người tham dự trong quý III/2025.",
    "Tham mưu ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc "
    "phê duyệt Kế hoạch chuyển đổi số.",
    "Tích cực tham gia các hoạt động của cơ quan, góp phần quan trọng vào kết quả chung.",
    "Xây dựng Đề án vị trí việc làm, trình trước ngày 30/6/2025.",
    "Chất lượng công tác tham mưu ngày càng được nâng lên, đáp ứng yêu cầu nhiệm vụ.",
    "Năm học 2024-2025 giảng dạy 19 tiết/tuần, tỷ lệ học sinh lên lớp đạt 98,5%.",
    "Chi bộ kết nạp 2 đảng viên mới, thực hiện Nghị quyết 12-NQ/TU ngày 5 tháng 6 năm 2025.",
)


def build_review(words: int = 5000) -> str:
    parts: list[str] = []
    count = 0
    index = 0
    while count < words:
        sentence = _SENTENCES[index % len(_SENTENCES)]
        parts.append(sentence)
        count += len(sentence.split())
        index += 1
        if index % 4 == 0:
            parts.append("\n")
    return " ".join(parts)


def measure(text: str, repeat: int = 20) -> list[float]:
    timings: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        check_text(text)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    review = build_review()
    words = len(review.split())
    for label, text in (("NFC", review), ("NFD", unicodedata.normalize("NFD", review))):
        timings = measure(text)
        print(
            f"{label}: {words} words, {len(text)} chars: median "
            f"{statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
