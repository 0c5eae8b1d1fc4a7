"""The admin in Vietnamese (issue 13): its header and the third-party apps it lists."""

from __future__ import annotations

import re


def test_the_admin_index_is_branded_and_has_no_english_app_or_model_names(admin_client):
    html = admin_client.get("/quan-tri/").content.decode()
    assert "Quản trị hệ thống KiemDiem" in html
    assert "Django administration" not in html
    for english in [
        "Axes",
        "Access attempts",
        "Access logs",
        "TOTP devices",
        "Static devices",
        "Tasks Database Backend",
        "Task Results",
        "OTP_TOTP",
    ]:
        assert not re.search(rf">\s*{re.escape(english)}\s*<", html, re.I), english
    assert "Lượt đăng nhập sai" in html or "lượt đăng nhập sai" in html.lower()


def test_the_lockouts_list_is_in_vietnamese(admin_client):
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.create(
        username="nhanvien",
        ip_address="10.0.0.7",
        user_agent="x",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/dang-nhap/",
    )
    html = admin_client.get("/quan-tri/axes/accessattempt/").content.decode()
    assert "Địa chỉ IP" in html
    assert "IP Address" not in html
