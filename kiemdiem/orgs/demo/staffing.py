"""People for the demo tree: posts, party membership and cadre management, all in memory.

Everything is drawn from the one Random passed in, in a fixed order, so a seed always gives the
same people. Dates are fixed relative to the demo's review year (2025), never to today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from kiemdiem.orgs.demo import places
from kiemdiem.orgs.demo.names import NameMaker
from kiemdiem.orgs.demo.structure import COMMUNE_TIER, PROVINCE_TIER, Org, Province
from kiemdiem.orgs.models import EmploymentCategory, OrgKind, PartyStatus, PostLevel
from kiemdiem.orgs.validators import century_gender_digit

REVIEW_YEAR = 2026
AS_OF = dt.date(REVIEW_YEAR, 11, 20)  # the demo's "today": no generated date is later
MID_YEAR = dt.date(REVIEW_YEAR, 6, 30)  # members admitted after this are not yet reviewed

CB = EmploymentCategory.CADRE
CC = EmploymentCategory.CIVIL_SERVANT
VC = EmploymentCategory.PUBLIC_EMPLOYEE
LD = EmploymentCategory.WORKER
NONE = EmploymentCategory.NONE

Mix = tuple[tuple[str, str, float], ...]  # (title, employment, weight)

AGENCY: Mix = (
    ("{staff}", CC, 62),
    ("{staff} chính", CC, 25),
    ("Cán sự", CC, 5),
    ("Nhân viên hợp đồng", LD, 8),
)
OFFICE: Mix = (
    ("{staff}", CC, 55),
    ("{staff} chính", CC, 15),
    ("Văn thư", CC, 8),
    ("Kế toán viên", CC, 8),
    ("Lái xe", LD, 8),
    ("Nhân viên hợp đồng", LD, 6),
)
COMMUNE: Mix = (("Chuyên viên", CC, 85), ("Cán sự", CC, 5), ("Nhân viên hợp đồng", LD, 10))
CENTER: Mix = (
    ("Chuyên viên", VC, 55),
    ("Kỹ thuật viên", VC, 15),
    ("Kế toán viên", VC, 6),
    ("Nhân viên", LD, 24),
)
SCHOOL: Mix = (
    ("{staff}", VC, 86),
    ("Nhân viên văn thư", VC, 3),
    ("Kế toán viên", VC, 3),
    ("Nhân viên thiết bị, thí nghiệm", VC, 3),
    ("Bảo vệ", LD, 5),
)
PRESCHOOL: Mix = (
    ("{staff}", VC, 82),
    ("Nhân viên nuôi dưỡng", LD, 10),
    ("Kế toán viên", VC, 3),
    ("Bảo vệ", LD, 5),
)
CLINICAL: Mix = (
    ("Bác sĩ", VC, 25),
    ("Điều dưỡng", VC, 40),
    ("Kỹ thuật viên", VC, 10),
    ("Dược sĩ", VC, 6),
    ("Nữ hộ sinh", VC, 5),
    ("Hộ lý", LD, 9),
    ("Nhân viên hành chính", VC, 5),
)
HOSPITAL_OFFICE: Mix = (("Chuyên viên", VC, 70), ("Kế toán viên", VC, 15), ("Nhân viên", LD, 15))
STATION: Mix = (
    ("Bác sĩ", VC, 20),
    ("Y sĩ", VC, 25),
    ("Điều dưỡng", VC, 25),
    ("Nữ hộ sinh", VC, 15),
    ("Dược sĩ", VC, 10),
    ("Nhân viên", LD, 5),
)
MASS: Mix = (("Chuyên viên", CC, 90), ("Nhân viên hợp đồng", LD, 10))
SPECIALIST: Mix = (("{staff}", CC, 100),)

PARTY_RATE = {CB: 1.0, CC: 0.85, VC: 0.55, LD: 0.2}


@dataclass(frozen=True)
class Profile:
    head_level: int
    deputy_level: int
    head_emp: str
    deputy_emp: str
    mix: Mix
    female: float
    deputies: tuple[int, int, int] = (3, 10, 2)  # (size ≥ a → 1, size ≥ b → max, max)
    retiree: bool = False
    fixed_board: bool = False  # every person but the head is a deputy


P = PostLevel
PROFILES: dict[str, Profile] = {
    "province_party": Profile(
        P.HEAD_PROVINCE, P.DEPUTY_PROVINCE, CB, CB, (), 0.3, fixed_board=True
    ),
    "province_pc": Profile(P.HEAD_PROVINCE, P.DEPUTY_PROVINCE, CB, CB, (), 0.3, fixed_board=True),
    "advisory": Profile(P.HEAD_DEPARTMENT, P.DEPUTY_DEPARTMENT, CB, CC, (), 0.3, fixed_board=True),
    "board": Profile(P.HEAD_DEPARTMENT, P.DEPUTY_DEPARTMENT, CC, CC, (), 0.25, fixed_board=True),
    "front_province": Profile(
        P.HEAD_DEPARTMENT, P.DEPUTY_DEPARTMENT, CB, CB, (), 0.35, fixed_board=True
    ),
    "mass_province": Profile(P.DEPUTY_DEPARTMENT, P.HEAD_DIVISION, CB, CB, MASS, 0.5, (4, 12, 2)),
    "division": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, CC, CC, AGENCY, 0.45),
    "center": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, VC, VC, CENTER, 0.45, (4, 25, 2)),
    "center_big": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, VC, VC, CENTER, 0.45, (4, 40, 3)),
    "hospital_board": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, VC, VC, (), 0.35, fixed_board=True),
    "hospital_division": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, VC, VC, CLINICAL, 0.65),
    "health_center": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, VC, VC, CLINICAL, 0.65, (4, 60, 3)),
    "school_thpt": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, VC, VC, SCHOOL, 0.65, (4, 70, 3)),
    "school": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, VC, VC, SCHOOL, 0.72, (4, 50, 3)),
    "school_mn": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, VC, VC, PRESCHOOL, 0.97, (4, 35, 2)),
    "health_station": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, VC, VC, STATION, 0.7, (4, 99, 1)),
    "commune_party": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, CB, CB, (), 0.2, fixed_board=True),
    "commune_pc": Profile(P.HEAD_COMMUNE, P.DEPUTY_COMMUNE, CB, CB, (), 0.25, fixed_board=True),
    "commune_division": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, CC, CC, COMMUNE, 0.4),
    "commune_advisory": Profile(
        P.HEAD_DIVISION, P.DEPUTY_DIVISION, CC, CC, SPECIALIST, 0.4, (4, 99, 1)
    ),
    "commune_advisory_elected": Profile(
        P.HEAD_DIVISION, P.DEPUTY_DIVISION, CB, CC, SPECIALIST, 0.35, (4, 99, 1)
    ),
    "commune_front": Profile(P.DEPUTY_COMMUNE, P.DEPUTY_DIVISION, CB, CB, COMMUNE, 0.4, (2, 99, 1)),
    "commune_mass": Profile(P.HEAD_DIVISION, P.DEPUTY_DIVISION, CB, CB, (), 0.4, (2, 99, 1)),
    "residential": Profile(P.DEPUTY_DIVISION, 0, NONE, NONE, (), 0.35, retiree=True),
}

CELL_SECRETARY_LEVEL = {
    OrgKind.CELL_BASE: P.HEAD_DIVISION,
    OrgKind.CELL_SUB: P.DEPUTY_DIVISION,
    OrgKind.PARTY_BASE: P.HEAD_COMMUNE,
}


@dataclass(eq=False)
class Post:
    org: Org
    title: str
    level: int
    is_head: bool
    start: dt.date
    main: bool = True


@dataclass(eq=False)
class Person:
    idx: int
    full_name: str
    gender: str
    dob: dt.date
    cccd: str
    employment: str
    posts: list[Post] = field(default_factory=list)
    # Party membership: (cell, admitted, official, status, outside_system) or None.
    cell: Org | None = None
    admitted: dt.date | None = None
    official: dt.date | None = None
    status: str = PartyStatus.ACTIVE
    outside: bool = False
    manager: Org | None = None


@dataclass
class Staffed:
    """One unit's people, by role, for choosing secretaries and concurrent posts."""

    head: Person
    deputies: list[Person]
    staff: list[Person]


@dataclass
class People:
    persons: list[Person]
    units: dict[int, Staffed]  # org idx → its people
    cells: dict[int, list[Person]]  # cell idx → members


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 2, 28)


class Staffer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = NameMaker(rng)
        self.persons: list[Person] = []
        self.used_cccd: set[str] = set()
        self.birth_codes = [c for c, _ in places.BIRTH_PROVINCES]
        self.birth_weights = [w for _, w in places.BIRTH_PROVINCES]

    def person(self, *, gender: str, born: tuple[int, int], employment: str) -> Person:
        rng = self.rng
        year = rng.randint(*born)
        dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        prefix = (
            rng.choices(self.birth_codes, weights=self.birth_weights)[0]
            + century_gender_digit(gender=gender, birth_year=year)
            + f"{year % 100:02d}"
        )
        while True:
            cccd = f"{prefix}{rng.randint(0, 999_999):06d}"
            if cccd not in self.used_cccd:
                self.used_cccd.add(cccd)
                break
        person = Person(
            len(self.persons), self.names.full_name(gender, year), gender, dob, cccd, employment
        )
        self.persons.append(person)
        return person

    def gender(self, female_share: float) -> str:
        return "female" if self.rng.random() < female_share else "male"


def staff_tree(rng: random.Random, province: Province) -> People:
    s = Staffer(rng)
    units: dict[int, Staffed] = {}
    cells: dict[int, list[Person]] = {}
    for org in province.tree.orgs:
        if not org.profile:
            continue
        units[org.idx] = _staff_unit(s, org, PROFILES[org.profile])
    _memberships(s, province, units, cells)
    _party_posts(s, province, units, cells)
    _management(s.persons, province)
    return People(s.persons, units, cells)


def _head_titles(org: Org) -> tuple[str, str]:
    if org.head:
        return org.head, org.deputy
    name = org.name
    if name.startswith("Văn phòng"):
        return "Chánh Văn phòng", "Phó Chánh Văn phòng"
    if name.startswith("Ban "):
        return "Trưởng Ban", "Phó Trưởng Ban"
    if name.startswith("Khoa "):
        return "Trưởng khoa", "Phó Trưởng khoa"
    return "Trưởng phòng", "Phó Trưởng phòng"


def _staff_unit(s: Staffer, org: Org, prof: Profile) -> Staffed:
    rng = s.rng
    size = org.size
    head_title, deputy_title = _head_titles(org)
    if prof.retiree:
        return _staff_residential(s, org, size)
    if prof.fixed_board:
        n_deputies = size - 1
    else:
        low, high, most = prof.deputies
        n_deputies = 0 if size < low else (most if size >= high else 1)
        n_deputies = min(n_deputies, size - 1)
    head = s.person(
        gender=s.gender(0.2 if prof.head_level >= P.HEAD_COMMUNE else 0.3 + prof.female / 4),
        born=(1965, 1982),
        employment=prof.head_emp,
    )
    head.posts.append(Post(org, head_title, prof.head_level, True, _leader_start(rng, head.dob)))
    deputies = []
    for _ in range(n_deputies):
        deputy = s.person(
            gender=s.gender(0.3 + prof.female / 4), born=(1966, 1988), employment=prof.deputy_emp
        )
        deputy.posts.append(
            Post(org, deputy_title, prof.deputy_level, False, _leader_start(rng, deputy.dob))
        )
        deputies.append(deputy)
    staff = []
    mix = prof.mix
    if org.profile == "division" and org.name.startswith("Văn phòng"):
        mix = OFFICE
    elif org.profile == "hospital_division" and not org.name.startswith("Khoa"):
        mix = HOSPITAL_OFFICE
    titles = [t.replace("{staff}", org.staff or "Chuyên viên") for t, _, _ in mix]
    emps = [e for _, e, _ in mix]
    weights = [w for _, _, w in mix]
    for _ in range(size - 1 - n_deputies):
        k = rng.choices(range(len(titles)), weights=weights)[0]
        title = titles[k]
        gender = "female" if title == "Nữ hộ sinh" else s.gender(prof.female)
        person = s.person(gender=gender, born=(1970, 2003), employment=emps[k])
        person.posts.append(Post(org, title, P.STAFF, False, _staff_start(rng, person.dob)))
        staff.append(person)
    return Staffed(head, deputies, staff)


def _staff_residential(s: Staffer, org: Org, size: int) -> Staffed:
    """Party members outside the political system: retirees, and a few who work in private
    business or study. The secretary is one of them."""
    rng = s.rng
    members = []
    for _ in range(size):
        retired = rng.random() < 0.85
        person = s.person(
            gender=s.gender(0.35),
            born=(1938, 1964) if retired else (1975, 2003),
            employment=NONE,
        )
        members.append(person)
    head = members[0]
    head.posts.append(
        Post(
            org, "Bí thư Chi bộ", P.DEPUTY_DIVISION, True, _date(rng, dt.date(2020, 8, 1), MID_YEAR)
        )
    )
    return Staffed(head, [], members[1:])


def _leader_start(rng: random.Random, dob: dt.date) -> dt.date:
    return _date(rng, max(_years_after(dob, 30), dt.date(2010, 1, 1)), MID_YEAR)


def _staff_start(rng: random.Random, dob: dt.date) -> dt.date:
    if rng.random() < 0.015:  # recruited in the second half of the review year
        return _date(rng, dt.date(REVIEW_YEAR, 7, 1), dt.date(REVIEW_YEAR, 10, 31))
    earliest = min(max(_years_after(dob, 22), dt.date(2003, 1, 1)), MID_YEAR)
    return _date(rng, earliest, MID_YEAR)


def _memberships(
    s: Staffer, province: Province, units: dict[int, Staffed], cells: dict[int, list[Person]]
) -> None:
    rng = s.rng
    for org in province.tree.orgs:
        unit = units.get(org.idx)
        if unit is None or org.cell is None:
            continue
        residential = org.profile == "residential"
        leaders = [unit.head, *unit.deputies]
        for person in [*leaders, *unit.staff]:
            if residential:
                member = True
            elif person in leaders:
                member = True  # leaders and managers are party members
            else:
                member = rng.random() < PARTY_RATE[person.employment]
            if not member:
                continue
            person.cell = org.cell
            person.outside = residential
            earliest = _years_after(person.dob, 18)
            latest = min(MID_YEAR, _years_after(person.dob, 45))
            if (
                not residential
                and person not in leaders
                and person.dob.year >= 1990
                and (rng.random() < 0.01)
            ):
                # Admitted after 30 June of the review year: not reviewed this year.
                person.admitted = _date(
                    rng, dt.date(REVIEW_YEAR, 7, 1), dt.date(REVIEW_YEAR, 11, 15)
                )
            else:
                span = max(0, (latest - earliest).days)
                person.admitted = earliest + dt.timedelta(days=int(span * rng.random() ** 1.3))
            official = _years_after(person.admitted, 1)
            person.official = official if official <= AS_OF else None
            if (
                residential
                and person is not unit.head
                and person.dob.year <= 1950
                and (rng.random() < 0.35)
            ):
                person.status = PartyStatus.EXEMPT
            elif person not in leaders and rng.random() < 0.0015:
                person.status = PartyStatus.SUSPENDED
            cells.setdefault(org.cell.idx, []).append(person)


def _concurrent(person: Person, org: Org, title: str, level: int, is_head: bool) -> None:
    main = person.posts[0].start if person.posts else dt.date(2020, 1, 1)
    person.posts.append(Post(org, title, level, is_head, max(main, dt.date(2020, 10, 1)), False))


def _party_posts(
    s: Staffer, province: Province, units: dict[int, Staffed], cells: dict[int, list[Person]]
) -> None:
    """Secretaries, deputies and committee members of the party organizations: concurrent posts
    (kiêm nhiệm) of people whose main post is in an agency."""
    rng = s.rng
    tree = province.tree
    by_idx = {o.idx: o for o in tree.orgs}
    busy: set[int] = set()  # people already holding a party head post

    def unit_of(org: Org) -> Staffed | None:
        return units.get(org.idx)

    # The province: the chair of the People's Committee is a deputy secretary.
    pc = unit_of(province.state_root)
    assert pc is not None
    _concurrent(
        pc.head, province.party_root, f"Phó Bí thư {province.party_name}", P.DEPUTY_PROVINCE, False
    )
    # Upper-grassroots committees and đảng bộ cơ sở of agencies: led by the agency's head.
    agency_of_party: dict[int, Org] = {}
    for org in tree.orgs:
        if org.party is not None and org.party.kind == OrgKind.PARTY_BASE and org.profile:
            agency_of_party.setdefault(org.party.idx, org)
    for org in tree.orgs:
        if org.kind != OrgKind.PARTY_BASE:
            continue
        if org.code == "DB-UBND":
            vpub = next(o for o in tree.orgs if o.code == "VPUB")
            leader, deputy = pc.head, units[vpub.idx].head
            level = P.DEPUTY_DEPARTMENT
        elif org.code == "DB-CQD":
            btc = next(o for o in tree.orgs if o.code == "TU-BTC")
            vp = next(o for o in tree.orgs if o.code == "TU-VP")
            leader, deputy = units[btc.idx].head, units[vp.idx].head
            level = P.DEPUTY_DEPARTMENT
        else:
            agency = agency_of_party.get(org.idx)
            if agency is None:
                continue
            unit = units[agency.idx]
            leader = unit.head
            deputy = unit.deputies[0] if unit.deputies else None
            level = P.HEAD_COMMUNE
        _concurrent(leader, org, "Bí thư Đảng ủy", level, True)
        busy.add(leader.idx)
        if deputy is not None and deputy.idx not in busy:
            _concurrent(deputy, org, "Phó Bí thư Đảng ủy", level - 10, False)
        # Committee members: heads of divisions who are members of the đảng bộ.
        members = [
            p
            for cell_idx, ps in cells.items()
            if by_idx[cell_idx].parent is org
            for p in ps
            if p.posts and p.posts[0].level == P.HEAD_DIVISION
        ]
        for p in members[: rng.randint(3, 5)]:
            _concurrent(p, org, "Đảng ủy viên", P.STAFF, False)
    # Communes: the chair of the People's Committee is a deputy secretary of the commune party.
    for commune in province.communes:
        _concurrent(
            units[commune.pc.idx].head, commune.party, "Phó Bí thư Đảng ủy", P.DEPUTY_COMMUNE, False
        )
        busy.add(units[commune.party.idx].head.idx)
    for person in units[province.party_root.idx].deputies:
        busy.add(person.idx)
    busy.add(units[province.party_root.idx].head.idx)

    # Cells: a secretary (often the head of the unit), and a chi ủy when 9 or more members.
    heads_of_cell: dict[int, list[Person]] = {}
    for org in tree.orgs:
        unit = units.get(org.idx)
        if unit is not None and org.cell is not None:
            heads_of_cell.setdefault(org.cell.idx, []).append(unit.head)
            heads_of_cell[org.cell.idx].extend(unit.deputies)
    for org in list(tree.orgs):
        if org.kind not in (OrgKind.CELL_BASE, OrgKind.CELL_SUB):
            continue
        members = [p for p in cells.get(org.idx, []) if p.status == PartyStatus.ACTIVE]
        if org.profile == "residential":
            secretary = units[org.idx].head
        else:
            candidates = [p for p in heads_of_cell.get(org.idx, []) if p in members]
            candidates = [p for p in candidates if p.idx not in busy]
            others = [p for p in members if p.idx not in busy]
            roll = rng.random()
            if candidates and roll < 0.6:
                secretary = candidates[0]
            elif len(candidates) > 1 and roll < 0.85:
                secretary = candidates[1]
            elif others:
                secretary = rng.choice(others)
            elif members:
                secretary = members[0]
            else:
                continue
            _concurrent(secretary, org, "Bí thư Chi bộ", CELL_SECRETARY_LEVEL[org.kind], True)
        busy.add(secretary.idx)
        if len(members) >= 9:
            committee = 5 if len(members) >= 30 else 3
            # Provincial and commune secretaries are not also members of a cell's committee.
            rest = [p for p in members if p is not secretary and p.idx not in busy]
            chosen = rng.sample(rest, min(committee - 1, len(rest)))
            if not chosen:
                continue
            _concurrent(chosen[0], org, "Phó Bí thư Chi bộ", P.DEPUTY_DIVISION, False)
            for p in chosen[1:]:
                _concurrent(p, org, "Chi ủy viên", P.STAFF, False)
            tree.add(f"{org.code}-CU", f"Chi ủy {org.name}", OrgKind.LEADERSHIP, org, leads=org)


def _management(persons: list[Person], province: Province) -> None:
    """Diện quản lý of leaders: provincial leaders from department level up and the communes'
    first leaders by the provincial standing committee; the rest by their unit's manager."""
    standing = province.party_standing
    for person in persons:
        top = sorted(person.posts, key=lambda p: (-p.level, not p.is_head, p.start, not p.main))
        if not top or top[0].level == P.STAFF:
            continue
        post = top[0]
        if post.org.kind in (OrgKind.CELL_BASE, OrgKind.CELL_SUB):
            continue  # party-cell posts are not in a cadre-management list
        if (
            post.org.tier == PROVINCE_TIER
            and post.level >= P.DEPUTY_DEPARTMENT
            or post.org.tier == COMMUNE_TIER
            and post.level >= P.HEAD_COMMUNE
        ):
            person.manager = standing
        else:
            person.manager = post.org.manager
