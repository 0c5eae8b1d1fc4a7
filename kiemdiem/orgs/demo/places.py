"""The demo province's fixed parts: departments, party bodies, mass organizations, place names.

A fictional province ("tỉnh Sông Hậu") in the shape every province has had since 1 July 2025:
two administrative tiers (province → communes and wards), the 2025 set of departments (Nội vụ
merged with Lao động - Thương binh và Xã hội, Tài chính with Kế hoạch và Đầu tư, Xây dựng with
Giao thông vận tải, Nông nghiệp và Môi trường, Khoa học và Công nghệ with Thông tin và Truyền
thông, Dân tộc và Tôn giáo), the provincial party's two upper-grassroots committees (Đảng bộ
các cơ quan Đảng tỉnh, Đảng bộ Ủy ban nhân dân tỉnh), and the mass organizations attached to
the Fatherland Front. Place names are built from common Mekong-delta syllables so that they look
real without describing a real place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _words(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True)
class UnitDef:
    """A public-service unit of a department: code suffix, name, realistic size range."""

    code: str
    name: str
    size: tuple[int, int]


@dataclass(frozen=True)
class DepartmentDef:
    code: str
    name: str
    size: tuple[int, int]
    divisions: tuple[str, ...]
    head: str = "Giám đốc"
    deputy: str = "Phó Giám đốc"
    staff: str = "Chuyên viên"
    short: str = ""
    units: tuple[UnitDef, ...] = field(default_factory=tuple)


DEPARTMENTS: tuple[DepartmentDef, ...] = (
    DepartmentDef(
        "VPUB",
        "Văn phòng Ủy ban nhân dân tỉnh",
        (60, 90),
        (
            "Phòng Hành chính - Tổ chức",
            "Phòng Tổng hợp",
            "Phòng Kinh tế",
            "Phòng Khoa giáo - Văn xã",
            "Phòng Nội chính",
        ),
        head="Chánh Văn phòng",
        deputy="Phó Chánh Văn phòng",
        short="VP UBND tỉnh",
        units=(UnitDef("HCC", "Trung tâm Phục vụ hành chính công tỉnh", (20, 35)),),
    ),
    DepartmentDef(
        "SNV",
        "Sở Nội vụ",
        (60, 90),
        (
            "Văn phòng",
            "Phòng Tổ chức, biên chế và Tổ chức phi chính phủ",
            "Phòng Công chức, viên chức",
            "Phòng Xây dựng chính quyền và Công tác thanh niên",
            "Phòng Lao động - Việc làm",
            "Phòng Người có công",
        ),
        units=(
            UnitDef("LTLS", "Trung tâm Lưu trữ lịch sử", (12, 20)),
            UnitDef("DVVL", "Trung tâm Dịch vụ việc làm", (20, 35)),
        ),
    ),
    DepartmentDef(
        "STC",
        "Sở Tài chính",
        (70, 110),
        (
            "Văn phòng",
            "Phòng Quản lý ngân sách",
            "Phòng Tài chính đầu tư",
            "Phòng Quản lý giá và công sản",
            "Phòng Đăng ký kinh doanh",
            "Phòng Kinh tế đối ngoại",
        ),
    ),
    DepartmentDef(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        (50, 80),
        (
            "Văn phòng",
            "Phòng Tổ chức cán bộ",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Giáo dục phổ thông",
            "Phòng Giáo dục mầm non và Giáo dục thường xuyên",
            "Phòng Khảo thí và Quản lý chất lượng",
        ),
        short="Sở GD&ĐT",
    ),
    DepartmentDef(
        "SYT",
        "Sở Y tế",
        (50, 80),
        (
            "Văn phòng",
            "Phòng Tổ chức cán bộ",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Nghiệp vụ Y",
            "Phòng Nghiệp vụ Dược",
            "Phòng Bảo trợ xã hội",
        ),
    ),
    DepartmentDef(
        "SXD",
        "Sở Xây dựng",
        (70, 110),
        (
            "Văn phòng",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Quản lý xây dựng",
            "Phòng Quản lý giao thông",
            "Phòng Quy hoạch - Kiến trúc",
            "Phòng Phát triển đô thị và Hạ tầng kỹ thuật",
            "Phòng Quản lý nhà và Thị trường bất động sản",
        ),
        units=(UnitDef("DK", "Trung tâm Đăng kiểm phương tiện", (15, 25)),),
    ),
    DepartmentDef(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        (110, 150),
        (
            "Văn phòng",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Trồng trọt và Bảo vệ thực vật",
            "Phòng Chăn nuôi và Thú y",
            "Phòng Thủy sản và Kiểm ngư",
            "Phòng Thủy lợi và Phòng, chống thiên tai",
            "Phòng Quản lý đất đai",
            "Phòng Tài nguyên nước và Khí tượng thủy văn",
            "Phòng Môi trường",
        ),
        short="Sở NN&MT",
        units=(
            UnitDef("VPDKDD", "Văn phòng Đăng ký đất đai", (80, 140)),
            UnitDef("KN", "Trung tâm Khuyến nông", (25, 45)),
        ),
    ),
    DepartmentDef(
        "SCT",
        "Sở Công Thương",
        (40, 60),
        (
            "Văn phòng",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Quản lý công nghiệp",
            "Phòng Quản lý thương mại",
            "Phòng Quản lý năng lượng",
        ),
        units=(UnitDef("KC", "Trung tâm Khuyến công và Xúc tiến thương mại", (15, 25)),),
    ),
    DepartmentDef(
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        (50, 70),
        (
            "Văn phòng",
            "Phòng Quản lý văn hóa và Gia đình",
            "Phòng Quản lý thể dục thể thao",
            "Phòng Quản lý du lịch",
            "Phòng Báo chí, Xuất bản",
        ),
        short="Sở VHTTDL",
        units=(
            UnitDef("VHNT", "Trung tâm Văn hóa - Nghệ thuật", (25, 40)),
            UnitDef("TV", "Thư viện tỉnh", (15, 25)),
            UnitDef("BT", "Bảo tàng tỉnh", (12, 20)),
            UnitDef("TDTT", "Trung tâm Huấn luyện và Thi đấu thể dục thể thao", (20, 35)),
        ),
    ),
    DepartmentDef(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        (45, 65),
        (
            "Văn phòng",
            "Phòng Quản lý khoa học",
            "Phòng Công nghệ thông tin và Chuyển đổi số",
            "Phòng Bưu chính, Viễn thông",
            "Phòng Tiêu chuẩn, Đo lường, Chất lượng",
        ),
        short="Sở KH&CN",
        units=(UnitDef("CDS", "Trung tâm Chuyển đổi số", (15, 25)),),
    ),
    DepartmentDef(
        "STP",
        "Sở Tư pháp",
        (35, 50),
        (
            "Văn phòng",
            "Phòng Xây dựng và Kiểm tra văn bản",
            "Phòng Hành chính tư pháp",
            "Phòng Bổ trợ tư pháp",
            "Phòng Phổ biến, giáo dục pháp luật",
        ),
        units=(UnitDef("TGPL", "Trung tâm Trợ giúp pháp lý nhà nước", (12, 20)),),
    ),
    DepartmentDef(
        "TTT",
        "Thanh tra tỉnh",
        (45, 65),
        (
            "Văn phòng",
            "Phòng Nghiệp vụ 1",
            "Phòng Nghiệp vụ 2",
            "Phòng Nghiệp vụ 3",
            "Phòng Tiếp công dân và Xử lý đơn thư",
            "Phòng Phòng, chống tham nhũng",
        ),
        head="Chánh Thanh tra tỉnh",
        deputy="Phó Chánh Thanh tra tỉnh",
        staff="Thanh tra viên",
    ),
    DepartmentDef(
        "SDTTG",
        "Sở Dân tộc và Tôn giáo",
        (30, 45),
        ("Văn phòng", "Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo"),
    ),
    DepartmentDef(
        "SNGV",
        "Sở Ngoại vụ",
        (25, 40),
        ("Văn phòng", "Phòng Hợp tác quốc tế", "Phòng Lãnh sự và Người Việt Nam ở nước ngoài"),
    ),
)

# Provincial party advisory bodies: code, name, head, deputy, staff title, size, divisions.
PARTY_ADVISORY: tuple[tuple[str, str, str, str, str, tuple[int, int], tuple[str, ...]], ...] = (
    (
        "VP",
        "Văn phòng {tu}",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        "Chuyên viên",
        (45, 65),
        (
            "Phòng Tổng hợp",
            "Phòng Hành chính - Lưu trữ",
            "Phòng Quản trị - Tài vụ",
            "Phòng Cơ yếu - Công nghệ thông tin",
        ),
    ),
    (
        "BTC",
        "Ban Tổ chức {tu}",
        "Trưởng Ban",
        "Phó Trưởng Ban",
        "Chuyên viên",
        (30, 40),
        (
            "Văn phòng Ban",
            "Phòng Tổ chức đảng - Đảng viên",
            "Phòng Cán bộ",
            "Phòng Bảo vệ chính trị",
        ),
    ),
    (
        "UBKT",
        "Ủy ban Kiểm tra {tu}",
        "Chủ nhiệm",
        "Phó Chủ nhiệm",
        "Kiểm tra viên",
        (25, 35),
        ("Văn phòng", "Phòng Kiểm tra 1", "Phòng Kiểm tra 2", "Phòng Kiểm tra 3"),
    ),
    (
        "BTGDV",
        "Ban Tuyên giáo và Dân vận {tu}",
        "Trưởng Ban",
        "Phó Trưởng Ban",
        "Chuyên viên",
        (30, 45),
        (
            "Văn phòng Ban",
            "Phòng Tuyên truyền",
            "Phòng Lý luận chính trị và Lịch sử Đảng",
            "Phòng Dân vận",
            "Phòng Khoa giáo",
        ),
    ),
    (
        "BNC",
        "Ban Nội chính {tu}",
        "Trưởng Ban",
        "Phó Trưởng Ban",
        "Chuyên viên",
        (15, 22),
        ("Phòng Nội chính", "Phòng Phòng, chống tham nhũng, tiêu cực"),
    ),
)

FRONT_DIVISIONS = (
    "Văn phòng",
    "Ban Tổ chức - Kiểm tra",
    "Ban Dân chủ - Pháp luật và Tôn giáo",
    "Ban Phong trào",
)

# Mass organizations under the provincial Front: code, name, head title, size.
PROVINCE_MASS_ORGS = (
    ("TDOAN", "Tỉnh đoàn {p}", "Bí thư Tỉnh đoàn", "Phó Bí thư Tỉnh đoàn", (15, 25)),
    ("HLHPN", "Hội Liên hiệp Phụ nữ {p}", "Chủ tịch Hội", "Phó Chủ tịch Hội", (15, 22)),
    ("LDLD", "Liên đoàn Lao động {p}", "Chủ tịch Liên đoàn", "Phó Chủ tịch Liên đoàn", (20, 30)),
    ("HND", "Hội Nông dân {p}", "Chủ tịch Hội", "Phó Chủ tịch Hội", (12, 18)),
    ("HCCB", "Hội Cựu chiến binh {p}", "Chủ tịch Hội", "Phó Chủ tịch Hội", (8, 14)),
)

COMMUNE_MASS_ORGS = (
    ("DTN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {c}", "Bí thư Đoàn"),
    ("PN", "Hội Liên hiệp Phụ nữ {c}", "Chủ tịch Hội Liên hiệp Phụ nữ"),
    ("ND", "Hội Nông dân {c}", "Chủ tịch Hội Nông dân"),
    ("CCB", "Hội Cựu chiến binh {c}", "Chủ tịch Hội Cựu chiến binh"),
)

HOSPITAL_DIVISIONS = (
    "Phòng Kế hoạch tổng hợp",
    "Phòng Tổ chức cán bộ",
    "Phòng Tài chính kế toán",
    "Phòng Điều dưỡng",
    "Khoa Khám bệnh",
    "Khoa Hồi sức tích cực - Chống độc",
    "Khoa Nội tổng hợp",
    "Khoa Ngoại tổng hợp",
    "Khoa Sản",
    "Khoa Nhi",
    "Khoa Xét nghiệm",
    "Khoa Chẩn đoán hình ảnh",
    "Khoa Dược",
)

# Syllables of Mekong-delta place names ("Tân Phú", "Vĩnh Thuận", "Long Mỹ", "Vị Thanh").
PLACE_FIRST = _words(
    """
Tân Long Phú Vĩnh Mỹ Hòa Thạnh Bình An Phước Hiệp Thuận Nhơn Đông Tây Xuân Trung Hưng Thới Vị
Định Khánh Phụng Hỏa Châu Lương Thường Hậu Nhơn Tường Đại
"""
)
PLACE_SECOND = _words(
    """
An Bình Hòa Thạnh Phú Lợi Thuận Hưng Long Mỹ Tiến Thành Hiệp Phước Đông Tây Trung Quới Xuân
Thắng Lộc Thủy Tân Khánh Hội Lựu Viễn Điền Nghĩa Hải
"""
)

# Schools are often named after historical figures.
SCHOOL_NAMES = (
    """
Lê Quý Đôn|Nguyễn Du|Trần Hưng Đạo|Võ Thị Sáu|Nguyễn Trãi|Chu Văn An|Lý Tự Trọng|Nguyễn Đình
Chiểu|Lê Lợi|Quang Trung|Ngô Quyền|Phan Bội Châu|Nguyễn Thị Minh Khai|Trần Quốc Toản|Kim
Đồng|Võ Văn Kiệt|Lương Thế Vinh|Hùng Vương|Phan Văn Trị|Huỳnh Thúc Kháng|Nguyễn Việt Hồng|Lê
Hồng Phong|Trần Phú|Tô Vĩnh Diện|Nguyễn Văn Trỗi|Châu Văn Liêm|Đoàn Thị Điểm|Bùi Thị Xuân
""".replace("\n", " ")
    .strip()
    .split("|")
)

# Provinces (old codes of Thông tư 07/2016/TT-BCA) where the demo province's people were born.
# The demo province itself uses 093 (Hậu Giang, whose 2023 regulation is this product's seed).
BIRTH_PROVINCES: tuple[tuple[str, float], ...] = (
    ("093", 80.0),
    ("092", 6.0),
    ("094", 4.0),
    ("086", 2.0),
    ("091", 2.0),
    ("089", 1.5),
    ("087", 1.0),
    ("079", 1.5),
    ("001", 1.0),
    ("038", 0.5),
    ("040", 0.5),
)
