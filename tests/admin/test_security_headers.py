"""Security headers on every admin response; HTTPS-only cookies and HSTS in production."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from admin_site.app import create_admin_app
from admin_site.request_context import SESSION_COOKIE
from domain.config import load_config
from domain.db.database import Database
from domain.model import StaffUser
from tests.admin.conftest import PASSWORD, SECRET_KEY, AdminClient, csrf_token_in


def _assert_protective_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/login",
        "/admin/school/list",
        "/admin/staff-user/list",  # a 403
        "/admin/no-such-thing/list",  # a 404
        "/admin/statics/css/main.css",
        "/admin/rollbook-static/rollbook-admin.js",
        "/health",
    ],
)
def test_every_admin_response_carries_the_security_headers(
    staff_client: AdminClient, path: str
) -> None:
    response = staff_client.page(path)

    _assert_protective_headers(response)
    assert "strict-transport-security" not in response.headers  # development, plain http


def test_admin_pages_are_not_cached_but_static_files_may_be(staff_client: AdminClient) -> None:
    assert staff_client.page("/admin/school/list").headers["cache-control"] == "no-store"
    assert "no-store" not in staff_client.page("/admin/statics/css/main.css").headers.get(
        "cache-control", ""
    )


@pytest.mark.parametrize(
    "path", ["/admin/login", "/admin/school/list", "/admin/school/create", "/admin/staff-user/list"]
)
def test_pages_load_only_same_origin_files_and_no_inline_script(
    superuser_client: AdminClient, anonymous_client: AdminClient, path: str
) -> None:
    client = anonymous_client if path == "/admin/login" else superuser_client
    response = client.page(path)
    assert response.status_code == 200
    page = response.text

    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(("http://testserver/", "/", "#", "?")), url
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        assert "src=" in script[0] and not script[1].strip(), script


def test_production_sends_hsts_and_marks_the_session_cookie_secure(
    db: Database, tmp_path: Path, make_staff_user: Callable[..., StaffUser]
) -> None:
    config = load_config(
        {
            "ROLLBOOK_ENV": "production",
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": "https://admin.example.org",
        }
    )
    make_staff_user("alice")
    # Production answers only BASE_URL's host (tests/admin/test_host_header.py).
    app = create_admin_app(config, db)
    with AdminClient(app, base_url="https://admin.example.org") as client:
        page = client.page("/admin/login")
        token = csrf_token_in(page.text)
        response = client.post(
            "/admin/login",
            data={"username": "alice", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )

    _assert_protective_headers(page)
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert response.status_code == 302
    cookie = next(c for c in response.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


def test_health_reports_the_database(staff_client: AdminClient) -> None:
    response = staff_client.page("/health")

    assert response.status_code == 200
