"""Caps and order in the statistics, cross-checked against a count made here in Python."""

from __future__ import annotations

from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import compliance, selectors

RANK = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
DONE = ("decided", "published")


def _expected(evaluations: list[Evaluation], everything: dict[int, Evaluation]) -> dict:
    def decided(e):
        return e is not None and e.status in DONE

    def rated(e):
        return decided(e) and e.decided_level in RANK

    def late(dep, e):
        return not decided(dep) or dep.decided_at > e.decided_at

    out = {}
    for key, fk in compliance.CAPS:
        pairs = [
            (e, everything.get(getattr(e, f"{fk}_id")))
            for e in evaluations
            if rated(e) and rated(everything.get(getattr(e, f"{fk}_id")))
        ]
        out[key] = (
            len(pairs),
            sum(RANK[e.decided_level] > RANK[c.decided_level] for e, c in pairs),
        )
    n = x = 0
    for e in evaluations:
        for fk in compliance.DEPENDS_ON:
            dep = everything.get(getattr(e, f"{fk}_id"))
            if decided(e) and getattr(e, f"{fk}_id") is not None:
                n += 1
                x += late(dep, e)
        parent = everything.get(e.parent_id)
        if decided(parent):
            n += 1
            x += not decided(e) or e.decided_at > parent.decided_at
        if decided(e):
            for m in e.manages.all():
                n += 1
                x += late(m, e)
    out["order"] = (n, x)
    return out


def _by_key(checks):
    return {c.key: (c.checked, c.breaches) for c in checks}


def test_caps_and_order_match_a_direct_count(generated, django_assert_max_num_queries):
    cast = generated.cast
    everything = {e.pk: e for e in Evaluation.objects.filter(cycle=generated.cycle)}
    for org in (cast.department, cast.division, cast.cell):
        qs = selectors.subtree(generated.cycle, org)
        expected = _expected(list(qs.prefetch_related("manages")), everything)
        with django_assert_max_num_queries(3):
            found = _by_key(compliance.checks(qs))
        assert found == expected, org
    every = Evaluation.objects.filter(cycle=generated.cycle)
    whole = _expected(list(every.prefetch_related("manages")), everything)
    assert _by_key(compliance.checks(every)) == whole
    assert all(checked for checked, _ in whole.values()), whole  # every check exercised
    assert any(breaches for _, breaches in whole.values())


def test_a_cap_kept_is_not_a_breach_and_one_broken_is(generated):
    cycle = generated.cycle
    unit = Evaluation.objects.filter(cycle=cycle, subject="collective").first()
    head = Evaluation.objects.filter(cycle=cycle, subject="individual").first()
    Evaluation.objects.filter(cycle=cycle).update(head_of=None, state_evaluation=None)
    Evaluation.objects.filter(pk=unit.pk).update(status="decided", decided_level="HTTNV")
    Evaluation.objects.filter(pk=head.pk).update(
        status="decided", decided_level="HTTNV", head_of=unit
    )
    qs = Evaluation.objects.filter(cycle=cycle)
    assert _by_key(compliance.checks(qs))["head_le_unit"] == (1, 0)
    Evaluation.objects.filter(pk=head.pk).update(decided_level="HTXSNV")
    assert _by_key(compliance.checks(qs))["head_le_unit"] == (1, 1)
