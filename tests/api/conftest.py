"""The API's world: the cast's tree and a 2026 cycle, one account per demo role, and a client
that sends a token.

Evaluations: the staff member (state track, Phòng Công chức) and their party track (the cell),
the division as a collective, its head (leads and heads it), and the outsider in the sibling
division (state track). Extra roles: `thamquyen` (competent level over UBND tỉnh), `kiemtra`
(inspection committee over the Tỉnh ủy), `bithu` (secretary of the cell), `quantri` (superuser).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from kiemdiem.accounts.models import Role
from kiemdiem.api.tokens import token_create
from kiemdiem.reviews.models import Cycle, Evaluation, PeerGroup
from tests.conftest import make_user
from tests.reviews.selfreview.support import make_cycle


@dataclass
class World:
    cast: object
    cycle: Cycle
    group: PeerGroup
    state: Evaluation
    party: Evaluation
    collective: Evaluation
    leader: Evaluation
    outside: Evaluation
    users: dict


def _ev(cycle, code, **kw) -> Evaluation:
    return Evaluation.objects.create(cycle=cycle, code=code, **kw)


@pytest.fixture
def world(cast) -> World:
    cycle = make_cycle(cast)
    group = PeerGroup.objects.create(cycle=cycle, code="PG-SNV", name="Công chức Sở Nội vụ")
    state = _ev(
        cycle,
        "S-ANH",
        subject="individual",
        role="staff",
        track="state",
        person=cast.staff_person,
        organization=cast.division,
        peer_group=group,
        self_level="HTTNV",
        suggested_level="HTTNV",
        suggested_base_level="HTXSNV",
        suggested_flags=["QUOTA_LIMITED"],
        suggested_reasons=[{"rule": "ND335-4", "effect": "base", "detail": "Điểm 92"}],
    )
    party = _ev(
        cycle,
        "P-ANH",
        subject="individual",
        role="staff",
        track="party",
        person=cast.staff_person,
        organization=cast.cell,
        state_evaluation=state,
    )
    collective = _ev(
        cycle, "O-PCC", subject="collective", role="organization", organization=cast.division
    )
    leader = _ev(
        cycle,
        "S-DUC",
        subject="individual",
        role="leader",
        track="state",
        person=cast.head_person,
        organization=cast.division,
        leads=collective,
        head_of=collective,
        decided_level="HTTNV",
        status="decided",
    )
    outside = _ev(
        cycle,
        "S-UNG",
        subject="individual",
        role="staff",
        track="state",
        person=cast.outsider_person,
        organization=cast.sibling,
        decided_level="HTNV",
        status="decided",
    )
    users = {
        "nhanvien": cast.staff,
        "truongphong": cast.unit_head,
        "tochuc": cast.approver,
        "ngoaidonvi": cast.outsider,
        "bithu": make_user("bithu", role=Role.CELL_SECRETARY, org=cast.cell),
        "thamquyen": make_user("thamquyen", role=Role.COMPETENT, org=cast.province),
        "kiemtra": make_user("kiemtra", role=Role.INSPECTOR, org=cast.province_party),
        "quantri": get_user_model().objects.create_superuser(username="quantri", password="x"),
    }
    return World(cast, cycle, group, state, party, collective, leader, outside, users)


class ApiClient:
    """Django's test client with `Authorization: Bearer` on every request."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, data=None):
        return self.client.get(path, data or {}, headers=self.headers)

    def post(self, path: str, body, content_type: str = "application/json"):
        return self.client.post(path, body, content_type=content_type, headers=self.headers)

    def put(self, path: str, body):
        return self.client.put(path, body, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body):
        return self.client.patch(path, body, content_type="application/json", headers=self.headers)

    def upload(self, path: str, data: dict):
        """multipart/form-data, as a browser or `curl -F` sends a file."""
        return self.client.post(path, data, headers=self.headers)


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture
def api(client, world):
    """`api("tochuc")` → a client acting as that demo account through a fresh token."""

    def for_user(username: str) -> ApiClient:
        user = world.users[username]
        return ApiClient(client, token_create(actor=None, user=user))

    return for_user
