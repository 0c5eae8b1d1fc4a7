"""Second factor (TOTP with recovery codes, django-otp) for deciders and administrators.

Who must use it: superusers and holders of a SECOND_FACTOR_ROLES role. Such a user who signed
in with a password only is sent to the verification page (or the set-up page when no device is
confirmed yet) before any other page: `SecondFactorMiddleware` applies the same test as the
`@second_factor_required` decorator to every signed-in request, so a view that forgets the
decorator does not open a gap.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemdiem.accounts.models import SECOND_FACTOR_ROLES
from kiemdiem.core.audit import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"
# Paths a signed-in but unverified user may still reach: the second-factor pages themselves,
# signing out, the language switch, static files and the health check; and the REST API, which
# authenticates by token only (a token is made after the second factor, see api.tokens) and must
# answer JSON, never a redirect to a sign-in page.
EXEMPT_PREFIXES = (
    "/xac-thuc-hai-buoc/",
    "/dang-xuat/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/api/v1/",
)


def user_requires_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.roles.filter(role__in=SECOND_FACTOR_ROLES).exists()  # type: ignore[union-attr]


def second_factor_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where an unverified user who needs a second factor goes, or None if they may pass."""
    # Verified first: the device is loaded from the session anyway, the role query is then saved.
    if second_factor_verified(request) or not user_requires_second_factor(request.user):
        return None
    page = "twofactor_verify" if has_confirmed_device(request.user) else "twofactor_setup"  # type: ignore[arg-type]
    return HttpResponseRedirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


def second_factor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return second_factor_redirect(request) or view(request, *args, **kwargs)

    return wrapped


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: every signed-in page, not only decorated views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(EXEMPT_PREFIXES):
            redirect = second_factor_redirect(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- writes -------------------------------------------------------------------------------


def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed TOTP device (its secret shown on the set-up page), made once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def second_factor_enroll(
    *, request: HttpRequest, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm `device` with a current code; returns the new recovery codes (shown once), or
    None when the code is wrong. Any earlier device and recovery codes are replaced."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)  # type: ignore[arg-type]
    otp_login(request, device)
    audit_record(actor=user, action="second_factor.enroll", obj=device)
    return codes


def recovery_codes_issue(*, user: AbstractBaseUser) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    static.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a TOTP code or a recovery code (used once); django-otp throttles failures."""
    device = match_token(request.user, token.strip().replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    action = (
        "second_factor.recovery" if isinstance(device, StaticDevice) else "second_factor.verify"
    )
    audit_record(actor=request.user, action=action, obj=device)
    return True
