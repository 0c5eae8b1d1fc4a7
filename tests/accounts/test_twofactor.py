"""Second factor for deciders and administrators (issue 9): TOTP with recovery codes."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.accounts.twofactor import user_requires_second_factor
from kiemdiem.core.models import AuditEvent
from tests.conftest import PASSWORD


def password_login(client, username):
    response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_deciders_personnel_and_admins_need_a_second_factor_staff_do_not(cast, superuser):
    assert user_requires_second_factor(cast.approver)  # personnel
    assert user_requires_second_factor(superuser)
    assert not user_requires_second_factor(cast.staff)
    assert not user_requires_second_factor(cast.unit_head)
    RoleAssignment.objects.create(
        user=cast.unit_head, role=Role.COMPETENT, organization=cast.province
    )
    assert user_requires_second_factor(cast.unit_head)


def test_a_password_alone_leads_a_personnel_account_to_set_up_then_in(client, cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's backoff after the wrong code below
    password_login(client, "tochuc")
    response = client.get("/to-chuc/")
    assert response.status_code == 302
    assert response["Location"].startswith("/xac-thuc-hai-buoc/thiet-lap/")
    page = client.get(response["Location"])
    secret = page.context["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    device = TOTPDevice.objects.get(user=cast.approver, confirmed=False)
    wrong = client.post("/xac-thuc-hai-buoc/thiet-lap/", {"token": "000000", "next": "/"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    done = client.post(
        "/xac-thuc-hai-buoc/thiet-lap/", {"token": current_code(device), "next": "/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor.enroll", actor=cast.approver).exists()


def test_a_confirmed_account_is_asked_for_a_code_and_a_recovery_code_works_once(
    client, cast, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    from kiemdiem.accounts.twofactor import recovery_codes_issue

    TOTPDevice.objects.create(user=cast.approver, name="app", confirmed=True)
    codes = recovery_codes_issue(user=cast.approver)
    password_login(client, "tochuc")
    response = client.get("/")
    assert response["Location"].startswith("/xac-thuc-hai-buoc/?next=")
    assert client.post("/xac-thuc-hai-buoc/", {"token": "123456"}).status_code == 200
    assert client.get("/").status_code == 302
    assert client.post("/xac-thuc-hai-buoc/", {"token": codes[0], "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/dang-xuat/")
    password_login(client, "tochuc")
    again = client.post("/xac-thuc-hai-buoc/", {"token": codes[0]})
    assert "không đúng" in again.content.decode()


def test_staff_are_not_asked_for_a_second_factor(client, cast):
    password_login(client, "nhanvien")
    assert client.get("/").status_code == 200


def test_the_admin_needs_the_second_factor_too(client, superuser):
    client.post("/dang-nhap/", {"username": "quantri", "password": "x-Quantri-1!"})
    response = client.get("/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith("/xac-thuc-hai-buoc/")


def test_the_decorator_sends_an_unverified_decider_to_verification(rf, cast):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from kiemdiem.accounts.twofactor import second_factor_required

    view = second_factor_required(lambda request: HttpResponse("ok"))
    request = rf.get("/x/")
    request.user = cast.approver
    cast.approver.is_verified = lambda: False
    assert view(request).status_code == 302
    request.user = cast.staff
    cast.staff.is_verified = lambda: False
    assert view(request).status_code == 200
    request.user = AnonymousUser()
    assert view(request).status_code == 200


def test_demo_totp_prints_a_code_that_signs_in(client, cast, settings, capsys):
    settings.DEBUG = True
    call_command("demo_totp", "tochuc")
    code = re.search(r"code:\s+(\d{6})", capsys.readouterr().out).group(1)
    password_login(client, "tochuc")
    assert client.post("/xac-thuc-hai-buoc/", {"token": code, "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200


def test_demo_totp_refuses_without_debug(cast, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp", "tochuc")
