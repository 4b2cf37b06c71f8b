"""Staff change their own password, e.g. the temporary one a superuser gave them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import StaffUser
from domain.services.staff import verify_password
from tests.admin.conftest import PASSWORD, AdminClient

URL = "/admin/account/password"


def _hash(db: Database, username: str) -> str:
    with db.read() as session:
        return str(
            session.scalar(
                select(t.staff_users.c.password_hash).where(t.staff_users.c.username == username)
            )
        )


def test_staff_change_their_password_and_other_browsers_are_signed_out(
    staff_client: AdminClient,
    client_for: Callable[[StaffUser], AdminClient],
    db: Database,
) -> None:
    assert staff_client.user is not None
    other_browser = client_for(staff_client.user)
    form = {
        "current_password": PASSWORD,
        "new_password": "a-brand-new-password",
        "repeat_password": "a-brand-new-password",
    }

    response = staff_client.submit(URL, form, follow_redirects=False)

    assert response.status_code == 200
    assert "Your password is changed." in response.text
    assert verify_password(_hash(db, "staff"), "a-brand-new-password")
    assert staff_client.page("/admin/school/list").status_code == 200
    assert other_browser.page("/admin/school/list").status_code == 302
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(t.staff_sessions)) == 1


def test_a_wrong_current_password_changes_nothing(staff_client: AdminClient, db: Database) -> None:
    before = _hash(db, "staff")

    response = staff_client.submit(
        URL,
        {
            "current_password": "not it",
            "new_password": "a-brand-new-password",
            "repeat_password": "a-brand-new-password",
        },
        follow_redirects=False,
    )

    assert response.status_code == 400
    assert "The current password is wrong." in response.text
    assert _hash(db, "staff") == before


def test_new_passwords_must_match_and_be_long_enough(
    staff_client: AdminClient, db: Database
) -> None:
    before = _hash(db, "staff")

    differ = staff_client.submit(
        URL,
        {"current_password": PASSWORD, "new_password": "a-long-password", "repeat_password": "x"},
        follow_redirects=False,
    )
    short = staff_client.submit(
        URL,
        {"current_password": PASSWORD, "new_password": "short", "repeat_password": "short"},
        follow_redirects=False,
    )

    assert differ.status_code == 400 and "The two new passwords differ." in differ.text
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert _hash(db, "staff") == before
