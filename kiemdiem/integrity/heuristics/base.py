"""The plain rows every heuristic reads and the flags they return: no Django, so each family is
tested on hand-made rows, and `kiemdiem.integrity.loading` fills them from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Levels by rank: higher is better. NOT_RATED and blank have no rank.
RANK = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
GOOD = frozenset({"HTXSNV", "HTTNV"})


@dataclass(frozen=True)
class Thresholds:
    """Defaults of the province-tunable thresholds (`IntegritySettings.values` overrides them)."""

    fdr: float = 0.05  # Benjamini–Hochberg false discovery rate per family
    min_excess: float = 0.10  # unit share minus province share, below it no leniency flag
    min_unit_size: int = 5  # fewer decided subjects: no test at all
    min_previous_size: int = 5
    min_departures: int = 5  # a decider's departures from the suggestion, all upward
    min_quantification: int = 50  # self-review quantification (%) under it is low evidence
    min_score: float = 70.0  # NĐ 335 results score under it is low evidence
    min_evidence_tasks: int = 3
    min_evidence_share: float = 0.5  # tasks with a product among approved tasks
    min_doc_claimants: int = 4  # distinct people claiming one document
    late_weeks: int = 4
    min_late_tasks: int = 3
    min_exceeded: int = 4
    min_exceeded_share: float = 0.8
    min_tie_groups: int = 3

    @classmethod
    def from_values(cls, values: dict[str, Any] | None) -> Thresholds:
        known = {k: v for k, v in (values or {}).items() if k in cls.__dataclass_fields__}
        return cls(**{k: type(getattr(cls(), k))(v) for k, v in known.items()})


@dataclass
class EvalRow:
    id: int
    org_id: int
    org_path: str
    subject: str  # individual | collective
    role: str
    track: str
    level: str  # decided level ("" undecided)
    person_id: int | None = None
    suggested: str = ""
    meeting: str = ""
    score: float | None = None
    quantification: int | None = None  # the submitted self-review's, None without one
    decider_id: int | None = None
    peer_group_id: int | None = None
    head_of_id: int | None = None

    @property
    def kind(self) -> str:
        """The same kind of subject: track and role for people, the role for collectives."""
        return f"{self.track}/{self.role}" if self.subject == "individual" else self.role


@dataclass
class TaskRow:
    id: int
    person_id: int
    org_id: int
    org_path: str
    self_set: bool
    approved: bool
    assigned_on: Any  # date
    created_on: Any  # date
    target: float
    achieved: float = 0.0
    exceeded: bool = False
    has_result: bool = False
    first_result_at: Any = None  # datetime
    products: int = 0


@dataclass
class ProductRow:
    id: int
    person_id: int
    org_id: int
    org_path: str
    task_id: int
    doc_key: str = ""  # normalized document symbol + date ("" for other kinds)
    sha256: str = ""


@dataclass
class AuditRow:
    object_id: int
    action: str
    at: Any  # datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class GroupRow:
    id: int
    code: str
    ratio: str


@dataclass
class Data:
    """Everything one computation reads: the cycle's rows and last year's."""

    evaluations: list[EvalRow]
    previous: list[EvalRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    products: list[ProductRow] = field(default_factory=list)
    decide_events: list[AuditRow] = field(default_factory=list)
    task_events: list[AuditRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    previous_groups: list[GroupRow] = field(default_factory=list)
    deadline: Any = None  # the state track's deadline (date)


@dataclass
class Found:
    """One flag: its heuristic, its subject (a unit, maybe a person, an evaluation, a decider
    or a peer group), the numbers behind it and the evidence (kind, id) the page links to."""

    code: str
    org_id: int
    key: str  # the subject's identity within the heuristic (fingerprint)
    numbers: dict[str, Any]
    person_id: int | None = None
    evaluation_id: int | None = None
    decider_id: int | None = None
    peer_group_id: int | None = None
    evidence: list[tuple[str, int]] = field(default_factory=list)
