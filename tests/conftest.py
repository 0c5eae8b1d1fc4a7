"""A fixed cast for the web and service tests (healthchecks' `hc/test.py` idea).

The tree:  Tỉnh ủy (party_province)
             └─ Đảng bộ Sở Nội vụ (party_base)
                  └─ Chi bộ Phòng Công chức (cell_sub)
           UBND tỉnh (pc_province)
             └─ Sở Nội vụ (department)              ← approver: personnel role here
                  ├─ Ban Giám đốc Sở Nội vụ (leadership)
                  ├─ Phòng Công chức (division)      ← staff, unit head
                  └─ Phòng Tổ chức biên chế (division) ← outsider (a sibling unit)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass

import pytest

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.orgs import people, services
from kiemdiem.orgs.models import Organization, OrgKind, Person, PostLevel

PASSWORD = "Mk-kiemdiem-2025!"  # noqa: S105


def pytest_collection_modifyitems(config, items):
    """Browser tests are mandatory under CI: fail (never skip) when Chromium is missing."""
    if any(item.get_closest_marker("browser") for item in items) and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(
                "CI=true: browser tests need /usr/bin/chromium (apt-get install chromium)"
            )
        skip = pytest.mark.skip(reason="chromium is not installed (mandatory under CI=true)")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)


_counter = iter(range(1, 10_000_000))


def make_identity_number(gender: str, born: dt.date) -> str:
    from kiemdiem.orgs.validators import century_gender_digit

    serial = next(_counter)
    return f"001{century_gender_digit(gender=gender, birth_year=born.year)}{born.year % 100:02d}{serial:06d}"


def make_person(
    full_name: str,
    *,
    gender: str = "female",
    born: dt.date = dt.date(1985, 5, 17),
    employment: str = "cong_chuc",
) -> Person:
    return people.person_create(
        actor=None,
        full_name=full_name,
        gender=gender,
        date_of_birth=born,
        identity_number=make_identity_number(gender, born),
        employment=employment,
    )


def make_org(
    code: str, name: str, kind: str, parent: Organization | None = None, **kw
) -> Organization:
    return services.organization_create(
        actor=None, code=code, name=name, kind=kind, parent=parent, **kw
    )


def make_user(
    username: str,
    person: Person | None = None,
    *,
    role: str | None = None,
    org: Organization | None = None,
):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    if role is not None and org is not None:
        RoleAssignment.objects.create(user=user, role=role, organization=org)
    return user


@dataclass
class Cast:
    province_party: Organization
    department_party: Organization
    cell: Organization
    province: Organization
    department: Organization
    board: Organization
    division: Organization
    sibling: Organization
    staff_person: Person
    head_person: Person
    outsider_person: Person
    staff: object
    unit_head: object
    approver: object
    outsider: object


@pytest.fixture
def cast(db) -> Cast:
    province_party = make_org("TU", "Đảng bộ tỉnh Hậu Giang", OrgKind.PARTY_PROVINCE)
    department_party = make_org("DB-SNV", "Đảng bộ Sở Nội vụ", OrgKind.PARTY_BASE, province_party)
    cell = make_org("CB-PCC", "Chi bộ Phòng Công chức", OrgKind.CELL_SUB, department_party)
    province = make_org(
        "UBND", "Ủy ban nhân dân tỉnh Hậu Giang", OrgKind.PEOPLES_COMMITTEE_PROVINCE
    )
    department = make_org(
        "SNV", "Sở Nội vụ", OrgKind.DEPARTMENT, province, party_organization=department_party
    )
    board = make_org(
        "BGD-SNV", "Ban Giám đốc Sở Nội vụ", OrgKind.LEADERSHIP, department, leads=department
    )
    division = make_org("PCC", "Phòng Công chức", OrgKind.DIVISION, department)
    sibling = make_org("PTCBC", "Phòng Tổ chức biên chế", OrgKind.DIVISION, department)
    start = dt.date(2020, 1, 1)
    staff_person = make_person("Nguyễn Thị Ánh")
    head_person = make_person("Trần Văn Đức", gender="male", born=dt.date(1975, 2, 3))
    outsider_person = make_person("Lê Văn Ưng", gender="male", born=dt.date(1990, 9, 9))
    people.position_add(
        actor=None,
        person=staff_person,
        organization=division,
        title="Chuyên viên",
        start_date=start,
    )
    people.position_add(
        actor=None,
        person=head_person,
        organization=division,
        title="Trưởng phòng",
        level=PostLevel.HEAD_DIVISION,
        is_head=True,
        start_date=start,
    )
    people.position_add(
        actor=None,
        person=outsider_person,
        organization=sibling,
        title="Chuyên viên",
        start_date=start,
    )
    people.party_membership_set(
        actor=None,
        person=staff_person,
        cell=cell,
        admitted_on=dt.date(2012, 3, 2),
        official_on=dt.date(2013, 3, 2),
    )
    staff = make_user("nhanvien", staff_person, role=Role.STAFF, org=division)
    unit_head = make_user("truongphong", head_person, role=Role.UNIT_HEAD, org=division)
    approver = make_user("tochuc", None, role=Role.PERSONNEL, org=department)
    outsider = make_user("ngoaidonvi", outsider_person, role=Role.STAFF, org=sibling)
    return Cast(
        province_party,
        department_party,
        cell,
        province,
        department,
        board,
        division,
        sibling,
        staff_person,
        head_person,
        outsider_person,
        staff,
        unit_head,
        approver,
        outsider,
    )


def verify_second_factor(client, user) -> None:
    """Mark `client`'s session as having passed the second factor (django-otp's session key),
    with a confirmed TOTP device for `user`; a no-op for accounts that need no second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kiemdiem.accounts.twofactor import user_requires_second_factor

    if not user_requires_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code_for(username: str) -> str:
    """The current TOTP code of `username`, given a confirmed device if it has none (for tests
    that sign in through the pages, as a person with an authenticator app would)."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    # A second sign-in within the same 30-second step would reuse the code, which django-otp
    # refuses as a replay: tests sign in again quickly, so the replay guard is reset here.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """Tests that sign in with `client.force_login` act after a full sign-in (password and
    second factor); the second factor's own tests sign in through the login page instead."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    """Argon2 is deliberately slow; the cast's accounts would cost seconds per test.

    The production hasher is asserted by its own test (marked `argon2`)."""
    if request.node.get_closest_marker("argon2"):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
