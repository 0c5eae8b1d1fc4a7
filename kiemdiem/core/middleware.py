"""Vietnamese first: the interface is Vietnamese unless the user picks English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a clerk on an English
Windows would get English pages; only the explicit choice (the language cookie) counts here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
