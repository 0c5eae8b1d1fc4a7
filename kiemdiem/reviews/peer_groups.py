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

from kiemdiem.core.audit import audit_record
from kiemdiem.reviews.derivation import LINK_FIELDS, Row
from kiemdiem.reviews.models import Cycle, Evaluation, PeerGroup

Actor = AbstractBaseUser | AnonymousUser | None

DEFAULT_RATIO = "0.20"
MAX_RATIO = Decimal("0.25")
RATIO_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def ratio_errors(ratio: str) -> str | None:
    if not isinstance(ratio, str) or not RATIO_RE.match(ratio):
        return f"Tỷ lệ “{ratio}” phải là số thập phân, ví dụ 0.20."
    if Decimal(ratio) > MAX_RATIO:
        return (
            f"Tỷ lệ {ratio} vượt mức tối đa 0.25: số HTXSNV không quá 25% số HTTNV "
            "(QĐ 366, Điều 11 khoản 1)."
        )
    return None


@transaction.atomic
def peer_group_set_ratio(
    *, actor: Actor, group: PeerGroup, ratio: str, reason: str = ""
) -> PeerGroup:
    """Set a peer group's HTXSNV/HTTNV ratio (366-19: 0.20 by default, at most 0.25)."""
    message = ratio_errors(ratio)
    if message:
        raise ValidationError({"ratio": message})
    locked = PeerGroup.objects.select_for_update().get(pk=group.pk)
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
    the closed set of groups it depends on (`reach`, an int bitset); a node's `first` set holds the
    groups first met on its dependency paths. Joining group g with dependency closure D is refused
    when g ∈ D. `frozen` evaluations (already submitted) keep their group. With `drop=False`
    nothing is changed and the result lists the conflicts (to validate a manual assignment).
    """
    dependants: dict[str, list[str]] = defaultdict(list)
    indeg: dict[str, int] = {}
    deps_of: dict[str, list[str]] = {}
    for code, row in rows.items():
        deps = [d for d in row.deps() if d in rows]
        deps_of[code] = deps
    for code, row in rows.items():
        if row.parent and row.parent in rows:
            deps_of[row.parent].append(code)
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
        raise ValidationError("Các liên kết giữa phiếu đánh giá tạo thành vòng phụ thuộc.")

    index: dict[str, int] = {}
    names: list[str] = []
    reach: list[int] = []
    first: dict[str, int] = {}
    dropped: dict[str, str] = {}

    def closure(bits: int) -> int:
        out = bits
        b = bits
        while b:
            low = b & -b
            out |= reach[low.bit_length() - 1]
            b ^= low
        return out

    def label(g: str) -> str:
        return labels.get(g, g) if labels else g

    for code in order:
        row = rows[code]
        f = 0
        for d in deps_of[code]:
            g = rows[d].group
            f |= (1 << index[g]) if g is not None else first[d]
        g = row.group
        if g is None:
            first[code] = f
            continue
        if g not in index:
            index[g] = len(names)
            names.append(g)
            reach.append(0)
        gi = index[g]
        closed = closure(f)
        if closed >> gi & 1 and (code not in frozen or not drop):
            via = [names[k] for k in range(len(names)) if closed >> k & 1 and reach[k] >> gi & 1]
            if f >> gi & 1 or not via:
                dropped[code] = (
                    f"Không đưa vào nhóm tương đồng “{label(g)}”: phiếu này phụ thuộc vào một "
                    "thành viên khác của chính nhóm đó (classification.md 9.7)."
                )[:255]
            else:
                dropped[code] = (
                    f"Không đưa vào nhóm tương đồng “{label(g)}”: nhóm “{label(via[0])}” mà phiếu "
                    f"này phụ thuộc đã phụ thuộc vào nhóm “{label(g)}”; hai nhóm sẽ phụ thuộc lẫn "
                    "nhau (classification.md 9.7)."
                )[:255]
            if drop:
                row.group = None
                first[code] = f
                continue
        if closed & ~reach[gi]:
            reach[gi] |= closed
            bit = 1 << gi
            for k in range(len(reach)):
                if k != gi and reach[k] & bit:
                    reach[k] |= closed
    return dropped


def _stored_rows(cycle: Cycle) -> dict[str, Row]:
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
    errors: dict[str, str] = {}
    code, name = code.strip(), name.strip()
    if not code:
        errors["code"] = "Mã nhóm không được để trống."
    elif PeerGroup.objects.filter(cycle=cycle, code=code).exists():
        errors["code"] = f"Mã nhóm “{code}” đã có trong đợt này."
    if not name:
        errors["name"] = "Tên nhóm không được để trống."
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
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if group is not None and group.cycle_id != locked.cycle_id:
        raise ValidationError({"peer_group": "Nhóm tương đồng thuộc một đợt khác."})
    if group is not None:
        rows = _stored_rows(locked.cycle)
        rows[locked.code].group = group.code
        labels = dict(PeerGroup.objects.filter(cycle=locked.cycle).values_list("code", "name"))
        conflicts = enforce_peer_groups(rows, set(), labels, drop=False)
        if conflicts:
            first_code, note = next(iter(conflicts.items()))
            raise ValidationError(
                {
                    "peer_group": (
                        f"Không thể đưa phiếu {locked.code} vào nhóm “{group.name}”: phiếu "
                        f"{first_code} sẽ vi phạm quy tắc nhóm tương đồng. {note}"
                    )
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
