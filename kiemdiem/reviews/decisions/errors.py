"""The refusal of a decision request (decisions.md §3): one code per hard limit.

The API maps it to `{"error": {"code", "message", "details"}}` with status 422 (409 for
`conflict`, 403 for `forbidden`); the page shows `message` next to the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: decisions.md §3, in the order the checks run; `invalid` (a malformed request: unknown level,
#: an evaluation named twice, none at all) comes first, as in the API's error codes (§4).
CODES = (
    "invalid",
    "forbidden",
    "state",
    "conflict",
    "order",
    "above_rules",
    "cap",
    "quota",
    "reason_required",
)


@dataclass(frozen=True)
class DecisionItem:
    """One line of a decision request: set `level` on `evaluation` read at `version`."""

    evaluation: int
    level: str
    version: int
    reason: str = ""


class DecisionRefused(Exception):
    """Nothing was written; `message` is Vietnamese and names the evaluation and the rule."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        assert code in CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}


@dataclass
class DecisionOutcome:
    """What a successful request changed: `(id, level, version)` per evaluation."""

    decided: list[tuple[int, str, int]] = field(default_factory=list)
