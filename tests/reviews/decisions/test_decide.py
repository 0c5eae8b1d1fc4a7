"""decide(): every hard limit of decisions.md §3 at service level, each refusal writing nothing."""

from __future__ import annotations

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.decisions.access import can_decide
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionRefused
from kiemdiem.reviews.decisions.selectors import decidable_ids
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.models import Evaluation
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_setup()


def item(s, code, level, reason="", version=None):
    ev = Evaluation.objects.get(pk=s.ev[code].pk)
    return DecisionItem(ev.pk, level, ev.version if version is None else version, reason)


def snapshot(s):
    return (
        sorted(
            Evaluation.objects.filter(cycle=s.cycle).values_list(
                "id", "status", "decided_level", "version"
            )
        ),
        AuditEvent.objects.count(),
    )


def refused(s, code, actor=None, items=()):
    before = snapshot(s)
    with pytest.raises(DecisionRefused) as info:
        decide(actor=actor or s.competent, cycle=s.cycle, items=list(items))
    assert info.value.code == code, info.value.message
    assert snapshot(s) == before  # nothing written
    return info.value


def test_a_unit_and_its_head_decided_together_pass_and_are_audited(s):
    events = AuditEvent.objects.count()
    outcome = decide(
        actor=s.competent,
        cycle=s.cycle,
        items=[item(s, "H", s.suggested["H"]), item(s, "U", s.suggested["U"])],
    )
    assert sorted(level for _pk, level, _v in outcome.decided) == ["HTXSNV", "HTXSNV"]
    u = Evaluation.objects.get(pk=s.ev["U"].pk)
    assert (u.status, u.decided_level, u.version, u.decided_by) == (
        "decided",
        "HTXSNV",
        2,
        s.competent,
    )
    assert AuditEvent.objects.count() == events + 2
    assert AuditEvent.objects.filter(action="evaluation.decide", actor=s.competent).count() == 2


def test_order_refuses_the_head_before_the_unit(s):
    err = refused(s, "order", items=[item(s, "H", "HTXSNV")])
    assert "U" in err.message and err.details["depends_on"] == s.ev["U"].pk


def test_forbidden_for_a_competent_level_elsewhere(s):
    assert not can_decide(s.other_competent, s.ev["U"])
    assert can_decide(s.competent, s.ev["U"])
    refused(s, "forbidden", actor=s.other_competent, items=[item(s, "U", "HTXSNV")])


def test_state_refuses_an_evaluation_not_verified(s):
    Evaluation.objects.filter(pk=s.ev["U"].pk).update(status="reviewed")
    refused(s, "state", items=[item(s, "U", "HTXSNV")])


def test_conflict_names_who_changed_it(s):
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "U", "HTXSNV")])
    err = refused(s, "conflict", items=[item(s, "U", "HTTNV", "lý do", version=1)])
    assert "thamquyen" in err.message and err.details["version"] == 2


def test_above_rules_refuses_a_level_above_the_facts(s):
    Evaluation.objects.filter(pk=s.ev["S7"].pk).update(general="average", tasks_exceeded=0)
    err = refused(s, "above_rules", items=[item(s, "S7", "HTXSNV", "đề nghị")])
    assert err.details["base_level"] != "HTXSNV"


def test_cap_refuses_a_head_above_the_decided_unit(s):
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "U", "HTTNV", "chưa đạt chỉ tiêu")])
    refused(s, "cap", items=[item(s, "H", "HTXSNV", "đề nghị")])
    # In one request too.
    Evaluation.objects.filter(pk=s.ev["U"].pk).update(decided_level="")
    refused(s, "cap", items=[item(s, "U", "HTTNV", "x"), item(s, "H", "HTXSNV", "y")])


def test_suggestion_is_recomputed_from_decided_levels(s):
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "U", "HTTNV", "chưa đạt chỉ tiêu")])
    # The rules now suggest HTTNV for the head (capped by the unit): no reason needed.
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "H", "HTTNV")])
    assert Evaluation.objects.get(pk=s.ev["H"].pk).decided_level == "HTTNV"


def test_lowering_the_unit_below_its_decided_head_is_refused_naming_the_head(s):
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "U", "HTXSNV"), item(s, "H", "HTXSNV")])
    err = refused(s, "cap", items=[item(s, "U", "HTTNV", "hạ mức")])
    assert err.details["evaluation"] == s.ev["H"].pk
    assert "H)" in err.message


def test_quota_refuses_a_second_excellent_in_a_group_of_seven(s):
    items = [item(s, f"S{n}", "HTTNV") for n in range(3, 8)]
    items += [item(s, "S1", "HTXSNV"), item(s, "S2", "HTXSNV", "xuất sắc")]
    err = refused(s, "quota", items=items)
    assert err.details["max_excellent"] == 1


def test_a_whole_peer_group_at_the_suggestions_passes(s):
    items = [item(s, f"S{n}", s.suggested[f"S{n}"]) for n in range(1, 8)]
    decide(actor=s.competent, cycle=s.cycle, items=items)
    assert Evaluation.objects.filter(cycle=s.cycle, decided_level="HTXSNV").count() == 1


def test_reason_required_when_differing_from_the_suggestion(s):
    refused(s, "reason_required", items=[item(s, "S1", "HTTNV")])
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "S1", "HTTNV", "thiếu hồ sơ")])
    ev = Evaluation.objects.get(pk=s.ev["S1"].pk)
    assert (ev.decided_level, ev.decision_reason) == ("HTTNV", "thiếu hồ sơ")


def test_invalid_level_and_duplicates(s):
    refused(s, "invalid", items=[item(s, "U", "GOOD")])
    refused(s, "invalid", items=[item(s, "U", "HTXSNV"), item(s, "U", "HTXSNV")])
    refused(s, "invalid", items=[])


def test_published_cannot_be_decided_again(s):
    decide(actor=s.competent, cycle=s.cycle, items=[item(s, "U", "HTXSNV")])
    Evaluation.objects.filter(pk=s.ev["U"].pk).update(status="published")
    refused(s, "state", items=[item(s, "U", "HTTNV", "x")])


def test_decidable_ids(s):
    ids = decidable_ids(s.competent, s.cycle)
    assert ids == {e.pk for e in s.ev.values()}
    assert decidable_ids(s.other_competent, s.cycle) == set()
