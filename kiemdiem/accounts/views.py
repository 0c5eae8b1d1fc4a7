"""Sign-in, sign-out and password reset: Django's own views, throttled by django-axes.

Every login goes through this one page: the admin's login URL redirects here (see urls.py), and
the authentication backend is axes' (AUTHENTICATION_BACKENDS), so no path to `authenticate()`
escapes the throttle.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from kiemdiem.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page posts with `novalidate`: an empty field must say so on the page itself.
        self.fields["username"].error_messages["required"] = _("Hãy nhập tên đăng nhập.")
        self.fields["password"].error_messages["required"] = _("Hãy nhập mật khẩu.")

    def clean(self) -> dict[str, Any]:
        if self.request is not None and throttle.address_over_ceiling(self.request):
            raise forms.ValidationError(throttle.lockout_message(), code="throttled")
        return super().clean()


@receiver(user_login_failed)
def _count_address_failure(
    sender: Any, credentials: dict, request: Any = None, **kwargs: Any
) -> None:
    if request is not None:
        throttle.address_failure_recorded(request)


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
