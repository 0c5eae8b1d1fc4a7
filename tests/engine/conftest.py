"""Builders for engine tests: plain dicts in the contract's input format, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiemdiem.engine import InvalidInput, classify, parse_input, to_json

REPO = Path(__file__).resolve().parents[2]
KIEMDIEM = str(Path(sys.executable).with_name("kiemdiem"))


def examples_dir() -> Path:
    """``<repo>/../shared/domain/examples`` when present, else the copy in the repository."""
    shared = REPO.parent / "shared" / "domain" / "examples"
    return shared if shared.is_dir() else Path(__file__).resolve().parent / "examples"


def tasks(a: int = 10, c: int | None = None, t: int | None = None, e: int = 0) -> dict[str, int]:
    c = a if c is None else c
    t = c if t is None else t
    return {"assigned": a, "completed": c, "on_time": t, "exceeded": e}


def staff(id: str, track: str = "state", **kw: Any) -> dict[str, Any]:
    """An individual without a post; grade or score fields must be given by the caller."""
    d: dict[str, Any] = {"id": id, "subject": "individual", "role": "staff", "track": track}
    d.update(kw)
    d.setdefault("tasks", tasks())
    return d


def leader(id: str, track: str = "state", **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"id": id, "subject": "individual", "role": "leader", "track": track}
    d.update(kw)
    d.setdefault("tasks", tasks())
    return d


def collective(id: str, role: str = "organization", **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"id": id, "subject": "collective", "role": role}
    d.update(kw)
    d.setdefault("tasks", tasks())
    return d


def doc(year: int, *evaluations: dict[str, Any], **top: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"year": year}
    d.update(top)
    d["evaluations"] = list(evaluations)
    return d


def run(document: dict[str, Any]) -> dict[str, Any]:
    """Classify through the Python API and return the output document."""
    return to_json(classify(parse_input(document)))


def by_id(output: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in output["results"]}


def one(document: dict[str, Any], ev_id: str | None = None) -> dict[str, Any]:
    """The result of one evaluation (the first, unless named)."""
    out = run(document)
    if ev_id is None:
        return dict(out["results"][0])
    return by_id(out)[ev_id]


def rules_of(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["rule"], r["effect"]) for r in result["reasons"]]


def errors(document: Any) -> list[str]:
    """The messages of the InvalidInput that the document raises."""
    with pytest.raises(InvalidInput) as info:
        classify(parse_input(document))
    return info.value.messages


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [KIEMDIEM, "classify", *args], input=stdin, capture_output=True, env=env, check=False
    )


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()
