"""Kinds of official documents and their abbreviations.

State administrative documents: Decree 30/2020/NĐ-CP, Appendix III, table I (27 kinds; "Công
văn" has no abbreviation — its symbol is the issuing agency plus the drafting unit). Legal
documents (Nghị định, Thông tư, …) carry the year in the number: 335/2025/NĐ-CP.
Party documents (Hướng dẫn 36-HD/VPTW): number-KIND/ISSUER, e.g. 12-NQ/TU, 366-QĐ/TW, where
"QĐ" stands for both Quyết định and Quy định, "TT" is Thông tri and "CV" is Công văn.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "CONG_VAN",
    "KIND_WORDS",
    "PARTY_KINDS",
    "STATE_KINDS",
    "STATE_AGENCIES",
    "System",
    "kind_name_for",
    "lookup_code",
]

System = Literal["state", "party"]

CONG_VAN: Final = "CV"
"""Identifier used for Công văn; a state công văn's symbol does not contain it."""

STATE_KINDS: Final[dict[str, str]] = {
    # Decree 30/2020, Appendix III, table I, in the order of the table.
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    # Legal documents (Law on promulgation of legal documents): number/year/KIND-ISSUER.
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    # Công văn: no abbreviation under Decree 30; "CV" survives from older practice.
    CONG_VAN: "Công văn",
}

PARTY_KINDS: Final[dict[str, str]] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "HD": "Hướng dẫn",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "PA": "Phương án",
    "TTr": "Tờ trình",
    "TT": "Thông tri",
    CONG_VAN: "Công văn",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
    "PG": "Phiếu gửi",
    "PB": "Phiếu báo",
}

# Kind names as written before a number, folded (see text.fold), longest first so that
# "thong tu lien tich" wins over "thong tu". Value: the code for each system.
KIND_WORDS: Final[dict[str, tuple[str, str]]] = {
    "thong tu lien tich": ("TTLT", "TTLT"),
    "nghi quyet": ("NQ", "NQ"),
    "nghi dinh": ("NĐ", "NĐ"),
    "quyet dinh": ("QĐ", "QĐ"),
    "chi thi": ("CT", "CT"),
    "quy che": ("QC", "QC"),
    "quy dinh": ("QyĐ", "QĐ"),
    "thong cao": ("TC", "TC"),
    "thong bao": ("TB", "TB"),
    "thong tri": ("TT", "TT"),
    "thong tu": ("TT", "TT"),
    "huong dan": ("HD", "HD"),
    "chuong trinh": ("CTr", "CTr"),
    "ke hoach": ("KH", "KH"),
    "phuong an": ("PA", "PA"),
    "de an": ("ĐA", "ĐA"),
    "du an": ("DA", "DA"),
    "bao cao": ("BC", "BC"),
    "bien ban": ("BB", "BB"),
    "to trinh": ("TTr", "TTr"),
    "hop dong": ("HĐ", "HĐ"),
    "cong van": (CONG_VAN, CONG_VAN),
    "cong dien": ("CĐ", "CĐ"),
    "ban ghi nho": ("BGN", "BGN"),
    "ban thoa thuan": ("BTT", "BTT"),
    "giay uy quyen": ("GUQ", "GUQ"),
    "giay moi": ("GM", "GM"),
    "giay gioi thieu": ("GGT", "GGT"),
    "giay nghi phep": ("GNP", "GNP"),
    "phieu gui": ("PG", "PG"),
    "phieu chuyen": ("PC", "PC"),
    "phieu bao": ("PB", "PB"),
    "ket luan": ("KL", "KL"),
}

# Agencies whose abbreviation opens a state công văn symbol ("1234/UBND-VP"). When such an
# agency follows an unknown first part ("123/XX-UBND"), the first part was meant as a kind.
STATE_AGENCIES: Final[frozenset[str]] = frozenset(
    {"UBND", "HĐND", "CP", "TTg", "VPCP", "QH", "UBTVQH", "UBMTTQ", "MTTQ", "TAND", "VKSND"}
)


def _lookup(kinds: dict[str, str]) -> dict[str, str]:
    table = {code.upper(): code for code in kinds}
    # People without a Vietnamese keyboard type "QD" for "QĐ"; accept it where unambiguous
    # ("DA" is Dự án and "HD" Hướng dẫn, so "ĐA" and "HĐ" get no ASCII alias).
    for code in kinds:
        alias = code.upper().replace("Đ", "D")
        table.setdefault(alias, code)
    return table


_STATE_LOOKUP: Final = _lookup(STATE_KINDS)
_PARTY_LOOKUP: Final = _lookup(PARTY_KINDS)


def lookup_code(code: str, system: System) -> str | None:
    """The canonical spelling of a kind abbreviation, or None when it is not one."""
    table = _PARTY_LOOKUP if system == "party" else _STATE_LOOKUP
    return table.get(code.upper())


def kind_name_for(code: str, system: System) -> str:
    """The Vietnamese name of a canonical kind code."""
    kinds = PARTY_KINDS if system == "party" else STATE_KINDS
    return kinds.get(code) or STATE_KINDS.get(code) or PARTY_KINDS.get(code, code)
