"""Tree helpers over the materialized paths ("0000001.0000042."): pure, no queries of their own.

Rights read subtrees as lists of paths (`kiemdiem.accounts.access.role_paths`); these turn such
a list into a filter or an answer about one organization.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db.models import Q


class HasPath(Protocol):
    path: str


def under_any(paths: Iterable[str], field: str = "path") -> Q:
    """Rows whose `field` (a tree path, e.g. "organization__path") lies in one of the subtrees;
    matches nothing when there are none."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__under": path})
    return q


def covers(paths: Iterable[str], org: HasPath) -> bool:
    """Whether one of the subtrees holds `org`."""
    return any(org.path.startswith(p) for p in paths)


def path_ids(path: str) -> list[int]:
    """The ids along a path, root first (the organization itself last)."""
    return [int(segment) for segment in path.split(".") if segment]
