"""Sign-in throttling (issue 13): one throttled path, per (username, address) pair, backoff,
a per-address ceiling, password reset by email, Django's password validators."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.conftest import PASSWORD

OFFICE = "10.0.0.7"
STRANGER = "203.0.113.9"


def post_login(client, username, password, address=OFFICE, **extra):
    return client.post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_MAX_FAILURES = 10


def test_a_pair_is_locked_after_repeated_failures_even_with_the_right_password(client, cast):
    assert post_login(client, "nhanvien", "sai").status_code == 200
    for _ in range(2):
        post_login(client, "nhanvien", "sai")
    response = post_login(client, "nhanvien", PASSWORD)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_persons_typos_do_not_lock_a_colleague_behind_the_same_address(client, cast):
    for _ in range(4):
        post_login(client, "nhanvien", "sai")
    response = post_login(client, "truongphong", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.unit_head.pk)


def test_a_stranger_cannot_lock_a_named_user_out_of_their_own_address(client, cast):
    for _ in range(6):
        post_login(client, "nhanvien", "sai", address=STRANGER)
    response = post_login(client, "nhanvien", PASSWORD, address=OFFICE)
    assert response.status_code == 302


def test_the_lock_grows_with_further_failures(client, cast, settings):
    from django.test import RequestFactory

    from kiemdiem.accounts.throttle import cool_off

    settings.LOGIN_LOCKOUT_SECONDS = 60
    request = RequestFactory().post("/dang-nhap/", {"username": "nhanvien"}, REMOTE_ADDR=OFFICE)
    for _ in range(3):
        post_login(client, "nhanvien", "sai")
    assert cool_off(request).total_seconds() == 60
    for _ in range(3):
        post_login(client, "nhanvien", "sai")
    assert cool_off(request).total_seconds() == 60 * 8
    settings.LOGIN_LOCKOUT_MAX_SECONDS = 300
    assert cool_off(request).total_seconds() == 300


def test_an_address_over_its_ceiling_is_refused_for_every_username(client, cast):
    for index in range(10):
        post_login(client, f"khongco{index}", "sai")
    response = post_login(client, "truongphong", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_the_admin_login_is_the_throttled_site_login(client, cast):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")
    response = client.post(
        "/quan-tri/login/", {"username": "nhanvien", "password": "sai"}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302  # never a form that checks a password


def test_failures_are_listed_for_an_administrator_and_lifted_by_deleting(client, cast):
    for _ in range(3):
        post_login(client, "nhanvien", "sai")
    attempt = AccessAttempt.objects.get(username="nhanvien", ip_address=OFFICE)
    assert attempt.failures_since_start == 3
    attempt.delete()
    assert post_login(client, "nhanvien", PASSWORD).status_code == 302


def test_the_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    from kiemdiem.accounts.throttle import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.9.9.9"


def test_password_reset_mails_a_link_that_sets_a_validated_password(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.staff.email = "anh@example.gov.vn"
    cast.staff.save()
    response = client.post("/quen-mat-khau/", {"email": "anh@example.gov.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "đặt lại mật khẩu" in mail.outbox[0].body
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    confirm_url = form_page.redirect_chain[-1][0]
    weak = client.post(confirm_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"]
    done = client.post(
        confirm_url, {"new_password1": "Tre-xanh-2026!", "new_password2": "Tre-xanh-2026!"}
    )
    assert done.status_code == 302
    cast.staff.refresh_from_db()
    assert cast.staff.check_password("Tre-xanh-2026!")


def test_an_empty_login_form_says_what_is_missing_next_to_each_field(client, cast):
    page = post_login(client, "", "").content.decode()
    assert "Hãy nhập tên đăng nhập." in page and "Hãy nhập mật khẩu." in page
    assert 'aria-describedby="id_username_error"' in page
    only_name = post_login(client, "nhanvien", "").content.decode()
    assert "Hãy nhập mật khẩu." in only_name and "Hãy nhập tên đăng nhập." not in only_name
    assert 'value="nhanvien"' in only_name
    assert "_auth_user_id" not in client.session
