"""Shared admin fixtures: the real admin app on the ``db`` fixture, and HTTP clients.

- ``admin_app``: ``create_admin_app(config, db)`` on the current backend.
- ``anonymous_client``: not signed in; ``.csrf_token`` is its pre-sign-in token.
- ``staff_client`` / ``superuser_client``: signed in (a real database session,
  made without the slow password check); ``.user`` is the StaffUser and
  ``.csrf_token`` the session's token.
- ``make_staff_user(username, ...)`` and ``client_for(user)`` for anything else.
- ``client.submit(url, data)`` POSTs a form with the CSRF token added;
  ``client.csrf_headers()`` gives the header for fetch-style requests.
- ``csrf_token_in(html)`` reads the token a page carries.
- Clients follow redirects like httpx does; ``client.page(url)`` GETs without
  following, so a bounce to the sign-in page cannot pass for the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from admin_site.app import create_admin_app
from admin_site.request_context import SESSION_COOKIE
from domain.config import Config, load_config
from domain.db.database import Database
from domain.model import StaffUser
from domain.services.staff import hash_password
from domain.services.staff_sessions import start_session

PASSWORD = "correct horse battery staple"
SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_token_in(html: str) -> str:
    """The CSRF token an admin page carries (its meta tag or a form field)."""
    found = _META.search(html) or _FIELD.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


class AdminClient(TestClient):
    """A TestClient that knows its CSRF token and, when signed in, its user."""

    csrf_token: str = ""
    user: StaffUser | None = None

    def __init__(self, app: Starlette, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", "http://testserver")
        super().__init__(app, **kwargs)

    def page(self, url: str) -> httpx.Response:
        """GET without following redirects: a bounce to the sign-in page is not the page."""
        return self.get(url, follow_redirects=False)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form as the browser would, CSRF token included."""
        return self.post(url, data={**(data or {}), "csrf_token": self.csrf_token}, **kwargs)

    def csrf_headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf_token}


@pytest.fixture(scope="session")
def password_hash() -> str:
    # argon2 is slow on purpose: hash the shared test password once per run.
    return hash_password(PASSWORD)


@pytest.fixture
def admin_config(db: Database, tmp_path: Path) -> Config:
    return load_config(
        {
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": "http://testserver",
        }
    )


@pytest.fixture
def admin_app(admin_config: Config, db: Database) -> Starlette:
    return create_admin_app(admin_config, db)


@pytest.fixture
def make_staff_user(db: Database, password_hash: str) -> Callable[..., StaffUser]:
    """Store a staff user whose password is ``PASSWORD``."""

    def make(
        username: str = "staff", *, is_superuser: bool = False, is_active: bool = True
    ) -> StaffUser:
        with db.write() as session:
            user = StaffUser(
                username=username,
                full_name=username.title(),
                email=f"{username}@example.org",
                password_hash=password_hash,
                is_superuser=is_superuser,
                is_active=is_active,
            )
            session.add(user)
            session.commit()
            return user

    return make


@pytest.fixture
def client_for(admin_app: Starlette, db: Database) -> Iterator[Callable[[StaffUser], AdminClient]]:
    clients: list[AdminClient] = []

    def make(user: StaffUser) -> AdminClient:
        assert user.id is not None
        token, signed_in = start_session(db, staff_user_id=user.id)
        client = AdminClient(admin_app, base_url="http://testserver")
        client.__enter__()  # runs the app's lifespan, as a server does before serving
        client.cookies.set(SESSION_COOKIE, token, domain="testserver.local", path="/admin")
        client.csrf_token = signed_in.csrf_token
        client.user = user
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__()


@pytest.fixture
def anonymous_client(admin_app: Starlette) -> Iterator[AdminClient]:
    with AdminClient(admin_app, base_url="http://testserver") as client:
        client.csrf_token = csrf_token_in(client.get("/admin/login").text)
        yield client


@pytest.fixture
def staff_client(
    make_staff_user: Callable[..., StaffUser], client_for: Callable[[StaffUser], AdminClient]
) -> AdminClient:
    return client_for(make_staff_user("staff"))


@pytest.fixture
def superuser_client(
    make_staff_user: Callable[..., StaffUser], client_for: Callable[[StaffUser], AdminClient]
) -> AdminClient:
    return client_for(make_staff_user("boss", is_superuser=True))
