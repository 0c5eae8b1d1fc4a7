"""`make run`'s demo: after seed-demo, demo-accounts and demo-cycle every demo role has work
waiting on its home page, and the petitions land where a demo account can act on them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from kiemdiem.core.todos import todos_for
from kiemdiem.reviews.decisions import selectors
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.models import Cycle, Evaluation
from kiemdiem.reviews.verification.services import can_verify

pytestmark = pytest.mark.django_db

ROLES = ("nhanvien", "truongphong", "bithu", "tochuc", "thamquyen", "kiemtra", "quantri")


@pytest.fixture
def demo(db):
    out = StringIO()
    with override_settings(
        DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        call_command("load_criteria", stdout=out)
        call_command("seed_demo", stdout=out)  # the size `make run` seeds
        call_command("demo_accounts", stdout=out)
        call_command("demo_cycle", stdout=out)
    return {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}


def test_every_demo_role_has_work_and_the_petitions_wait_for_demo_accounts(demo):
    """One test: seeding the demo province as `make run` does takes a while."""
    kinds = {name: {t.kind for t in todos_for(demo[name])} for name in ROLES}
    for name in ROLES:
        assert kinds[name], f"{name} has nothing waiting"
    assert "meeting" in kinds["truongphong"]
    assert "verify" in kinds["tochuc"]  # the petition sent back to verification
    assert "decide" in kinds["thamquyen"]
    cycle = Cycle.objects.get()
    petitioned = [p.evaluation for p in Petition.objects.select_related("evaluation")]
    assert sorted(e.status for e in petitioned) == ["reviewed", "verified"]
    reviewed = next(e for e in petitioned if e.status == "reviewed")
    assert can_verify(demo["tochuc"], reviewed)
    verified = next(e for e in petitioned if e.status == "verified")
    page = selectors.decision_page(demo["thamquyen"], cycle)
    assert next(r for r in page.rows if r.id == verified.pk).decidable
    assert Evaluation.objects.filter(cycle=cycle, status="verified").count() > 1
