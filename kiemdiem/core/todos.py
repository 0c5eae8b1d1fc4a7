""" "Việc cần làm": a small registry of todo providers for the home page.

Each app registers, in its AppConfig.ready, functions `provider(user) -> list[Todo]` that say
what waits for this user now and where it is done (one click). The home page asks them all;
a new workflow (meetings to hold, evaluations to verify or decide, petitions to answer) adds a
provider without touching the home page. A provider keeps to a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    count: int = 1
    #: A short stable name ("selfreview", "review_return", …) for tests and styling.
    kind: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


Provider = Callable[[Any], list[Todo]]
_PROVIDERS: dict[str, Provider] = {}


def register_todo_provider(name: str, provider: Provider) -> None:
    """Register (or replace, under the same name) a provider; called from AppConfig.ready."""
    _PROVIDERS[name] = provider


def todo_providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def todos_for(user: Any) -> list[Todo]:
    """Everything waiting for the user, the nearest deadline first, undated ones last."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = [todo for provider in _PROVIDERS.values() for todo in provider(user)]
    return sorted(found, key=lambda t: (t.due is None, t.due or dt.date.max, t.title))
