"""Superusers manage staff accounts: create, edit, reset a password, deactivate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import AuditEntry, StaffUser
from domain.services.staff import LoginFailed, authenticate, verify_password
from tests.admin.conftest import PASSWORD, AdminClient


def _staff(db: Database, username: str) -> StaffUser:
    with db.read() as session:
        user = session.scalar(select(StaffUser).where(t.staff_users.c.username == username))
        assert user is not None
        session.expunge(user)
        return user


def _actions(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(t.audit_entries.c.id)))  # type: ignore[arg-type]


def test_a_superuser_creates_a_staff_user_whose_password_is_stored_hashed(
    superuser_client: AdminClient, db: Database
) -> None:
    response = superuser_client.submit(
        "/admin/staff-user/create",
        {
            "username": "Carol",
            "full_name": "Carol King",
            "email": "carol@example.org",
            "password": "a-long-password",
            "save": "Save",
        },
        follow_redirects=False,
    )

    assert response.status_code == 302
    carol = _staff(db, "carol")
    assert carol.full_name == "Carol King" and carol.is_active and not carol.is_superuser
    assert carol.password_hash.startswith("$argon2id$")
    assert "a-long-password" not in carol.password_hash
    assert authenticate(db, "carol", "a-long-password", address="10.0.0.1").username == "carol"
    assert "staff.create" in _actions(db)


def test_a_short_password_is_refused_with_a_message(
    superuser_client: AdminClient, db: Database
) -> None:
    response = superuser_client.submit(
        "/admin/staff-user/create",
        {"username": "carol", "password": "short", "save": "Save"},
        follow_redirects=False,
    )

    assert response.status_code == 400
    assert "at least 10 characters" in response.text
    with db.read() as session:
        assert (
            session.scalar(select(t.staff_users.c.id).where(t.staff_users.c.username == "carol"))
            is None
        )


def test_a_taken_username_is_refused_with_a_message(
    superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("carol")

    response = superuser_client.submit(
        "/admin/staff-user/create",
        {"username": "Carol", "password": "a-long-password", "save": "Save"},
        follow_redirects=False,
    )

    assert response.status_code == 400
    assert "The username &#39;carol&#39; is taken." in response.text


def test_the_password_hash_is_never_shown(
    superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    user = make_staff_user("carol")
    for path in (
        "/admin/staff-user/list",
        f"/admin/staff-user/details/{user.id}",
        f"/admin/staff-user/edit/{user.id}",
        "/admin/staff-user/create",
    ):
        page = superuser_client.page(path)
        assert page.status_code == 200, path
        assert "argon2" not in page.text and "password_hash" not in page.text, path


def test_editing_a_staff_user_to_inactive_ends_their_sessions(
    superuser_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
    client_for: Callable[[StaffUser], AdminClient],
    db: Database,
) -> None:
    carol = make_staff_user("carol")
    carols_browser = client_for(carol)

    response = superuser_client.submit(
        f"/admin/staff-user/edit/{carol.id}",
        {"full_name": "Carol K", "email": "carol@example.org", "save": "Save"},
        follow_redirects=False,
    )

    assert response.status_code == 302
    stored = _staff(db, "carol")
    assert stored.full_name == "Carol K" and not stored.is_active
    assert carols_browser.page("/admin/school/list").status_code == 302


def test_reset_password_asks_first_then_shows_a_temporary_password_once(
    superuser_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
    client_for: Callable[[StaffUser], AdminClient],
    db: Database,
) -> None:
    carol = make_staff_user("carol")
    carols_browser = client_for(carol)
    url = f"/admin/staff-user/reset-password/{carol.id}"

    # The action button leads to a confirmation page; nothing changes on GET.
    button = superuser_client.page(f"/admin/staff-user/action/reset-password?pks={carol.id}")
    assert button.status_code == 302 and button.headers["location"].endswith(url)
    confirm = superuser_client.page(url)
    assert confirm.status_code == 200 and "Reset the password of carol?" in confirm.text
    assert verify_password(_staff(db, "carol").password_hash, PASSWORD)

    shown = superuser_client.submit(url, follow_redirects=False)

    assert shown.status_code == 200
    assert "no-store" in shown.headers["cache-control"]
    temporary = shown.text.split('id="temporary-password" class="fs-2">')[1].split("<")[0]
    assert len(temporary) >= 12
    stored = _staff(db, "carol").password_hash
    assert verify_password(stored, temporary) and not verify_password(stored, PASSWORD)
    assert carols_browser.page("/admin/school/list").status_code == 302
    details = superuser_client.page(f"/admin/staff-user/details/{carol.id}")
    assert temporary not in details.text
    assert "staff.reset_password" in _actions(db)


def test_deactivate_asks_first_then_signs_the_user_out_everywhere(
    superuser_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
    client_for: Callable[[StaffUser], AdminClient],
    db: Database,
) -> None:
    carol = make_staff_user("carol")
    carols_browser = client_for(carol)
    url = f"/admin/staff-user/deactivate/{carol.id}"

    assert "Deactivate carol?" in superuser_client.page(url).text
    assert _staff(db, "carol").is_active

    response = superuser_client.submit(url, follow_redirects=False)

    assert response.status_code == 302
    assert not _staff(db, "carol").is_active
    assert carols_browser.page("/admin/school/list").status_code == 302
    assert "staff.deactivate" in _actions(db)


def test_a_superuser_cannot_deactivate_their_own_account(
    superuser_client: AdminClient, db: Database
) -> None:
    me = superuser_client.user
    assert me is not None

    response = superuser_client.submit(
        f"/admin/staff-user/deactivate/{me.id}", follow_redirects=False
    )

    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.text
    assert _staff(db, me.username).is_active


def test_a_script_signing_in_with_a_nul_in_the_username_is_refused_and_nothing_is_counted(
    db: Database,
) -> None:
    # Over HTTP the admin's input guard refuses it first; a script calls the service directly.
    for username, address in (("ad\x00min", "10.0.0.1"), ("admin", "10.0.\x00.1")):
        with pytest.raises(LoginFailed):
            authenticate(db, username, "whatever password", address=address)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(t.login_throttles)) == 0


def test_a_reset_password_signs_in_even_after_the_account_was_locked(db: Database) -> None:
    # A forgotten password usually comes after a few wrong guesses that locked the account.
    from domain.actors import Actor
    from domain.services.staff import LoginLocked, create_staff_user, reset_password

    user = create_staff_user(
        db, username="forgetful", password="the old password", actor=Actor.script("test")
    )
    for attempt in range(6):
        with pytest.raises((LoginFailed, LoginLocked)):
            authenticate(db, "forgetful", f"guess {attempt}", address=f"10.0.0.{attempt}")
    with pytest.raises(LoginLocked):
        authenticate(db, "forgetful", "the old password", address="10.0.1.1")
    temporary = reset_password(db, staff_user_id=user.id or 0, actor=Actor.script("test"))
    assert authenticate(db, "forgetful", temporary, address="10.0.1.1").username == "forgetful"
