"""Word lists for the quantification checker, written in folded form (see text.fold).

Kept apart from the matching code so the lists can be reviewed by people who know the
paperwork: a unit missing here means "15 <unit>" is not seen as a product, and a phrase
missing from VAGUE_PHRASES means that boilerplate goes unflagged.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "NAMED_KINDS",
    "NAMED_VERBS",
    "NUMBER_WORDS",
    "STRUCTURAL_BEFORE",
    "UNITS",
    "VAGUE_PHRASES",
    "VAGUE_QUANTIFIERS",
]

# Units of measure and countable products. Multi-word units come first in matching (the
# checker sorts by length), so "lop tap huan" is taken whole rather than as "lop".
UNITS: Final[tuple[str, ...]] = (
    # documents and paperwork
    "van ban", "ho so", "thu tuc hanh chinh", "thu tuc", "giay chung nhan", "giay phep",
    "quyet dinh", "ke hoach", "bao cao", "to trinh", "cong van", "de an", "du thao",
    "chuyen de", "bai viet", "bai bao", "tin bai", "tin", "bai", "ban tin", "phong su",
    "tai lieu", "cuon", "trang", "de tai", "sang kien", "giai phap", "mo hinh",
    "chuong trinh", "phan mem", "bien ban", "nghi quyet", "quy che", "huong dan",
    "don thu", "don", "kien nghi", "y kien", "vu viec", "vu", "phan anh",
    # meetings, training, inspections
    "lop tap huan", "lop boi duong", "lop hoc", "lop", "hoi nghi", "hoi thao", "cuoc hop",
    "cuoc thi", "cuoc kiem tra", "cuoc thanh tra", "cuoc", "buoi", "dot", "phien", "ky hop",
    "toa dam", "hoat dong", "phong trao", "chuyen", "tiet day", "tiet", "chuyen de",
    # people, households, units
    "luot nguoi", "luot", "nguoi", "nguoi dan", "hoc vien", "hoc sinh", "sinh vien",
    "giao vien", "can bo", "cong chuc", "vien chuc", "dang vien moi", "dang vien",
    "doan vien", "hoi vien", "quan chung", "doi tuong", "lao dong", "ho gia dinh",
    "ho ngheo", "ho can ngheo", "ho", "gia dinh", "thon", "ap", "xa", "phuong",
    "to dan pho", "chi bo", "dang bo", "to chuc co so dang", "don vi", "co quan",
    "doanh nghiep", "hop tac xa", "truong", "benh nhan", "ca",
    # works, goods, money, measures
    "cong trinh", "nha", "can nha", "can", "tuyen duong", "tieu chi", "chi tieu",
    "nhiem vu", "cong viec", "dau viec", "san pham", "giai", "huy chuong", "bang khen",
    "giay khen", "ty dong", "trieu dong", "nghin dong", "ngan dong", "dong", "ty", "trieu",
    "usd", "km", "m2", "m3", "m", "ha", "hecta", "tan", "kg", "cay xanh", "cay", "con",
    "lit", "kwh", "kw", "may tinh", "may", "thiet bi", "bo", "chiec", "cai", "suat qua",
    "suat", "phan qua", "xuat", "goi", "lan", "diem", "ngay", "thang", "tuan", "gio",
    "ban", "so",
)

# Number words, matched only with their marks (the checker compares the NFC text), so "bà
# con" (folded "ba con") is not read as "three of something".
NUMBER_WORDS: Final[tuple[str, ...]] = (
    "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười",
)

# A number right after one of these is a reference (Điều 3, khoản 2, năm 2025, lớp 9),
# not an amount.
STRUCTURAL_BEFORE: Final[tuple[str, ...]] = (
    "dieu", "khoan", "diem", "muc", "chuong", "phan", "phu luc", "so", "nam", "nam hoc",
    "thang", "quy", "ngay", "thu", "khoa", "tiet", "trang", "mau", "bieu", "bang", "hinh",
    "ky", "lop", "khoi", "to", "thon", "ap", "khu pho", "phong", "quoc lo", "tinh lo",
    "duong", "km", "giai doan", "nhiem ky", "tuan", "hoc ky", "doi", "xa", "phuong",
    "so nha", "lan", "cap do", "muc do", "buoc", "nhom", "can cu", "dot",
)

# Verbs that name an output when followed by a capitalised kind: "ban hành Kế hoạch …".
NAMED_VERBS: Final[tuple[str, ...]] = (
    "tham muu ban hanh", "tham muu xay dung", "xay dung va ban hanh", "xay dung va trien khai",
    "ban hanh", "xay dung", "tham muu", "soan thao", "du thao", "trinh", "to chuc thanh cong",
    "phoi hop to chuc", "to chuc", "trien khai", "chu tri", "bien soan", "hoan thanh",
    "thuc hien", "phe duyet", "tham dinh", "dang cai", "van hanh", "dua vao su dung",
    "khai truong", "nghiem thu", "cong bo", "phat dong", "hoan thien", "sua doi",
)

# Kinds of output that, capitalised after one of NAMED_VERBS, make a named product.
NAMED_KINDS: Final[tuple[str, ...]] = (
    "ke hoach", "de an", "du an", "quyet dinh", "nghi quyet", "chi thi", "quy che",
    "quy dinh", "bao cao", "to trinh", "chuong trinh", "phuong an", "huong dan",
    "thong bao", "ket luan", "hoi nghi", "hoi thao", "hoi thi", "hoi dien", "hoi khoe",
    "hoi cho", "cuoc thi", "dai hoi", "le", "ngay hoi", "toa dam", "dien dan", "sang kien",
    "de tai", "chuyen de", "phan mem", "cong thong tin", "he thong", "chien dich",
    "phong trao", "mo hinh", "cuoc van dong", "thang hanh dong", "giai", "lop", "so tay",
    "bo tai lieu", "tai lieu", "co so du lieu", "dai le", "tuan le",
)

# Boilerplate that claims a result without naming one. Regex fragments on folded text;
# a space stands for any run of blanks. Order matters only for phrases that start at the
# same word: the longer reading must come first.
VAGUE_PHRASES: Final[tuple[str, ...]] = (
    r"hoan thanh (?:xuat sac|tot|day du|co ban )?(?: ?(?:ca |moi |toan bo |tat ca )?(?:cac |moi )?)"
    r"nhiem vu(?: chuyen mon)?(?: (?:duoc giao|de ra|cua (?:ca nhan|don vi|co quan)))?",
    r"hoan thanh tot (?:cac |moi )?cong viec(?: duoc giao)?",
    r"hoan thanh (?:xuat sac|tot)",
    r"co ban hoan thanh(?: (?:cac |moi )?nhiem vu(?: duoc giao)?)?",
    r"luon hoan thanh(?: tot)?",
    r"tich cuc tham gia(?: (?:cac|moi|day du cac) (?:hoat dong|phong trao|cong viec))?",
    r"luon chap hanh tot",
    r"chap hanh tot",
    r"chap hanh nghiem(?: tuc)?",
    r"thuc hien nghiem tuc",
    r"nghiem tuc thuc hien",
    r"trien khai thuc hien tot",
    r"thuc hien tot",
    r"lam tot",
    r"thuc hien co hieu qua",
    r"trien khai co hieu qua",
    r"dat duoc nhung ket qua (?:nhat dinh|quan trong|tich cuc|dang ghi nhan)",
    r"dat (?:duoc )?(?:nhieu )?ket qua (?:tot(?: dep)?|cao|kha quan|quan trong|nhat dinh|"
    r"dang ghi nhan|tich cuc|dang khich le)",
    r"dat (?:duoc )?nhieu ket qua",
    r"nhieu ket qua",
    r"ket qua nhat dinh",
    r"gop phan (?:quan trong|tich cuc|dang ke|khong nho|rat lon)",
    r"dam bao (?:dung )?tien do",
    r"dung tien do",
    r"kip thoi",
    r"co nhieu dong gop",
    r"nhieu dong gop",
    r"dong gop tich cuc",
    r"nhieu (?:hoat dong|hinh thuc|giai phap|noi dung|bien phap|mat|linh vuc|cong viec)",
    r"dat hieu qua cao",
    r"hieu qua cao",
    r"co hieu qua",
    r"dat hieu qua",
    r"hieu qua thiet thuc",
    r"chat luong ngay cang duoc nang (?:len|cao)",
    r"ngay cang duoc nang (?:len|cao)",
    r"tung buoc duoc nang (?:len|cao)",
    r"ngay cang (?:nang cao|tot hon|hieu qua|phat trien|duoc cung co)",
    r"(?:co ban )?dap ung(?: duoc)?(?: tot)? (?:cac )?yeu cau(?: nhiem vu| cong viec| de ra)?",
    r"co tinh than trach nhiem(?: cao)?",
    r"tinh than trach nhiem cao",
    r"nhiet tinh(?:,? (?:co )?trach nhiem)?",
    r"dat va vuot(?: (?:cac|nhieu))? chi tieu(?: de ra| duoc giao| ke hoach)?",
    r"vuot chi tieu(?: de ra| duoc giao| ke hoach)?",
    r"co chuyen bien(?: (?:tich cuc|ro net|manh me))?",
    r"chuyen bien (?:tich cuc|ro net|manh me)",
    r"tuong doi tot",
    r"kha tot",
    r"dat yeu cau",
    r"(?:theo )?dung quy dinh",
    r"quyet liet",
    r"khoi luong cong viec lon",
    r"duoc danh gia cao",
    r"duoc ghi nhan",
    r"nang cao chat luong",
    r"thuong xuyen",
    r"tich cuc",
)

# Quantifiers that stand in for a number: "nhiều văn bản", "một số hồ sơ", "hàng trăm lượt".
VAGUE_QUANTIFIERS: Final[tuple[str, ...]] = (
    "nhieu", "mot so", "hang tram", "hang nghin", "hang ngan", "hang chuc", "rat nhieu",
    "cac",
)
