"""Panels later apps add to the statistics page (integrity flag counts) without `stats`
importing them: `register_panel(name, provider)` in their `AppConfig.ready`; a provider
`(user, cycle, org) -> Panel | None` answers in a fixed number of queries, None to stay out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Panel:
    title: str
    rows: list[tuple[str, str]]  # (label, value) already formatted
    url: str = ""
    link_label: str = ""


Provider = Callable[[Any, Any, Any], Panel | None]
_PROVIDERS: dict[str, Provider] = {}


def register_panel(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def panels(user: Any, cycle: Any, org: Any) -> list[Panel]:
    return [p for provider in _PROVIDERS.values() if (p := provider(user, cycle, org)) is not None]
