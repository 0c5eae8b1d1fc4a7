"""Login with throttling: too many failures for a username or an address lock it out a while."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.models import LoginFailure


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = (self.data.get("username") or "").strip().lower()
        ip = client_ip(self.request) if self.request else ""
        window_start = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        failures = LoginFailure.objects.filter(at__gte=window_start).filter(
            Q(username=username) | Q(ip_address=ip)
        )
        if failures.count() >= settings.LOGIN_MAX_FAILURES:
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            raise forms.ValidationError(
                _(
                    "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, vui lòng thử lại sau "
                    "%(minutes)s phút."
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username, ip_address=ip)
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
