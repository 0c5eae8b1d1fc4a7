"""State machines: one transition table per stateful model and one guarded transition function.

Every status change of a task, a cycle, a self-review or an evaluation goes through
`transition(...)`: it looks the move up in the model's `StateMachine` table (refusing anything
else with a ValidationError coded "transition"), writes the new status together with the
fields that change with it, and appends the audit event (who, from, to, why) in the same
transaction. Services lock the row first and call it; nothing else writes a status column.

The decision workflow extends the evaluation's table (decisions.md §1) by adding rows; the
mechanism does not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext

from kiemdiem.core.audit import audit_record

Text = str | Promise


@dataclass(frozen=True)
class StateMachine:
    """The allowed moves of one model's `status`: `table[(from, action)] = to`.

    `verbs` name each action in Vietnamese ("nộp", "trả lại") and `subject` the model ("bản tự
    kiểm điểm") for the generic refusal; `refusals` replace it where a page has a clearer
    sentence, keyed by `(from, action)` or by `action`. `audit_action` names the audit event
    (default `<name>.<action>`).
    """

    name: str
    states: type[models.TextChoices]
    table: Mapping[tuple[str, str], str]
    subject: Text
    verbs: Mapping[str, Text]
    refusals: Mapping[str | tuple[str, str], Text] = field(default_factory=dict)
    audit_action: str = ""

    @property
    def actions(self) -> set[str]:
        return {action for _state, action in self.table}

    def can(self, state: str, action: str) -> bool:
        return (state, action) in self.table

    def target(self, state: str, action: str) -> str:
        """The status after `action` from `state`, or the refusal: the one place it is checked."""
        try:
            return self.table[(state, action)]
        except KeyError:
            raise ValidationError(self.refusal(state, action), code="transition") from None

    def refusal(self, state: str, action: str) -> str:
        custom = self.refusals.get((state, action)) or self.refusals.get(action)
        if custom:
            return str(custom)
        return gettext("Không thể %(verb)s %(subject)s đang ở trạng thái “%(state)s”.") % {
            "verb": self.verbs.get(action, action),
            "subject": self.subject,
            "state": self.states(state).label if state in self.states.values else state,
        }


@transaction.atomic
def transition(
    *,
    machine: StateMachine,
    obj: models.Model,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    audit_after: Mapping[str, Any] | None = None,
) -> models.Model:
    """Move `obj` (a row the caller has locked) along `action` and audit it.

    `changes` are the other fields written with the status (a reason, a timestamp …);
    `audit_after` adds facts to the audit event's "after" beside the new status.
    """
    before = obj.status
    target = machine.target(before, action)
    obj.status = target
    fields = ["status"]
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
        fields.append(name)
    if any(getattr(f, "auto_now", False) and f.name == "updated_at" for f in obj._meta.fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=machine.audit_action or f"{machine.name}.{action}",
        obj=obj,
        before={"status": before},
        after={"status": target, **(audit_after or {})},
        reason=reason,
    )
    return obj
