"""Peer groups (nhóm tương đồng) of a cycle: the HTXSNV/HTTNV ratio, groups defined by hand,
moving an evaluation between groups, and the classification.md 9.7 check they all rest on.

Apart from the cycle services because both `cycle_open` (derived groups) and the cycle pages
(manual groups, ratios) use them, and the 9.7 check is an algorithm of its own.

* Peer groups are derived by role and tier and then checked against classification.md 9.7 (no
  member depends on another member, directly or through evaluations outside the group; groups do
  not depend on each other). Offending evaluations are left out of their group, with the reason in
  `Evaluation.peer_group_note`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.core.audit import audit_record
from kiemdiem.reviews.cycles import access
from kiemdiem.reviews.cycles.derivation import LINK_FIELDS, Row
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation

Actor = AbstractBaseUser | AnonymousUser | None

DEFAULT_RATIO = "0.20"
MAX_RATIO = Decimal("0.25")
RATIO_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def ratio_errors(ratio: str) -> str | None:
    if not isinstance(ratio, str) or not RATIO_RE.match(ratio):
        return _("Tỷ lệ “%(ratio)s” phải là số thập phân, ví dụ 0.20.") % {"ratio": ratio}
    if Decimal(ratio) > MAX_RATIO:
        return _(
            "Tỷ lệ %(ratio)s vượt mức tối đa 0.25: số HTXSNV không quá 25%% số HTTNV "
            "(QĐ 366, Điều 11 khoản 1)."
        ) % {"ratio": ratio}
    return None


@transaction.atomic
def peer_group_set_ratio(
    *, actor: Actor, group: PeerGroup, ratio: str, reason: str = ""
) -> PeerGroup:
    """Set a peer group's HTXSNV/HTTNV ratio (366-19: 0.20 by default, at most 0.25)."""
    locked = PeerGroup.objects.select_for_update().select_related("cycle__scope").get(pk=group.pk)
    access.require_manager(actor, locked.cycle)
    message = ratio_errors(ratio)
    if message:
        raise ValidationError({"ratio": message})
    before = {"ratio": locked.ratio}
    locked.ratio = ratio
    locked.save(update_fields=["ratio"])
    audit_record(
        actor=actor,
        action="peer_group.set_ratio",
        obj=locked,
        before=before,
        after={"ratio": ratio},
        reason=reason,
    )
    return locked


def _topological(rows: dict[str, Row]) -> tuple[list[str], dict[str, list[str]]]:
    """The codes, dependencies first, and each code's dependencies (its own references, and its
    sub-units through their `parent`)."""
    deps_of = {code: [d for d in row.deps() if d in rows] for code, row in rows.items()}
    for code, row in rows.items():
        if row.parent and row.parent in rows:
            deps_of[row.parent].append(code)
    dependants: dict[str, list[str]] = defaultdict(list)
    indeg: dict[str, int] = {}
    for code, deps in deps_of.items():
        indeg[code] = len(deps)
        for d in deps:
            dependants[d].append(code)
    order = [c for c in rows if indeg[c] == 0]
    i = 0
    while i < len(order):
        for nxt in dependants.get(order[i], ()):
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                order.append(nxt)
        i += 1
    if len(order) != len(rows):  # cannot happen with tree-derived links; never loop forever
        raise ValidationError(_("Các liên kết giữa phiếu đánh giá tạo thành vòng phụ thuộc."))
    return order, deps_of


class _Reach:
    """Per group, the closed set of groups it depends on, as int bitsets."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []
        self.reach: list[int] = []

    def bit(self, group: str) -> int:
        if group not in self.index:
            self.index[group] = len(self.names)
            self.names.append(group)
            self.reach.append(0)
        return self.index[group]

    def closure(self, bits: int) -> int:
        out = bits
        b = bits
        while b:
            low = b & -b
            out |= self.reach[low.bit_length() - 1]
            b ^= low
        return out

    def via(self, closed: int, gi: int) -> list[str]:
        """The groups in `closed` that already depend on group `gi`."""
        n = len(self.names)
        return [self.names[k] for k in range(n) if closed >> k & 1 and self.reach[k] >> gi & 1]

    def join(self, gi: int, closed: int) -> None:
        if closed & ~self.reach[gi]:
            self.reach[gi] |= closed
            bit = 1 << gi
            for k in range(len(self.reach)):
                if k != gi and self.reach[k] & bit:
                    self.reach[k] |= closed


def _conflict_note(group: str, via: list[str], direct: bool) -> str:
    if direct or not via:
        return _(
            "Không đưa vào nhóm tương đồng “%(group)s”: phiếu này phụ thuộc vào một thành viên "
            "khác của chính nhóm đó (classification.md 9.7)."
        ) % {"group": group}
    return _(
        "Không đưa vào nhóm tương đồng “%(group)s”: nhóm “%(via)s” mà phiếu này phụ thuộc đã "
        "phụ thuộc vào nhóm “%(group)s”; hai nhóm sẽ phụ thuộc lẫn nhau (classification.md 9.7)."
    ) % {"group": group, "via": via[0]}


def enforce_peer_groups(
    rows: dict[str, Row],
    frozen: set[str],
    labels: dict[str, str] | None = None,
    *,
    drop: bool = True,
) -> dict[str, str]:
    """Classification.md 9.7, enforced: drop the evaluations whose membership would make a group
    depend on itself (a member depending on a member, directly or through outsiders) or two groups
    depend on each other. Returns {code: note} for every evaluation dropped.

    Walks the dependency graph in a topological order (dependencies first) and keeps, per group,
    the closed set of groups it depends on (`_Reach`); a node's `first` set holds the groups
    first met on its dependency paths. Joining group g with dependency closure D is refused
    when g ∈ D. `frozen` evaluations (already submitted) keep their group. With `drop=False`
    nothing is changed and the result lists the conflicts (to validate a manual assignment).
    """
    order, deps_of = _topological(rows)
    reach = _Reach()
    first: dict[str, int] = {}
    dropped: dict[str, str] = {}
    index = reach.index  # a dependency met earlier in the order has its group indexed already
    for code in order:
        row = rows[code]
        f = 0
        for d in deps_of[code]:
            g = rows[d].group
            f |= (1 << index[g]) if g is not None else first[d]
        if row.group is None:
            first[code] = f
            continue
        gi = reach.bit(row.group)
        closed = reach.closure(f)
        if closed >> gi & 1 and (code not in frozen or not drop):
            via = [labels.get(v, v) if labels else v for v in reach.via(closed, gi)]
            label = labels.get(row.group, row.group) if labels else row.group
            dropped[code] = _conflict_note(label, via, bool(f >> gi & 1))[:255]
            if drop:
                row.group = None
                first[code] = f
                continue
        reach.join(gi, closed)
    return dropped


def stored_rows(cycle: Cycle) -> dict[str, Row]:
    """The cycle's evaluations as stored, as rows for the 9.7 check (three queries)."""
    values = list(
        Evaluation.objects.filter(cycle=cycle)
        .values(
            "id",
            "code",
            "subject",
            "role",
            "track",
            "organization_id",
            "peer_group__code",
            *LINK_FIELDS,
        )
        .order_by("id")
    )
    code_of = {v["id"]: v["code"] for v in values}
    manages: dict[int, list[str]] = defaultdict(list)
    for a, b in (
        Evaluation.manages.through.objects.filter(from_evaluation__cycle=cycle)
        .values_list("from_evaluation_id", "to_evaluation_id")
        .order_by()
    ):
        if b in code_of:
            manages[a].append(code_of[b])
    rows = {}
    for v in values:
        rows[v["code"]] = Row(
            code=v["code"],
            subject=v["subject"],
            role=v["role"],
            track=v["track"],
            organization_id=v["organization_id"],
            group=v["peer_group__code"],
            manages=manages.get(v["id"], []),
            **{f[:-3]: code_of.get(v[f]) for f in LINK_FIELDS},
        )
    return rows


@transaction.atomic
def peer_group_create(
    *, actor: Actor, cycle: Cycle, code: str, name: str, ratio: str = DEFAULT_RATIO
) -> PeerGroup:
    """A peer group defined by the competent level (not derived)."""
    access.require_manager(actor, cycle)
    errors: dict[str, str] = {}
    code, name = code.strip(), name.strip()
    if not code:
        errors["code"] = _("Mã nhóm không được để trống.")
    elif PeerGroup.objects.filter(cycle=cycle, code=code).exists():
        errors["code"] = _("Mã nhóm “%(code)s” đã có trong đợt này.") % {"code": code}
    if not name:
        errors["name"] = _("Tên nhóm không được để trống.")
    message = ratio_errors(ratio)
    if message:
        errors["ratio"] = message
    if errors:
        raise ValidationError(errors)
    group = PeerGroup.objects.create(cycle=cycle, code=code, name=name, ratio=ratio, derived=False)
    audit_record(
        actor=actor,
        action="peer_group.create",
        obj=group,
        after={"code": code, "name": name, "ratio": ratio},
    )
    return group


@transaction.atomic
def peer_group_assign(
    *, actor: Actor, evaluation: Evaluation, group: PeerGroup | None, reason: str = ""
) -> Evaluation:
    """Move one evaluation into `group` (or out of any group), refusing a move that breaks
    classification.md 9.7 for the cycle."""
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__scope")
        .get(pk=evaluation.pk)
    )
    access.require_manager(actor, locked.cycle)
    if group is not None and group.cycle_id != locked.cycle_id:
        raise ValidationError({"peer_group": _("Nhóm tương đồng thuộc một đợt khác.")})
    if group is not None:
        rows = stored_rows(locked.cycle)
        rows[locked.code].group = group.code
        labels = dict(PeerGroup.objects.filter(cycle=locked.cycle).values_list("code", "name"))
        conflicts = enforce_peer_groups(rows, set(), labels, drop=False)
        if conflicts:
            first_code, note = next(iter(conflicts.items()))
            raise ValidationError(
                {
                    "peer_group": _(
                        "Không thể đưa phiếu %(code)s vào nhóm “%(group)s”: phiếu %(other)s sẽ "
                        "vi phạm quy tắc nhóm tương đồng. %(note)s"
                    )
                    % {"code": locked.code, "group": group.name, "other": first_code, "note": note}
                }
            )
    before = {"peer_group_id": locked.peer_group_id, "peer_group_note": locked.peer_group_note}
    locked.peer_group = group
    locked.peer_group_note = ""
    locked.save(update_fields=["peer_group", "peer_group_note"])
    audit_record(
        actor=actor,
        action="evaluation.set_peer_group",
        obj=locked,
        before=before,
        after={"peer_group_id": locked.peer_group_id},
        reason=reason,
    )
    return locked
