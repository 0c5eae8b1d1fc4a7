"""The KiemDiem rules engine: a pure Python package (no Django), contract ``classification.md``.

Python API (what the web application and ``kiemdiem classify`` use)::

    from kiemdiem.engine import parse_input, classify, to_json, InvalidInput

    request = parse_input(document)    # dict as from json.loads → frozen ClassifyInput
    output = classify(request)         # → ClassifyOutput (results, quota, order)
    document = to_json(output)         # → dict in the exact structure of contract section 3

* ``load_json(text)`` parses JSON exactly (non-integers as ``Decimal``; 9.18).
* ``parse_input`` raises ``InvalidInput`` whose ``messages`` name each offending place
  (``evaluations[3] (id "P17"): tasks.completed (12) exceeds tasks.assigned (10)``); it reports
  field errors, reference errors, mixed peer groups and dependency cycles.
* ``classify`` also accepts a ``ClassifyInput`` built directly from ``Evaluation``/``Tasks``
  dataclasses (the web adapter); it then checks references and cycles itself and may raise
  ``InvalidInput``. ``output.results`` gives ``Result``/``Reason`` dataclasses.
* ``dumps(output)`` / ``write_json(output, fp)`` give the CLI's deterministic text.
* Rule sets are files in ``kiemdiem.engine.rulesets`` (``available_rulesets()``), data over the
  predicate library ``kiemdiem.engine.predicates``; see ``kiemdiem.engine.ruleset``.
"""

from kiemdiem.engine.core import ClassifyOutput, InvalidInput, classify
from kiemdiem.engine.model import (
    ClassifyInput,
    Discipline,
    Evaluation,
    QuotaRow,
    Reason,
    Result,
    Shortcomings,
    Tasks,
)
from kiemdiem.engine.output import dumps, to_json, write_json
from kiemdiem.engine.parse import load_json, parse_input
from kiemdiem.engine.ruleset import available as available_rulesets

__all__ = [
    "ClassifyInput",
    "ClassifyOutput",
    "Discipline",
    "Evaluation",
    "InvalidInput",
    "QuotaRow",
    "Reason",
    "Result",
    "Shortcomings",
    "Tasks",
    "available_rulesets",
    "classify",
    "dumps",
    "load_json",
    "parse_input",
    "to_json",
    "write_json",
]
