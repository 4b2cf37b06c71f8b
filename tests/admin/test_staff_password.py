"""Staff change their own password, e.g. the temporary one a superuser gave them."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.model import StaffUser
from domain.services.staff import reset_password, verify_password
from tests.admin.conftest import PASSWORD, AdminClient, csrf_token_in

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


def _reset(db: Database, user: StaffUser) -> str:
    assert user.id is not None
    return reset_password(db, staff_user_id=user.id, actor=Actor.script("tests"))


def _sign_in(client: AdminClient, username: str, password: str) -> httpx.Response:
    form = {"username": username, "password": password, "csrf_token": client.csrf_token}
    return client.post("/admin/login", data=form)


def test_a_reset_password_is_temporary_until_the_user_picks_their_own(
    make_staff_user: Callable[..., StaffUser],
    anonymous_client: AdminClient,
    admin_app: Starlette,
    db: Database,
) -> None:
    carol = make_staff_user("carol")
    temporary = _reset(db, carol)

    landed = _sign_in(anonymous_client, "carol", temporary)

    assert landed.status_code == 200
    assert landed.url.path == URL
    assert "Your password was reset, so it is only temporary." in landed.text
    anonymous_client.csrf_token = csrf_token_in(landed.text)
    for elsewhere in ("/admin/", "/admin/school/list", "/admin/staff-user/list"):
        bounced = anonymous_client.page(elsewhere)
        assert bounced.status_code == 303, elsewhere
        assert bounced.headers["location"] == URL
    refused_write = anonymous_client.submit(
        "/admin/school/create", {"name": "Sneaky"}, follow_redirects=False
    )
    assert refused_write.status_code == 303
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(t.schools)) == 0

    changed = anonymous_client.submit(
        URL,
        {
            "current_password": temporary,
            "new_password": "carols-own-password",
            "repeat_password": "carols-own-password",
        },
        follow_redirects=False,
    )

    assert changed.status_code == 200
    assert "Your password is changed." in changed.text
    assert "only temporary" not in changed.text
    assert anonymous_client.page("/admin/school/list").status_code == 200
    with AdminClient(admin_app) as fresh:
        fresh.csrf_token = csrf_token_in(fresh.get("/admin/login").text)
        old = _sign_in(fresh, "carol", temporary)
        assert old.status_code == 400
        assert "Wrong username or password." in old.text
        new = _sign_in(fresh, "carol", "carols-own-password")
        assert new.status_code == 200 and new.url.path == "/admin/"


def test_with_a_temporary_password_the_password_page_and_sign_out_still_work(
    staff_client: AdminClient, db: Database
) -> None:
    assert staff_client.user is not None
    with db.write() as session:
        stored = session.get(StaffUser, staff_client.user.id)
        assert stored is not None
        stored.must_change_password = True
        session.commit()

    page = staff_client.page(URL)
    signed_out = staff_client.submit("/admin/logout", follow_redirects=False)

    assert page.status_code == 200
    assert "Choose a new password" in page.text
    assert signed_out.status_code == 302
    assert signed_out.headers["location"].endswith("/admin/login")
    assert staff_client.page("/admin/school/list").status_code == 302


def test_only_a_reset_makes_a_password_temporary(
    make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    dave = make_staff_user("dave")
    make_staff_user("erin")

    _reset(db, dave)

    with db.read() as session:
        flags = dict(
            session.execute(
                select(t.staff_users.c.username, t.staff_users.c.must_change_password)
            ).all()
        )
    assert flags == {"dave": True, "erin": False}
