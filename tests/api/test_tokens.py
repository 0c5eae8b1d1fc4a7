from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kiemdiem.api.models import ApiToken
from kiemdiem.api.tokens import hash_token, token_create, token_revoke
from kiemdiem.core.models import AuditEvent


def _me(client, token):
    return client.get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"})


def test_the_command_prints_only_a_working_token(client, world):
    out = StringIO()
    call_command("api_token", "thamquyen", "--days", "30", stdout=out)
    raw = out.getvalue().strip()
    assert "\n" not in raw and raw.startswith("kd_")
    response = _me(client, raw)
    assert response.status_code == 200 and response.json()["username"] == "thamquyen"
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor is None and event.after["user"] == "thamquyen"


def test_the_command_refuses_an_unknown_user_with_exit_2(db):
    with pytest.raises(CommandError) as exc:
        call_command("api_token", "khongco")
    assert exc.value.returncode == 2
    assert str(exc.value) == "Không có tài khoản “khongco”."
    assert not ApiToken.objects.exists()


def test_the_console_script_exits_2_for_an_unknown_user(db, tmp_path):
    # The real entry point: the message on stderr, no traceback, nothing on stdout.
    import os

    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", "migrate", "-v", "0"], env=env, check=True
    )
    done = subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", "api-token", "khongco"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Không có tài khoản" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer kd_nope", "Token abc", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_a_missing_or_wrong_token_is_401_in_the_error_shape(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me/", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_works_and_revoking_is_audited(client, world):
    user = world.users["nhanvien"]
    raw = token_create(actor=user, user=user)
    assert _me(client, raw).status_code == 200
    token_revoke(actor=user, token=ApiToken.objects.get())
    assert _me(client, raw).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=user).count() == 1


def test_an_expired_token_is_refused(client, world):
    user = world.users["nhanvien"]
    raw = token_create(actor=None, user=user, days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(client, raw).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(client, world):
    user = world.users["nhanvien"]
    raw = token_create(actor=None, user=user)
    user.is_active = False
    user.save()
    assert _me(client, raw).status_code == 401


def test_each_use_records_the_last_used_time(client, world):
    user = world.users["nhanvien"]
    raw = token_create(actor=None, user=user)
    assert ApiToken.objects.get().last_used_at is None
    _me(client, raw)
    assert ApiToken.objects.get().last_used_at is not None


def test_nobody_creates_or_revokes_a_token_for_someone_else(world):
    from django.core.exceptions import PermissionDenied

    staff, head = world.users["nhanvien"], world.users["truongphong"]
    with pytest.raises(PermissionDenied):
        token_create(actor=head, user=staff)
    token_create(actor=staff, user=staff)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=head, token=ApiToken.objects.get())
    assert ApiToken.objects.get().revoked_at is None


def test_the_profile_page_creates_shows_once_and_revokes(client, world):
    user = world.users["nhanvien"]
    client.force_login(user)
    page = client.get("/tai-khoan/ma-api/")
    assert page.status_code == 200 and "Bạn chưa có mã nào." in page.content.decode()
    created = client.post("/tai-khoan/ma-api/tao/", {"name": "Hệ thống văn phòng", "days": "90"})
    html = created.content.decode()
    token = ApiToken.objects.get(user=user)
    raw = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert token.key_hash == hash_token(raw) and token.name == "Hệ thống văn phòng"
    assert raw not in client.get("/tai-khoan/ma-api/").content.decode()
    revoked = client.post(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/", follow=True)
    assert "Đã thu hồi" in revoked.content.decode()
    assert _me(client, raw).status_code == 401


def test_the_profile_page_refuses_bad_days_and_other_users_tokens(client, world):
    staff, head = world.users["nhanvien"], world.users["truongphong"]
    client.force_login(staff)
    bad = client.post("/tai-khoan/ma-api/tao/", {"days": "0"})
    assert bad.status_code == 400 and "Số ngày hiệu lực phải từ 1 đến 3650." in bad.content.decode()
    bad = client.post("/tai-khoan/ma-api/tao/", {"days": "abc"})
    assert bad.status_code == 400
    assert not ApiToken.objects.exists()
    token_create(actor=None, user=head)
    other = ApiToken.objects.get()
    assert client.post(f"/tai-khoan/ma-api/{other.pk}/thu-hoi/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_profile_page_needs_a_signed_in_user(client, db):
    response = client.get("/tai-khoan/ma-api/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_reference_page_lists_every_operation_of_the_document(client, world):
    from kiemdiem.api.schema import document

    client.force_login(world.users["nhanvien"])
    html = client.get("/tai-khoan/tai-lieu-api/").content.decode()
    for path, methods in document()["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html
    assert "<td><code>page_size</code></td><td>chuỗi truy vấn</td><td>integer</td>" in html
    assert "<td>state | party</td>" in html  # an enum's values, readable


def test_the_reference_page_shows_request_bodies_and_answers(client, world):
    client.force_login(world.users["nhanvien"])
    html = client.get("/tai-khoan/tai-lieu-api/").content.decode()
    # POST /api/v1/tasks/: its JSON fields, the required ones marked; its answer's schema.
    task = html[html.index('id="post--api-v1-tasks"') :]
    task = task[: task.index("</article>")]
    assert "<code>application/json</code>" in task
    assert "<td><code>title</code></td><td>string</td><td>có</td>" in task
    assert "<td><code>assigned_on</code></td><td>date</td><td></td>" in task
    assert "<code>201: Task</code>" in task
    upload = html[html.index('id="post--api-v1-results-{id}-files"') :]
    assert "<code>multipart/form-data</code>" in upload[: upload.index("</article>")]
    assert "{count, next, previous, results: [Meeting]}" in html


def test_the_token_and_reference_pages_follow_the_interface_language(client, world):
    client.force_login(world.users["nhanvien"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/ma-api/"})
    tokens = client.get("/tai-khoan/ma-api/").content.decode()
    assert "API tokens" in tokens and "You have no tokens yet." in tokens
    assert "Other programs use this token" in tokens
    reference = client.get("/tai-khoan/tai-lieu-api/").content.decode()
    assert "API reference" in reference and "Read from the system's OpenAPI 3 document" in reference


def test_an_administrator_revokes_tokens_in_the_admin_through_the_service(admin_client, world):
    token_create(actor=None, user=world.users["nhanvien"])
    token = ApiToken.objects.get()
    response = admin_client.post(
        "/quan-tri/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    assert admin_client.get("/quan-tri/api/apitoken/add/").status_code == 403


def test_a_decider_without_the_second_factor_may_not_create_a_token(world):
    """decisions.md §4: tokens after two-factor sign-in where the role requires it."""
    from types import SimpleNamespace

    from kiemdiem.accounts.models import Role
    from kiemdiem.api.tokens import may_create_token
    from tests.conftest import make_user

    decider = make_user("quyetdinh2fa", role=Role.COMPETENT, org=world.cast.province)
    decider.is_verified = lambda: False
    assert not may_create_token(SimpleNamespace(user=decider))
    decider.is_verified = lambda: True
    assert may_create_token(SimpleNamespace(user=decider))
    staff = make_user("nhanvien2fa", role=Role.STAFF, org=world.cast.division)
    staff.is_verified = lambda: False
    assert may_create_token(SimpleNamespace(user=staff))
