"""Frozen input and output types of the rules engine (contract sections 2 and 3).

Levels are carried as small integers inside the engine (``HTXSNV`` = 4 … ``KHTNV`` = 1,
``NOT_RATED`` = 0) so that caps and the quota compare them cheaply; ``LEVEL_NAMES`` maps them
back to the contract's strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: A JSON number read exactly: ``int`` for integers, ``Decimal`` for anything with a fraction
#: or exponent (contract 9.18: no rounding anywhere, 89.999 < 90).
Number = int | Decimal

NOT_RATED = 0
KHTNV = 1
HTNV = 2
HTTNV = 3
HTXSNV = 4
LEVEL_NAMES: tuple[str, ...] = ("NOT_RATED", "KHTNV", "HTNV", "HTTNV", "HTXSNV")
LEVEL_BY_NAME: dict[str, int] = {name: i for i, name in enumerate(LEVEL_NAMES)}

REVIEW_REQUIRED = "REVIEW_REQUIRED"
QUOTA_TIE = "QUOTA_TIE"

#: Grade scale of the grade rule sets (``qd124``, ``nd90``): higher is better.
GRADES: dict[str, int] = {"poor": 0, "average": 1, "good": 2, "excellent": 3}

INDIVIDUAL_ROLES = frozenset({"leader", "staff", "party_outside"})
COLLECTIVE_ROLES = frozenset({"organization", "party_organization", "leadership"})
CAP_NAMES: tuple[str, ...] = ("party_le_state", "head_le_unit", "leadership_le_unit")


@dataclass(frozen=True)
class Tasks:
    """``tasks`` (2.1): a = assigned, c = completed, t = on_time, e = exceeded."""

    assigned: int
    completed: int
    on_time: int
    exceeded: int


@dataclass(frozen=True)
class Discipline:
    """One ``discipline`` entry (2.1, 9.3); booleans default to false."""

    year: int
    duty_related: bool = False
    self_remedied: bool = False
    already_counted: bool = False


@dataclass(frozen=True)
class Shortcomings:
    """``shortcomings`` (2.1): found at the last review / remedied since."""

    previous: int
    remedied: int


@dataclass(frozen=True)
class Evaluation:
    """One subject rated on one track in the year (contract 2.1).

    Defaults are those of the contract: booleans false, lists empty, ``months_worked`` 12,
    ``absent_months`` 0, ``party_status`` ``active``.
    """

    id: str
    subject: str
    role: str
    track: str | None = None
    peer_group: str | None = None
    score: Number | None = None
    general: str | None = None
    results_grade: str | None = None
    tasks: Tasks | None = None
    leads: str | None = None
    head_of: str | None = None
    manages: tuple[str, ...] = ()
    leadership_of: str | None = None
    state_evaluation: str | None = None
    parent: str | None = None
    discipline: tuple[Discipline, ...] = ()
    degradation: bool = False
    prohibition_violation: bool = False
    shortcomings: Shortcomings | None = None
    low_confidence_share: Number | None = None
    socioeconomic_targets_failed: bool = False
    corruption_in_managed_unit: bool = False
    cadre_work_wrongdoing: bool = False
    months_worked: Number = 12
    absent_months: Number = 0
    maternity: bool = False
    party_admission: str | None = None
    party_status: str = "active"


@dataclass(frozen=True)
class ClassifyInput:
    """The whole request (contract section 2). ``rules`` holds only the tracks named."""

    year: int
    evaluations: tuple[Evaluation, ...]
    rules: tuple[tuple[str, str], ...] = ()
    caps: tuple[str, ...] = CAP_NAMES
    peer_groups: tuple[tuple[str, str], ...] = ()
    #: Work shared between ``parse_input`` and ``classify`` (the resolved index); not data.
    prepared: object = field(default=None, repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class Reason:
    """A rule that decided or changed the level (contract section 3)."""

    rule: str
    effect: str
    detail: str


@dataclass(frozen=True)
class Result:
    """The outcome for one evaluation (contract section 3)."""

    id: str
    level: str
    base_level: str
    flags: tuple[str, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class QuotaRow:
    """One peer group's quota line (contract sections 3 and 6)."""

    peer_group: str
    ratio: str
    eligible: int
    max_excellent: int
    excellent: int
    demoted: tuple[str, ...]
