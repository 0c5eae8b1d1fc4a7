"""Vietnamese personal names for the demo province, with realistic frequencies.

Family-name shares follow the commonly cited national figures (Nguyễn ≈ 38 %, Trần ≈ 11 %,
Lê ≈ 9.5 %, Phạm ≈ 7 %, Hoàng/Huỳnh ≈ 5 %, …), tilted to the Mekong delta where the demo province
lies: Huỳnh and Võ outnumber Hoàng and Vũ there, and Khmer family names (Thạch, Danh, Sơn) appear.
Middle names depend on gender and, for Văn/Thị, on the decade of birth (both are much rarer among
people born after 1990). Every string is NFC.
"""

from __future__ import annotations

import random
import unicodedata


def _words(text: str) -> list[str]:
    return text.split()


# (family name, share in percent)
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Huỳnh", 3.3),
    ("Hoàng", 1.7),
    ("Phan", 4.5),
    ("Võ", 2.7),
    ("Vũ", 1.2),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 0.5),
    ("Đào", 0.4),
    ("Đinh", 0.4),
    ("Lâm", 0.4),
    ("Lương", 0.35),
    ("Mai", 0.35),
    ("Châu", 0.3),
    ("Hà", 0.3),
    ("Cao", 0.3),
    ("Thạch", 0.3),
    ("Tô", 0.2),
    ("Tạ", 0.2),
    ("Thái", 0.2),
    ("Lưu", 0.2),
    ("Danh", 0.2),
    ("Quách", 0.15),
    ("Triệu", 0.15),
    ("Sơn", 0.15),
    ("Kiều", 0.1),
    ("La", 0.1),
    ("Tăng", 0.1),
    ("Diệp", 0.1),
    ("Văn", 0.1),
    ("Đoàn", 0.5),
    ("Trịnh", 0.4),
    ("Vương", 0.3),
    ("Phùng", 0.3),
    ("Chu", 0.2),
    ("Từ", 0.2),
    ("Hứa", 0.2),
    ("Lữ", 0.2),
    ("Tống", 0.2),
    ("Giang", 0.2),
    ("Nông", 0.1),
    ("Khúc", 0.1),
    ("Bạch", 0.1),
    ("Kha", 0.1),
    ("Mạc", 0.1),
    ("Nghiêm", 0.1),
    ("Ông", 0.1),
    ("Âu", 0.1),
]

MALE_MIDDLE = _words(
    """
Văn Hữu Đức Minh Quốc Công Thanh Hoàng Ngọc Trung Xuân Thành Duy Gia Tấn Chí Trọng Phước Hoài
Nhật Quang Anh Tuấn Bảo Đăng Thiện Kim Phú Hồng Việt
"""
)
FEMALE_MIDDLE = _words(
    """
Thị Ngọc Thu Thanh Kim Mỹ Hồng Bích Thúy Phương Như Bảo Diễm Tuyết Kiều Cẩm Minh Khánh Hoài
Huỳnh Trúc Yến Hải Quỳnh Thảo Tố Xuân Diệu
"""
)
# Two-word middles seen mostly among people born after 1980 ("Trần Thị Ngọc Hân").
MALE_DOUBLE_MIDDLE = ["Hoàng Minh", "Văn Minh", "Minh Hoàng", "Gia Bảo", "Quốc Thanh", "Ngọc Bảo"]
FEMALE_DOUBLE_MIDDLE = [
    "Thị Ngọc",
    "Thị Kim",
    "Thị Thu",
    "Thị Mỹ",
    "Thị Bích",
    "Ngọc Bảo",
    "Thị Thanh",
    "Thị Hồng",
    "Thị Diễm",
    "Thị Huỳnh",
]

MALE_GIVEN = _words(
    """
Anh Tuấn Hùng Dũng Minh Hải Nam Phúc Long Thành Đức Khoa Đạt Thịnh Quyết Ưng Huy Hưng Cường
Trung Hiếu Tài Lộc Tâm Sơn Tùng Vinh Quang Thắng Bình Phong Toàn Nghĩa Khánh Hoàng Bảo Duy Trí
Nhân Hòa Phước Thạnh Lợi Hậu Tiến Chiến Khang Kiên Luân Nhựt Đông Định Tân Việt An Công Danh
Hiển Khải Lực Sang Thiện Trọng Vũ Nguyên Phát Quân Thông Chính Giang Hào Hiệp Khôi Lâm Đăng
Triều Quý
"""
)
FEMALE_GIVEN = _words(
    """
Anh Hương Trang Thảo Linh Ánh Nhung Yến Vy Phượng Hà Hạnh Hằng Hiền Hoa Hồng Lan Mai Ngọc Nhi
Phương Quyên Thủy Thúy Trâm Tuyết Uyên Vân Xuân Diễm Dung Duyên Giang Hân Huệ Huyền Khánh Kiều
Liên Loan My Mỹ Nga Ngân Như Oanh Quỳnh Tâm Thanh Thắm Thơ Thư Tiên Trân Châu Chi Đào Bích Nhàn
Lý Hậu Cúc Hoài Ly Tú Nguyệt Thùy Trinh
"""
)


def _nfc(words: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", w) for w in words]


def _zipf(n: int, offset: float = 4.0) -> list[float]:
    """Given names are spread out; the most common few take a larger share."""
    return [1.0 / (rank + offset) for rank in range(n)]


class NameMaker:
    """Draws full names from one seeded Random; the same draws give the same names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.families = _nfc([f for f, _ in FAMILY_NAMES])
        self.family_cum = _cumulative([w for _, w in FAMILY_NAMES])
        self.given = {"male": _nfc(MALE_GIVEN), "female": _nfc(FEMALE_GIVEN)}
        self.given_cum = {g: _cumulative(_zipf(len(v))) for g, v in self.given.items()}
        self.middle = {"male": _nfc(MALE_MIDDLE), "female": _nfc(FEMALE_MIDDLE)}
        self.middle_cum = {g: _cumulative(_zipf(len(v), 2.0)) for g, v in self.middle.items()}
        self.double = {"male": _nfc(MALE_DOUBLE_MIDDLE), "female": _nfc(FEMALE_DOUBLE_MIDDLE)}

    def full_name(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        family = rng.choices(self.families, cum_weights=self.family_cum)[0]
        given = rng.choices(self.given[gender], cum_weights=self.given_cum[gender])[0]
        # Văn / Thị: most people born before 1975, a minority after 1990.
        classic = 0.6 if birth_year < 1975 else 0.42 if birth_year < 1990 else 0.2
        roll = rng.random()
        if roll < 0.015:
            middle = ""
        elif roll < 0.015 + (0.04 if birth_year < 1980 else 0.14):
            middle = rng.choice(self.double[gender])
        elif rng.random() < classic:
            middle = "Văn" if gender == "male" else "Thị"
        else:
            middle = rng.choices(self.middle[gender], cum_weights=self.middle_cum[gender])[0]
        if middle.split(" ")[-1:] == [given]:
            middle = "Văn" if gender == "male" else "Thị"
        return " ".join(p for p in (family, middle, given) if p)


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out
