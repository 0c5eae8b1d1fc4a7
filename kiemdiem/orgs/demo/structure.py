"""The demo province's organization tree, built in memory (no database) from one seeded Random.

Three roots, as in every province since the 2025 reform: the provincial party organization
(with its advisory bodies, the two upper-grassroots party committees and, below the communes'
party committees, the cells), the provincial People's Committee (departments, their divisions and
public-service units, and the communes' and wards' People's Committees), and the provincial
Fatherland Front (mass organizations, and the communes' fronts).

Each staffed unit carries a realistic size drawn from its range; `scale_sizes` then fits the sum
to the requested number of people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kiemdiem.orgs.demo import places
from kiemdiem.orgs.models import OrgKind

PROVINCE_TIER = "province"
COMMUNE_TIER = "commune"


@dataclass(eq=False)
class Org:
    idx: int
    code: str
    name: str
    kind: str
    parent: Org | None
    position: int = 0
    short_name: str = ""
    party: Org | None = None  # the party organization that leads this agency
    leads: Org | None = None
    tier: str = PROVINCE_TIER
    # Staffing plan (empty profile: nobody has a main post here).
    profile: str = ""
    size: int = 0
    fixed: bool = False  # sizes of elected boards do not scale with N
    head: str = ""
    deputy: str = ""
    staff: str = ""
    cell: Org | None = None  # where the party members of this unit belong
    manager: Org | None = None  # who manages this unit's lower leaders (diện quản lý)
    children_count: int = 0

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass
class Tree:
    rng: random.Random
    orgs: list[Org] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    def add(self, code: str, name: str, kind: str, parent: Org | None, **kw: object) -> Org:
        assert code not in self.codes, code
        assert len(code) <= 32, code
        self.codes.add(code)
        position = 0
        if parent is not None:
            parent.children_count += 1
            position = parent.children_count
        org = Org(len(self.orgs), code, name, kind, parent, position=position, **kw)  # type: ignore[arg-type]
        if parent is not None and "tier" not in kw:
            org.tier = parent.tier
        self.orgs.append(org)
        return org

    def size(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def leadership(self, org: Org, name: str, code_suffix: str = "LD") -> Org:
        return self.add(f"{org.code}-{code_suffix}", name, OrgKind.LEADERSHIP, org, leads=org)


@dataclass
class Province:
    name: str  # "tỉnh Sông Hậu" / "thành phố Cần Thơ"
    party_name: str  # "Tỉnh ủy" / "Thành ủy"
    tree: Tree
    party_root: Org
    party_standing: Org
    state_root: Org
    front_root: Org
    communes: list[Commune]


@dataclass
class Commune:
    number: int
    kind_word: str  # "xã" / "phường"
    place: str  # "Tân Phú"
    party: Org
    standing: Org
    pc: Org
    front: Org

    @property
    def label(self) -> str:
        return f"{self.kind_word} {self.place}"


def province_names(name: str) -> tuple[str, str]:
    """("tỉnh Sông Hậu", "Tỉnh ủy") from "Sông Hậu", "tỉnh Sông Hậu" or "thành phố Cần Thơ"."""
    name = " ".join(name.split())
    lower = name.lower()
    if lower.startswith("thành phố "):
        return "thành phố " + name[len("thành phố ") :], "Thành ủy"
    if lower.startswith("tỉnh "):
        return "tỉnh " + name[len("tỉnh ") :], "Tỉnh ủy"
    return f"tỉnh {name}", "Tỉnh ủy"


def commune_count(people: int) -> int:
    """About 990 people per commune once the provincial tier is counted; 100k → 100."""
    floor = 2 if people < 2_000 else 4
    return max(floor, min(100, round(people / 990)))


def build_tree(rng: random.Random, *, people: int, province: str) -> Province:
    full, tu = province_names(province)
    p = full  # "tỉnh Sông Hậu"
    tree = Tree(rng)
    n_communes = commune_count(people)

    # --- Party root, standing committee, advisory bodies, upper-grassroots committees.
    party_root = tree.add(
        "TU",
        f"Đảng bộ {p}",
        OrgKind.PARTY_PROVINCE,
        None,
        short_name=tu,
        profile="province_party",
        size=2,
        fixed=True,
        head=f"Bí thư {tu}",
        deputy=f"Phó Bí thư Thường trực {tu}",
    )
    standing = tree.leadership(party_root, f"Ban Thường vụ {tu} {_bare(p)}", "BTV")
    party_agencies = tree.add(
        "DB-CQD", f"Đảng bộ các cơ quan Đảng {p}", OrgKind.PARTY_BASE, party_root
    )
    tree.leadership(party_agencies, f"Ban Thường vụ Đảng ủy các cơ quan Đảng {p}")
    party_state = tree.add(
        "DB-UBND", f"Đảng bộ Ủy ban nhân dân {p}", OrgKind.PARTY_BASE, party_root
    )
    tree.leadership(party_state, f"Ban Thường vụ Đảng ủy Ủy ban nhân dân {p}")
    party_root.manager = standing
    advisory: dict[str, Org] = {}
    for code, name, head, deputy, staff, size, divisions in places.PARTY_ADVISORY:
        body_name = name.format(tu=tu)
        cell = tree.add(f"CB-TU-{code}", f"Chi bộ {body_name}", OrgKind.CELL_BASE, party_agencies)
        body = tree.add(
            f"TU-{code}",
            body_name,
            OrgKind.PARTY_ADVISORY,
            party_root,
            party=cell,
            profile="advisory",
            size=0,
            head=head,
            deputy=deputy,
            staff=staff,
            cell=cell,
            manager=standing,
        )
        tree.leadership(body, f"Lãnh đạo {body_name}")
        total = tree.size(*size)
        body.size = _board_size(total, big=35)
        body.fixed = True
        _divisions(tree, body, divisions, total - body.size, staff=staff, cell=cell)
        advisory[code] = body
    party_root.cell = advisory["VP"].cell

    # --- State root: the People's Committee and its departments.
    state_root = tree.add(
        "UBND",
        f"Ủy ban nhân dân {p}",
        OrgKind.PEOPLES_COMMITTEE_PROVINCE,
        None,
        short_name=f"UBND {_bare_kind(p)}",
        party=party_state,
        profile="province_pc",
        size=4,
        fixed=True,
        head=f"Chủ tịch Ủy ban nhân dân {_bare_kind(p)}",
        deputy=f"Phó Chủ tịch Ủy ban nhân dân {_bare_kind(p)}",
        manager=standing,
    )
    tree.leadership(state_root, f"Tập thể lãnh đạo Ủy ban nhân dân {p}")
    departments: dict[str, Org] = {}
    for d in places.DEPARTMENTS:
        departments[d.code] = _department(tree, d, state_root, party_state, standing)
    state_root.cell = departments["VPUB"].cell

    # --- Front root and provincial mass organizations.
    front_party = tree.add(
        "DB-MTTQ",
        f"Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam {p}",
        OrgKind.PARTY_BASE,
        party_agencies,
    )
    tree.leadership(front_party, f"Ban Chấp hành {front_party.name}")
    front_cell = tree.add(
        "CB-MTTQ", "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc", OrgKind.CELL_SUB, front_party
    )
    front_root = tree.add(
        "MTTQ",
        f"Ủy ban Mặt trận Tổ quốc Việt Nam {p}",
        OrgKind.FRONT,
        None,
        short_name=f"UBMTTQ {_bare_kind(p)}",
        party=front_party,
        profile="front_province",
        head=f"Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam {_bare_kind(p)}",
        deputy=f"Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam {_bare_kind(p)}",
        cell=front_cell,
        manager=standing,
    )
    tree.leadership(front_root, f"Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam {p}", "BTT")
    total = tree.size(25, 35)
    front_root.size = 3
    front_root.fixed = True
    _divisions(
        tree, front_root, places.FRONT_DIVISIONS, total - 3, staff="Chuyên viên", cell=front_cell
    )
    for code, name, head, deputy, size in places.PROVINCE_MASS_ORGS:
        cell = tree.add(
            f"CB-{code}", f"Chi bộ {name.format(p='')}".strip(), OrgKind.CELL_SUB, front_party
        )
        tree.add(
            code,
            name.format(p=p),
            OrgKind.MASS_ORG,
            front_root,
            party=cell,
            profile="mass_province",
            size=tree.size(*size),
            head=head,
            deputy=deputy,
            staff="Chuyên viên",
            cell=cell,
            manager=front_root,
        )

    # --- Communes and wards.
    names = _place_names(rng, n_communes)
    communes = []
    for i, place in enumerate(names, start=1):
        ward = rng.random() < 0.2
        communes.append(
            _commune(
                tree,
                i,
                "phường" if ward else "xã",
                place,
                party_root,
                state_root,
                front_root,
                standing,
            )
        )

    # --- Public units of the provincial departments that scale with the number of communes.
    _education(tree, departments["SGDDT"], communes, p)
    _health(tree, departments["SYT"], party_state, n_communes, p)

    return Province(full, tu, tree, party_root, standing, state_root, front_root, communes)


def _bare(p: str) -> str:
    """ "tỉnh Sông Hậu" → "Sông Hậu" (as in "Ban Thường vụ Tỉnh ủy Sông Hậu")."""
    return p.split(" ", 2)[-1] if p.startswith("thành phố") else p.split(" ", 1)[-1]


def _bare_kind(p: str) -> str:
    """ "tỉnh Sông Hậu" → "tỉnh" (as in "Ủy ban nhân dân tỉnh" once the province is named)."""
    return "thành phố" if p.startswith("thành phố") else "tỉnh"


def _board_size(total: int, *, big: int) -> int:
    """Head plus two or three deputies."""
    return 4 if total >= big else 3


def _divisions(
    tree: Tree,
    parent: Org,
    names: tuple[str, ...],
    people: int,
    *,
    staff: str,
    cell: Org | None,
    profile: str = "division",
    cells_under: Org | None = None,
) -> list[Org]:
    """Divisions sharing `people`; with `cells_under`, each division gets its own chi bộ."""
    weights = [1.4 if n.startswith("Văn phòng") else tree.rng.uniform(0.8, 1.2) for n in names]
    total_w = sum(weights)
    out = []
    for i, (name, w) in enumerate(zip(names, weights, strict=True), start=1):
        code = f"{parent.code}-P{i}"
        div_cell = cell
        if cells_under is not None:
            div_cell = tree.add(f"CB-{code}", f"Chi bộ {name}", OrgKind.CELL_SUB, cells_under)
        out.append(
            tree.add(
                code,
                name,
                OrgKind.DIVISION,
                parent,
                party=div_cell,
                profile=profile,
                size=max(1, round(people * w / total_w)),
                staff=staff,
                cell=div_cell,
                manager=parent,
            )
        )
    return out


def _department(
    tree: Tree, d: places.DepartmentDef, state_root: Org, party_state: Org, standing: Org
) -> Org:
    total = tree.size(*d.size)
    unit_sizes = [tree.size(*u.size) for u in d.units]
    # A department with 60 or more people has a đảng bộ cơ sở with a chi bộ per division;
    # a smaller one a single chi bộ cơ sở.
    big = total + sum(unit_sizes) >= 60
    name = d.name
    if big:
        party = tree.add(f"DB-{d.code}", f"Đảng bộ {name}", OrgKind.PARTY_BASE, party_state)
        tree.leadership(party, f"Ban Chấp hành Đảng bộ {name}")
    else:
        party = tree.add(f"CB-{d.code}", f"Chi bộ {name}", OrgKind.CELL_BASE, party_state)
    dept = tree.add(
        d.code,
        name,
        OrgKind.DEPARTMENT,
        state_root,
        short_name=d.short,
        party=party,
        profile="board",
        head=d.head,
        deputy=d.deputy,
        manager=standing,
    )
    board_name = f"Ban Giám đốc {name}" if d.head == "Giám đốc" else f"Lãnh đạo {name}"
    tree.leadership(dept, board_name)
    dept.size = _board_size(total, big=80)
    dept.fixed = True
    divisions = _divisions(
        tree,
        dept,
        d.divisions,
        total - dept.size,
        staff=d.staff,
        cell=None if big else party,
        cells_under=party if big else None,
    )
    dept.cell = divisions[0].cell
    for u, size in zip(d.units, unit_sizes, strict=True):
        code = f"{d.code}-{u.code}"
        cell = party
        if big:
            cell = tree.add(f"CB-{code}", f"Chi bộ {u.name}", OrgKind.CELL_SUB, party)
        unit = tree.add(
            code,
            u.name,
            OrgKind.PUBLIC_UNIT,
            dept,
            party=cell,
            profile="center_big" if size >= 40 else "center",
            size=size,
            head="Giám đốc",
            deputy="Phó Giám đốc",
            cell=cell,
            manager=dept,
        )
        tree.leadership(unit, f"Ban Giám đốc {u.name}")
    return dept


def _place_names(rng: random.Random, n: int) -> list[str]:
    pairs = [f"{a} {b}" for a in places.PLACE_FIRST for b in places.PLACE_SECOND if a != b]
    # dict.fromkeys keeps the first occurrence: deterministic, unlike a set.
    pairs = list(dict.fromkeys(pairs))
    return rng.sample(pairs, n)


def _commune(
    tree: Tree,
    number: int,
    kind_word: str,
    place: str,
    party_root: Org,
    state_root: Org,
    front_root: Org,
    standing: Org,
) -> Commune:
    rng = tree.rng
    c = f"{kind_word} {place}"
    x = f"X{number:03d}"
    ward = kind_word == "phường"

    party = tree.add(
        f"{x}-DU",
        f"Đảng bộ {c}",
        OrgKind.PARTY_COMMUNE,
        party_root,
        tier=COMMUNE_TIER,
        profile="commune_party",
        size=2,
        fixed=True,
        head="Bí thư Đảng ủy",
        deputy="Phó Bí thư Thường trực Đảng ủy",
    )
    c_standing = tree.leadership(party, f"Ban Thường vụ Đảng ủy {c}", "BTV")
    party.manager = standing
    agencies_cell = tree.add(
        f"{x}-CB-CQ",
        f"Chi bộ Cơ quan Đảng - Mặt trận - đoàn thể {c}",
        OrgKind.CELL_BASE,
        party,
    )
    pc_cell = tree.add(
        f"{x}-CB-UB", f"Chi bộ Cơ quan Ủy ban nhân dân {c}", OrgKind.CELL_BASE, party
    )
    party.cell = agencies_cell
    for code, name, head, size, elected in (
        ("VP", "Văn phòng Đảng ủy", "Chánh Văn phòng", (4, 7), False),
        ("BXD", "Ban Xây dựng Đảng", "Trưởng Ban", (4, 6), False),
        ("UBKT", "Ủy ban Kiểm tra Đảng ủy", "Chủ nhiệm", (3, 5), True),
    ):
        tree.add(
            f"{x}-DU-{code}",
            name,
            OrgKind.PARTY_ADVISORY,
            party,
            party=agencies_cell,
            profile="commune_advisory_elected" if elected else "commune_advisory",
            size=tree.size(*size),
            head=head,
            deputy=f"Phó {head}",
            staff="Kiểm tra viên" if elected else "Chuyên viên",
            cell=agencies_cell,
            manager=c_standing,
        )

    pc = tree.add(
        f"{x}-UB",
        f"Ủy ban nhân dân {c}",
        OrgKind.PEOPLES_COMMITTEE_COMMUNE,
        state_root,
        tier=COMMUNE_TIER,
        short_name=f"UBND {c}",
        party=pc_cell,
        profile="commune_pc",
        size=3,
        fixed=True,
        head=f"Chủ tịch Ủy ban nhân dân {kind_word}",
        deputy=f"Phó Chủ tịch Ủy ban nhân dân {kind_word}",
        cell=pc_cell,
        manager=standing,
    )
    tree.leadership(pc, f"Tập thể lãnh đạo Ủy ban nhân dân {c}")
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if ward else "Phòng Kinh tế"
    _divisions(
        tree,
        pc,
        ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", economy, "Phòng Văn hóa - Xã hội"),
        tree.size(22, 34),
        staff="Chuyên viên",
        cell=pc_cell,
        profile="commune_division",
    )
    for org in tree.orgs[-3:]:
        org.manager = c_standing

    front = tree.add(
        f"{x}-MT",
        f"Ủy ban Mặt trận Tổ quốc Việt Nam {c}",
        OrgKind.FRONT,
        front_root,
        tier=COMMUNE_TIER,
        party=agencies_cell,
        profile="commune_front",
        size=tree.size(2, 4),
        head=f"Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam {kind_word}",
        deputy=f"Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam {kind_word}",
        cell=agencies_cell,
        manager=c_standing,
    )
    for code, name, head in places.COMMUNE_MASS_ORGS:
        if ward and code == "ND":
            continue  # wards have no farmers' association
        tree.add(
            f"{x}-{code}",
            name.format(c=c),
            OrgKind.MASS_ORG,
            front,
            party=agencies_cell,
            profile="commune_mass",
            size=tree.size(1, 2),
            head=head,
            deputy=f"Phó {head}",
            cell=agencies_cell,
            manager=c_standing,
        )

    # Schools and the health station under the commune's People's Committee.
    heroes = rng.sample(places.SCHOOL_NAMES, 12)
    levels = (
        ("MN", "Trường Mầm non", rng.randint(2, 4), (25, 45)),
        ("TH", "Trường Tiểu học", rng.randint(3, 5), (35, 55)),
        ("THCS", "Trường Trung học cơ sở", rng.randint(2, 3), (40, 65)),
    )
    for code, prefix, count, size in levels:
        for k in range(1, count + 1):
            label = place if k == 1 else heroes.pop()
            name = f"{prefix} {label}"
            cell = tree.add(f"{x}-CB-{code}{k}", f"Chi bộ {name}", OrgKind.CELL_BASE, party)
            school = tree.add(
                f"{x}-{code}{k}",
                name,
                OrgKind.PUBLIC_UNIT,
                pc,
                party=cell,
                profile="school_mn" if code == "MN" else "school",
                size=tree.size(*size),
                head="Hiệu trưởng",
                deputy="Phó Hiệu trưởng",
                staff="Giáo viên mầm non" if code == "MN" else "Giáo viên",
                cell=cell,
                manager=c_standing,
            )
            tree.leadership(school, f"Ban Giám hiệu {name}")
    station_name = f"Trạm Y tế {c}"
    cell = tree.add(f"{x}-CB-TYT", f"Chi bộ {station_name}", OrgKind.CELL_BASE, party)
    station = tree.add(
        f"{x}-TYT",
        station_name,
        OrgKind.PUBLIC_UNIT,
        pc,
        party=cell,
        profile="health_station",
        size=tree.size(8, 15),
        head="Trạm trưởng",
        deputy="Phó Trạm trưởng",
        cell=cell,
        manager=c_standing,
    )
    tree.leadership(station, f"Lãnh đạo {station_name}")

    # Residential cells: retired party members (đảng viên ngoài hệ thống chính trị).
    used: list[str] = []
    for k in range(1, rng.randint(5, 10) + 1):
        if ward:
            label = f"khu vực {k}"
        else:
            while True:
                label = f"ấp {rng.choice(places.PLACE_FIRST)} {rng.choice(places.PLACE_SECOND)}"
                if label not in used and label != f"ấp {place}":
                    break
            used.append(label)
        cell = tree.add(
            f"{x}-CB-KV{k:02d}",
            f"Chi bộ {label}",
            OrgKind.CELL_BASE,
            party,
            profile="residential",
            size=tree.size(25, 60),
            head="Bí thư Chi bộ",
        )
        cell.cell = cell
    return Commune(number, kind_word, place, party, c_standing, pc, front)


def _education(tree: Tree, sgd: Org, communes: list[Commune], p: str) -> None:
    """Upper-secondary schools (THPT) of the Department of Education, one in every third commune;
    since 2025 their chi bộ belongs to the party committee of the commune where they stand."""
    count = max(2, min(35, round(len(communes) / 3)))
    for k in range(count):
        commune = communes[(k * 3) % len(communes)]
        if k == 0:
            label = f"chuyên {_bare(p)}"
        elif k % 2:
            label = commune.place
        else:
            label = places.SCHOOL_NAMES[k % len(places.SCHOOL_NAMES)]
        name = f"Trường Trung học phổ thông {label}"
        x = f"X{commune.number:03d}"
        code = f"SGDDT-THPT{k + 1:02d}"
        if code in tree.codes:
            continue
        cell = tree.add(
            f"{x}-CB-THPT{k + 1:02d}", f"Chi bộ {name}", OrgKind.CELL_BASE, commune.party
        )
        school = tree.add(
            code,
            name,
            OrgKind.PUBLIC_UNIT,
            sgd,
            short_name=f"THPT {label}",
            party=cell,
            profile="school_thpt",
            size=tree.size(40, 90),
            head="Hiệu trưởng",
            deputy="Phó Hiệu trưởng",
            staff="Giáo viên",
            cell=cell,
            manager=sgd,
        )
        tree.leadership(school, f"Ban Giám hiệu {name}")


def _health(tree: Tree, syt: Org, party_state: Org, n_communes: int, p: str) -> None:
    hospitals = [("BVDK", f"Bệnh viện Đa khoa {p}", (450, 700))]
    if n_communes >= 30:
        hospitals.append(("BVSN", f"Bệnh viện Sản - Nhi {p}", (250, 350)))
    if n_communes >= 60:
        hospitals.append(("BVYHCT", f"Bệnh viện Y dược cổ truyền {p}", (120, 180)))
    for code, name, size in hospitals:
        party = tree.add(f"DB-{code}", f"Đảng bộ {name}", OrgKind.PARTY_BASE, party_state)
        tree.leadership(party, f"Ban Chấp hành Đảng bộ {name}")
        unit = tree.add(
            f"SYT-{code}",
            name,
            OrgKind.PUBLIC_UNIT,
            syt,
            party=party,
            profile="hospital_board",
            head="Giám đốc",
            deputy="Phó Giám đốc",
            manager=syt,
        )
        tree.leadership(unit, f"Ban Giám đốc {name}")
        total = tree.size(*size)
        unit.size = 4
        unit.fixed = True
        divisions = _divisions(
            tree,
            unit,
            places.HOSPITAL_DIVISIONS,
            total - 4,
            staff="",
            cell=None,
            profile="hospital_division",
            cells_under=party,
        )
        unit.cell = divisions[0].cell
    centers = [("CDC", f"Trung tâm Kiểm soát bệnh tật {p}", (80, 120))]
    for k in range(1, max(1, min(8, n_communes // 12)) + 1):
        centers.append((f"TTYT{k}", f"Trung tâm Y tế khu vực {k}", (100, 200)))
    for code, name, size in centers:
        cell = tree.add(f"CB-{code}", f"Chi bộ {name}", OrgKind.CELL_BASE, party_state)
        unit = tree.add(
            f"SYT-{code}",
            name,
            OrgKind.PUBLIC_UNIT,
            syt,
            party=cell,
            profile="health_center",
            size=tree.size(*size),
            head="Giám đốc",
            deputy="Phó Giám đốc",
            cell=cell,
            manager=syt,
        )
        tree.leadership(unit, f"Ban Giám đốc {name}")


def scale_sizes(orgs: list[Org], people: int) -> None:
    """Fit the staffed units' sizes to `people` in total (largest remainder), keeping elected
    boards fixed and every unit at least its head."""
    scalable = [o for o in orgs if o.profile and not o.fixed]
    fixed_total = sum(o.size for o in orgs if o.profile and o.fixed)
    realistic = sum(o.size for o in scalable)
    budget = max(people - fixed_total, len(scalable))
    factor = budget / realistic if realistic else 0.0
    exact = [o.size * factor for o in scalable]
    sizes = [max(1, int(x)) for x in exact]
    remainder = budget - sum(sizes)
    if remainder > 0:
        order = sorted(range(len(scalable)), key=lambda i: (-(exact[i] - int(exact[i])), i))
        for i in order[:remainder]:
            sizes[i] += 1
    elif remainder < 0:
        # Minimums pushed the total over: take one back from the largest units.
        while remainder < 0 and max(sizes) > 1:
            for i in sorted(range(len(scalable)), key=lambda i: (-sizes[i], i)):
                if remainder == 0 or sizes[i] == 1:
                    break
                sizes[i] -= 1
                remainder += 1
    for org, size in zip(scalable, sizes, strict=True):
        org.size = size
