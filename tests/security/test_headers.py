"""Headers (issue 13): a strict CSP with no inline script or style on the pages, no caching
of signed-in pages and files, forwarded headers trusted only as configured."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kiemdiem.ledger import results
from tests.ledger.test_services import PDF, assign, record

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def pages(cast) -> list[str]:
    return [
        "/",
        "/to-chuc/",
        f"/to-chuc/{cast.division.pk}/",
        f"/to-chuc/{cast.department.pk}/sua/",
        f"/ca-nhan/{cast.staff_person.pk}/",
        f"/ca-nhan/{cast.staff_person.pk}/dang-tich/",
        "/tim-kiem/",
        "/kiem-diem/dot/",
        "/kiem-diem/dot/tao/",
        "/to-chuc/them/",
    ]


def test_the_policy_allows_only_our_own_files(client, cast):
    policy = client.get("/dang-nhap/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_page_carries_inline_script_handlers_or_style(client, cast):
    for url in ["/dang-nhap/", "/quen-mat-khau/"]:
        html = client.get(url).content.decode()
        assert not (INLINE_SCRIPT.search(html) or STYLE_ATTRIBUTE.search(html)), url
    client.force_login(cast.approver)
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers, url
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url
    client.force_login(cast.staff)
    for url in ["/so-nhiem-vu/", "/kiem-diem/"]:
        html = client.get(url).content.decode()
        assert not (INLINE_SCRIPT.search(html) or STYLE_ATTRIBUTE.search(html)), url


def test_signed_in_pages_and_files_are_not_stored_by_caches(client, cast):
    result = record(cast, assign(cast))
    product = results.product_add_file(
        actor=cast.staff, result=result, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(cast.staff)
    for url in ["/", "/so-nhiem-vu/", reverse("ledger_product_download", args=[product.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize(("trusted", "allowed"), [(False, ""), (True, "10.0.0.1")])
def test_serve_trusts_forwarded_headers_only_when_configured(
    settings, monkeypatch, trusted, allowed
):
    from kiemdiem.core.management.commands.serve import gunicorn_argv

    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1")
    settings.TRUST_X_FORWARDED_PROTO = trusted
    argv = gunicorn_argv(bind="127.0.0.1:8000", workers=1, timeout=30)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == allowed


def test_serve_runs_threaded_workers_only_when_asked():
    from kiemdiem.core.management.commands.serve import gunicorn_argv

    sync = gunicorn_argv(bind="127.0.0.1:8000", workers=3, timeout=30)
    assert "--worker-class" not in sync
    threaded = gunicorn_argv(bind="127.0.0.1:8000", workers=3, timeout=30, threads=2)
    assert threaded[threaded.index("--worker-class") + 1] == "gthread"
    assert threaded[threaded.index("--threads") + 1] == "2"
