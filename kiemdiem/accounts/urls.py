"""Account pages besides the login: the admin's login sent to the throttled one, password reset
by email (Django's views, our templates)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode

from kiemdiem.accounts import twofactor_views


def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """The admin has no login of its own: one throttled sign-in page for everything."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")


urlpatterns = [
    # Before admin.site.urls, so it shadows the admin's own (unthrottled by design) login view.
    path("quan-tri/login/", admin_login, name="admin_login"),
    path("xac-thuc-hai-buoc/", twofactor_views.verify, name="twofactor_verify"),
    path("xac-thuc-hai-buoc/thiet-lap/", twofactor_views.setup, name="twofactor_setup"),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
