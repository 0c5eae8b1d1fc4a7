"""Logs an operator can follow: one line per request and per job, a request id that ties a
request to the audit events and background jobs it caused, and no traceback for the refusals
the application means (403, 404).

LOG_FORMAT=json gives one JSON object per line (for a log collector); the default is text.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("kiemdiem_request_id", default="")
# A request id handed in by the reverse proxy is kept only if it looks like one (no log forging).
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_logger = logging.getLogger("kiemdiem.request")
job_logger = logging.getLogger("kiemdiem.job")


def current_request_id() -> str:
    return _request_id.get()


@contextlib.contextmanager
def request_id_scope(value: str) -> Iterator[None]:
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


def log_line(
    logger: logging.Logger, message: str, level: int = logging.INFO, **fields: Any
) -> None:
    logger.log(level, message, extra={"fields": fields})


class RequestLogMiddleware:
    """First in MIDDLEWARE: names the request, then writes its one line when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with request_id_scope(request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        status = response.status_code
        log_line(
            request_logger,
            f"{request.method} {request.path} {status}",
            logging.WARNING if status >= 500 else logging.INFO,
            request_id=request_id,
            method=request.method,
            path=request.path,
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=user.pk if user is not None and user.is_authenticated else None,
            address=request.META.get("REMOTE_ADDR", ""),
        )
        return response


class ExpectedRefusalFilter(logging.Filter):
    """On `django.request`: a 403 or 404 is an answer, not an error; the request line records
    it, so Django's own record (with a traceback for PermissionDenied) is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) not in (403, 404)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if "request_id" not in entry and current_request_id():
            entry["request_id"] = current_request_id()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return line
