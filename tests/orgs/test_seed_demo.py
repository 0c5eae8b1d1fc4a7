"""The demo province: deterministic, valid, consistent; demo accounts idempotent and guarded."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.management.commands.seed_demo import Command as SeedDemo
from kiemdiem.orgs.models import (
    Organization,
    OrgKind,
    PartyMembership,
    Person,
    Position,
)
from kiemdiem.orgs.validators import identity_number_errors

N = 500
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**kw) -> str:
    out = StringIO()
    call_command("seed-demo".replace("-", "_"), people=N, seed=7, stdout=out, **kw)
    return out.getvalue()


def digest() -> str:
    """Names, CCCDs, posts and the tree, written with codes instead of ids (PostgreSQL does not
    roll sequences back, so ids may differ between two runs in one test)."""
    code = dict(Organization.objects.values_list("id", "code"))
    h = hashlib.sha256()
    for o in Organization.objects.order_by("code").values():
        code_path = ".".join(code[int(i)] for i in o["path"].split(".") if i)
        h.update(f"{o['code']}|{o['name']}|{o['kind']}|{code_path}|{o['position']}".encode())
    for p in Person.objects.order_by("identity_number").values():
        h.update(
            f"{p['full_name']}|{p['identity_number']}|{p['date_of_birth']}|{p['created_at']}".encode()
        )
    for row in Position.objects.order_by(
        "person__identity_number", "title", "organization__code"
    ).values_list(
        "person__identity_number", "organization__code", "title", "level", "is_head", "start_date"
    ):
        h.update(repr(row).encode())
    for row in PartyMembership.objects.order_by("person__identity_number").values_list(
        "person__identity_number", "cell__code", "admitted_on", "official_on", "status"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture
def seeded(db):
    seed()


def test_same_seed_gives_identical_data_in_two_fresh_databases(db):
    with transaction.atomic():
        seed()
        first = digest()
        transaction.set_rollback(True)
    assert not Organization.objects.exists()
    seed()
    assert digest() == first
    assert Person.objects.count() == N


def test_seed_writes_one_summary_audit_event_and_prints_counts_per_kind(db):
    out = seed()
    assert "Đảng bộ xã, phường" in out and "Đơn vị sự nghiệp công lập" in out
    events = AuditEvent.objects.filter(action="demo.seed")
    assert events.count() == 1 and AuditEvent.objects.count() == 1
    assert events[0].after["people"] == N
    # Vietnamese numbers in the console too: "(2,4 s)", never an English "3,000".
    assert re.search(r"\(\d+,\d s\)\.", out), out
    assert not re.search(r"\d,\d{3}(?!\d)", out), out


def test_the_default_size_reads_with_a_vietnamese_thousands_dot():
    parser = SeedDemo().create_parser("manage.py", "seed_demo")
    assert "(mặc định 3.000)" in " ".join(parser.format_help().split())


def test_if_empty_does_nothing_on_a_seeded_database_and_a_second_seed_is_refused(seeded):
    out = StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "bỏ qua" in out.getvalue()
    assert Person.objects.count() == N
    with pytest.raises(CommandError, match="đã có tổ chức"):
        seed()


def test_every_identity_number_is_valid_for_its_gender_and_birth_year(seeded):
    for number, gender, born in Person.objects.values_list(
        "identity_number", "gender", "date_of_birth"
    ):
        assert identity_number_errors(number, gender=gender, date_of_birth=born) == []


def test_every_path_extends_its_parents_path(seeded):
    orgs = {o.pk: o for o in Organization.objects.all()}
    for org in orgs.values():
        parent = orgs.get(org.parent_id)
        expected = (parent.path if parent else "") + f"{org.pk:07d}."
        assert org.path == expected
        assert org.depth == (parent.depth + 1 if parent else 0)


def test_every_leadership_collective_leads_its_parent(seeded):
    collectives = Organization.objects.filter(kind=OrgKind.LEADERSHIP)
    assert collectives.exists()
    for org in collectives:
        assert org.leads_id is not None and org.leads_id == org.parent_id
    led_kinds = set(collectives.values_list("leads__kind", flat=True))
    assert {
        OrgKind.DEPARTMENT,
        OrgKind.PEOPLES_COMMITTEE_COMMUNE,
        OrgKind.PUBLIC_UNIT,
        OrgKind.PARTY_PROVINCE,
        OrgKind.PARTY_COMMUNE,
    } <= led_kinds


def test_every_staffed_unit_has_exactly_one_current_head(seeded):
    heads = Counter(
        Position.objects.filter(is_head=True, end_date__isnull=True).values_list(
            "organization_id", flat=True
        )
    )
    staffed = set(Position.objects.values_list("organization_id", flat=True))
    assert staffed and all(heads[org] == 1 for org in staffed)


def test_agencies_are_linked_to_party_organizations_and_members_to_cells(seeded):
    agencies = Organization.objects.filter(
        kind__in=[
            OrgKind.DEPARTMENT,
            OrgKind.DIVISION,
            OrgKind.PUBLIC_UNIT,
            OrgKind.PEOPLES_COMMITTEE_COMMUNE,
        ]
    )
    assert not agencies.filter(party_organization__isnull=True).exists()
    assert set(agencies.values_list("party_organization__kind", flat=True)) <= set(
        OrgKind.party_kinds()
    )
    cells = set(PartyMembership.objects.values_list("cell__kind", flat=True))
    assert cells <= {OrgKind.CELL_BASE, OrgKind.CELL_SUB}
    assert PartyMembership.objects.filter(outside_system=True).exists()


def test_nguyen_is_the_most_common_family_name(seeded):
    counts = Counter(Person.objects.values_list("family_name", flat=True))
    assert counts.most_common(1)[0][0] == "Nguyễn"


@override_settings(DEBUG=False)
def test_demo_accounts_refuse_to_run_without_debug(seeded):
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("demo_accounts", stdout=StringIO())
    assert not RoleAssignment.objects.exists()


@override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER)
def test_demo_accounts_are_idempotent_and_linked_to_people(seeded):
    from django.contrib.auth import get_user_model

    first = StringIO()
    call_command("demo_accounts", stdout=first)
    snapshot = sorted(RoleAssignment.objects.values_list("user__username", "role", "organization"))
    links = sorted(Person.objects.filter(user__isnull=False).values_list("user__username", "pk"))
    call_command("demo_accounts", stdout=StringIO())
    assert (
        sorted(RoleAssignment.objects.values_list("user__username", "role", "organization"))
        == snapshot
    )
    assert (
        sorted(Person.objects.filter(user__isnull=False).values_list("user__username", "pk"))
        == links
    )
    users = get_user_model().objects.all()
    assert users.count() == 7 and len(links) == 7
    assert "nhanvien" in first.getvalue() and "KiemDiem@2025" in first.getvalue()
    assert users.get(username="quantri").is_superuser
    assert users.get(username="bithu").check_password("KiemDiem@2025")
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles["truongphong"] == Role.UNIT_HEAD and roles["kiemtra"] == Role.INSPECTOR
