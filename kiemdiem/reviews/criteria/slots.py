"""Which criteria template each kind of subject of a cycle fills in (a cycle's "slots").

A cycle stores one template per slot (`Cycle.templates`), chosen here at creation from the
families its rule sets name (`kiemdiem.reviews.rules.criteria_family`) and editable until it is
opened; `cycle_open` gives every evaluation the template of its slot.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews import rules
from kiemdiem.reviews.criteria.models import CriteriaTemplate

#: One criteria template per kind of subject (and, on the state track, per category: NĐ 90 has
#: separate forms for cán bộ, công chức, viên chức).
SLOTS = {
    "collective": _("Tập thể"),
    "party.leader": _("Đảng viên giữ chức vụ lãnh đạo, quản lý"),
    "party.staff": _("Đảng viên không giữ chức vụ"),
    "party.party_outside": _("Đảng viên ngoài hệ thống chính trị"),
    "state.leader.can_bo": _("Cán bộ giữ chức vụ lãnh đạo, quản lý"),
    "state.leader.cong_chuc": _("Công chức lãnh đạo, quản lý"),
    "state.leader.vien_chuc": _("Viên chức quản lý"),
    "state.staff.can_bo": _("Cán bộ không giữ chức vụ"),
    "state.staff.cong_chuc": _("Công chức không giữ chức vụ"),
    "state.staff.vien_chuc": _("Viên chức không giữ chức vụ"),
}


def slot_track(slot: str) -> str:
    """Collectives are rated on the party side (classification.md 2.1)."""
    return "party" if slot.split(".")[0] in ("collective", "party") else "state"


def _pick(pool: list[CriteriaTemplate], slot: str) -> CriteriaTemplate | None:
    """The most specific subject kind and category; the newest version (pool is ordered)."""
    parts = slot.split(".")
    kind = "collective" if parts[0] == "collective" else parts[1]
    employment = parts[2] if len(parts) > 2 else ""
    kinds = [kind, "staff"] if kind == "party_outside" else [kind]
    for k in kinds:
        for emp in ([employment, ""] if employment else [""]) + [None]:
            for t in pool:
                if t.subject_kind == k and (emp is None or t.employment == emp):
                    return t
    return None


def choose_templates(*, party_rules: str, state_rules: str) -> dict[str, int | None]:
    """The template for each slot, from the families the two rule sets name."""
    families = {
        "party": rules.criteria_family(party_rules),
        "state": rules.criteria_family(state_rules),
    }
    candidates = list(
        CriteriaTemplate.objects.filter(is_active=True, family__in=families.values()).order_by(
            "code", "-version"
        )
    )
    out: dict[str, int | None] = {}
    for slot in SLOTS:
        track = slot_track(slot)
        pool = [t for t in candidates if t.family == families[track] and t.track == track]
        chosen = _pick(pool, slot)
        out[slot] = chosen.pk if chosen else None
    return out
