"""Sign-in throttling policy on top of django-axes.

Failures are counted per (username, client address) pair, so one clerk's typos or an office
behind one NAT address cannot lock the whole office out, and a stranger guessing at a named
account only locks their own pair. The lock grows with the failures (backoff) and a much
higher ceiling per address stops one address from walking through many usernames. Axes' own
admin page ("Lượt đăng nhập sai") shows the locks; deleting a row lifts it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    X-Forwarded-For is only read when TRUSTED_PROXY_COUNT says how many proxies sit in front
    of the app (each appends one address), so a client cannot forge its own address.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        return remote
    return chain[-proxies]


def _pair_failures(request: HttpRequest | None) -> int:
    from axes.models import AccessAttempt

    if request is None:
        return 0
    username = (request.POST.get("username") or "").strip()
    # Summed over the user agents, as axes counts them (one row per pair and user agent).
    total = AccessAttempt.objects.filter(
        username=username, ip_address=client_address(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long the failures of this pair are remembered, hence how long a lock lasts:
    LOGIN_LOCKOUT_SECONDS at the limit, doubled for each further failure, at most
    LOGIN_LOCKOUT_MAX_SECONDS."""
    extra = max(0, _pair_failures(request) - settings.LOGIN_MAX_FAILURES)
    seconds = settings.LOGIN_LOCKOUT_SECONDS * (2 ** min(extra, 16))
    return timedelta(seconds=min(seconds, settings.LOGIN_LOCKOUT_MAX_SECONDS))


def _address_key(address: str) -> str:
    return f"login-failures-address:{address}"


def address_failure_recorded(request: HttpRequest) -> None:
    key = _address_key(client_address(request))
    cache.add(key, 0, timeout=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_ADDRESS_WINDOW_SECONDS)


def address_over_ceiling(request: HttpRequest) -> bool:
    failures = cache.get(_address_key(client_address(request)), 0)
    return int(failures) >= settings.LOGIN_ADDRESS_MAX_FAILURES


def lockout_message() -> str:
    return _("Đăng nhập sai quá nhiều lần. Vui lòng chờ ít phút rồi thử lại.")


def lockout_response(
    request: HttpRequest, credentials: dict | None = None, **kwargs
) -> HttpResponse:
    """The login page again, with the lock explained (axes' AXES_LOCKOUT_CALLABLE)."""
    from kiemdiem.accounts.views import ThrottledAuthenticationForm

    # Unbound: validating the posted data again would call authenticate() and count a failure.
    form = ThrottledAuthenticationForm(request, initial={"username": request.POST.get("username")})
    context = {
        "form": form,
        "lockout": lockout_message(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "accounts/login.html", context, status=429)
