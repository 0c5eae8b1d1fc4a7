"""The second-factor pages: set up an authenticator app (text secret), verify a code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.accounts import twofactor


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    device = twofactor.totp_device_pending(user=request.user)
    error = ""
    if request.method == "POST":
        codes = twofactor.second_factor_enroll(
            request=request, device=device, token=request.POST.get("token", "")
        )
        if codes is not None:
            context = {"codes": codes, "next": twofactor.safe_next(request)}
            return render(request, "accounts/twofactor_codes.html", context)
        error = _("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới trên ứng dụng.")
    context = {
        "secret": _base32(device),
        "uri": device.config_url,
        "error": error,
        "next": twofactor.safe_next(request),
    }
    return render(request, "accounts/twofactor_setup.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_confirmed_device(request.user):
        return HttpResponseRedirect(reverse("twofactor_setup"))
    error = ""
    if request.method == "POST":
        if twofactor.second_factor_verify(request=request, token=request.POST.get("token", "")):
            return HttpResponseRedirect(twofactor.safe_next(request))
        error = _("Mã xác thực hoặc mã khôi phục không đúng.")
    context = {"error": error, "next": twofactor.safe_next(request)}
    return render(request, "accounts/twofactor_verify.html", context)
