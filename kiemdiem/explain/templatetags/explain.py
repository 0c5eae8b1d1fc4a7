"""Template filters over the renderer: `{{ reasons|explained:result }}`, `{{ "HTTNV"|level_name }}`,
`{{ value|vn_number }}`."""

from __future__ import annotations

from typing import Any

from django import template

from kiemdiem.explain import render

register = template.Library()


@register.filter
def explained(reasons: Any, result: Any = None) -> list[render.Explained]:
    base = getattr(result, "base_level", "") if result is not None else ""
    level = getattr(result, "level", "") if result is not None else ""
    return render.explain_reasons(reasons or [], base_level=base or "", level=level or "")


@register.filter
def level_name(code: str) -> str:
    return render.level_name(code or "")


@register.filter
def vn_number(value: Any) -> str:
    return render.vn_number(str(value)) if value not in (None, "") else ""


@register.filter
def ruleset_title(name: str) -> str:
    """'qd366' → 'Quy định 366-QĐ/TW (2025)'."""
    from kiemdiem.explain.reference import ruleset_title as title

    return title(name or "")
