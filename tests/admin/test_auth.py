"""Signing in and out of the admin: who gets in, and what ends a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from admin_site.request_context import SESSION_COOKIE
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.model import StaffUser
from domain.services.staff import deactivate_staff_user
from tests.admin.conftest import PASSWORD, AdminClient


def _session_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(t.staff_sessions)) or 0)


def _sign_in(client: AdminClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return client.submit(
        "/admin/login", {"username": username, "password": password}, follow_redirects=False
    )


def test_active_staff_signs_in_with_the_right_password(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    make_staff_user("alice")

    response = _sign_in(anonymous_client, "Alice")

    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/")
    assert anonymous_client.cookies.get(SESSION_COOKIE)
    assert _session_count(db) == 1
    with db.read() as session:
        user = session.scalar(select(StaffUser).where(t.staff_users.c.username == "alice"))
        assert user is not None and user.last_login_at is not None
    assert anonymous_client.page("/admin/staff-user/list").status_code == 403
    assert anonymous_client.page("/admin/school/list").status_code == 200


def test_wrong_password_is_refused_with_a_message(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    make_staff_user("alice")

    response = _sign_in(anonymous_client, "alice", "not the password")

    assert response.status_code == 400
    assert "Wrong username or password." in response.text
    assert 'value="alice"' in response.text  # the username is kept, the password is not
    assert not anonymous_client.cookies.get(SESSION_COOKIE)
    assert _session_count(db) == 0


def test_unknown_username_gets_the_same_message(anonymous_client: AdminClient) -> None:
    response = _sign_in(anonymous_client, "nobody")

    assert response.status_code == 400
    assert "Wrong username or password." in response.text


def test_inactive_staff_cannot_sign_in_even_with_the_right_password(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    make_staff_user("gone", is_active=False)

    response = _sign_in(anonymous_client, "gone")

    assert response.status_code == 400
    assert "Wrong username or password." in response.text
    assert _session_count(db) == 0


def test_admin_pages_send_anonymous_visitors_to_the_sign_in_page(
    anonymous_client: AdminClient,
) -> None:
    for path in ("/admin/", "/admin/school/list", "/admin/staff-user/list"):
        response = anonymous_client.get(path, follow_redirects=False)
        assert response.status_code == 302, path
        assert response.headers["location"].endswith("/admin/login")


def test_sign_out_ends_the_session_and_a_replayed_cookie_is_refused(
    staff_client: AdminClient, admin_app: object, db: Database
) -> None:
    copied = staff_client.cookies.get(SESSION_COOKIE)
    assert staff_client.page("/admin/school/list").status_code == 200

    response = staff_client.submit("/admin/logout", follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")
    assert _session_count(db) == 0
    with AdminClient(admin_app, base_url="http://testserver") as thief:  # type: ignore[arg-type]
        thief.cookies.set(SESSION_COOKIE, copied or "", domain="testserver.local", path="/admin")
        replayed = thief.get("/admin/school/list", follow_redirects=False)
    assert replayed.status_code == 302
    assert replayed.headers["location"].endswith("/admin/login")


def test_sign_out_is_not_possible_with_a_get(staff_client: AdminClient, db: Database) -> None:
    response = staff_client.get("/admin/logout", follow_redirects=False)

    assert response.status_code == 405
    assert _session_count(db) == 1
    assert staff_client.page("/admin/school/list").status_code == 200


def test_deactivating_a_user_ends_their_open_session(
    staff_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    boss = make_staff_user("boss", is_superuser=True)
    assert staff_client.user is not None and staff_client.user.id is not None

    deactivate_staff_user(
        db, staff_user_id=staff_client.user.id, actor=Actor.staff(boss.id or 0, "boss")
    )

    response = staff_client.get("/admin/school/list", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")


def test_a_session_idle_for_two_hours_has_ended(staff_client: AdminClient, db: Database) -> None:
    with db.write() as session:
        session.execute(
            update(t.staff_sessions).values(last_seen_at=utcnow() - timedelta(hours=2, minutes=1))
        )
        session.commit()

    response = staff_client.get("/admin/school/list", follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")
    assert _session_count(db) == 0


def test_a_session_used_within_two_hours_stays_signed_in_and_is_refreshed(
    staff_client: AdminClient, db: Database
) -> None:
    an_hour_ago = utcnow() - timedelta(hours=1, minutes=59)
    with db.write() as session:
        session.execute(update(t.staff_sessions).values(last_seen_at=an_hour_ago))
        session.commit()

    assert staff_client.page("/admin/school/list").status_code == 200

    with db.read() as session:
        last_seen = session.scalar(select(t.staff_sessions.c.last_seen_at))
    assert last_seen is not None and utcnow() - last_seen < timedelta(minutes=1)


def test_a_session_used_within_the_minute_is_not_written_again(
    staff_client: AdminClient, db: Database
) -> None:
    half_a_minute_ago = utcnow() - timedelta(seconds=30)
    with db.write() as session:
        session.execute(update(t.staff_sessions).values(last_seen_at=half_a_minute_ago))
        session.commit()

    assert staff_client.page("/admin/school/list").status_code == 200

    with db.read() as session:
        assert session.scalar(select(t.staff_sessions.c.last_seen_at)) == half_a_minute_ago


def test_signing_in_replaces_the_session_the_browser_already_had(
    staff_client: AdminClient, db: Database
) -> None:
    old = staff_client.cookies.get(SESSION_COOKIE)

    response = _sign_in(staff_client, "staff")

    assert response.status_code == 302
    assert staff_client.cookies.get(SESSION_COOKIE) not in (None, old)
    assert _session_count(db) == 1


def test_a_password_hashed_with_old_parameters_is_upgraded_at_sign_in(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    old_style = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = make_staff_user("alice")
    with db.write() as session:
        session.execute(
            update(t.staff_users)
            .where(t.staff_users.c.id == user.id)
            .values(password_hash=old_style)
        )
        session.commit()

    assert _sign_in(anonymous_client, "alice").status_code == 302

    with db.read() as session:
        stored = session.scalar(select(t.staff_users.c.password_hash))
    assert stored != old_style and "m=19456" in str(stored)
