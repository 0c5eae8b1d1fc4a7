"""The rule reference pages (/quy-dinh/): public reading, so no sign-in is required."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kiemdiem.explain.reference import all_rules, rule, ruleset_title


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = sorted(all_rules(), key=lambda r: r.source)
    groups = [
        (ruleset_title(source), list(items)) for source, items in groupby(rules, lambda r: r.source)
    ]
    return render(request, "explain/rule_list.html", {"groups": groups})


@require_GET
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    ref = rule(rule_id)
    if ref is None:
        raise Http404
    return render(request, "explain/rule_detail.html", {"rule": ref})
