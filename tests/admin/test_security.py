"""CSRF protection: a state-changing request without its token changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from admin_site.request_context import SESSION_COOKIE
from domain.db import tables as t
from domain.db.database import Database
from domain.model import School, StaffUser
from tests.admin.conftest import PASSWORD, AdminClient

REFUSED = "This form has expired or did not come from this site."


def _count(db: Database, table: object) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def _staff(db: Database, username: str) -> StaffUser | None:
    with db.read() as session:
        user = session.scalar(select(StaffUser).where(t.staff_users.c.username == username))
        if user is not None:
            session.expunge(user)
        return user


def test_sign_in_without_its_token_is_refused_and_counts_nothing(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    make_staff_user("alice")
    form = {"username": "alice", "password": PASSWORD}

    refused = anonymous_client.post("/admin/login", data=form, follow_redirects=False)

    assert refused.status_code == 403
    assert REFUSED in refused.text
    assert _count(db, t.staff_sessions) == 0
    assert _count(db, t.login_throttles) == 0
    accepted = anonymous_client.submit("/admin/login", form, follow_redirects=False)
    assert accepted.status_code == 302
    assert _count(db, t.staff_sessions) == 1


def test_sign_in_token_must_match_the_browsers_signed_cookie(
    anonymous_client: AdminClient, admin_app: object, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    form = {"username": "alice", "password": PASSWORD, "csrf_token": anonymous_client.csrf_token}
    # Another browser (no cookie, or its own cookie) cannot reuse this page's token.
    with AdminClient(admin_app, base_url="http://testserver") as other:  # type: ignore[arg-type]
        assert other.post("/admin/login", data=form).status_code == 403
        other.page("/admin/login")
        assert other.post("/admin/login", data=form).status_code == 403


def test_sign_out_without_its_token_is_refused_and_the_session_stays(
    staff_client: AdminClient, db: Database
) -> None:
    refused = staff_client.post("/admin/logout", follow_redirects=False)

    assert refused.status_code == 403
    assert _count(db, t.staff_sessions) == 1
    assert staff_client.page("/admin/school/list").status_code == 200
    assert staff_client.submit("/admin/logout", follow_redirects=False).status_code == 302
    assert _count(db, t.staff_sessions) == 0


def test_create_without_its_token_is_refused_and_creates_nothing(
    superuser_client: AdminClient, db: Database
) -> None:
    form = {"username": "newbie", "full_name": "New Bie", "password": "a-long-password"}

    refused = superuser_client.post("/admin/staff-user/create", data=form)

    assert refused.status_code == 403
    assert _staff(db, "newbie") is None
    accepted = superuser_client.submit(
        "/admin/staff-user/create", {**form, "save": "Save"}, follow_redirects=False
    )
    assert accepted.status_code == 302
    assert _staff(db, "newbie") is not None


def test_edit_without_its_token_is_refused_and_changes_nothing(
    superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    user = make_staff_user("alice")
    url = f"/admin/staff-user/edit/{user.id}"
    # SQLAdmin's forms are multipart; the token travels in the same body.
    form = {"full_name": "Alice Renamed", "email": "alice@example.org", "is_active": "y"}

    refused = superuser_client.post(url, data=form, files={"none": ("", b"")})

    assert refused.status_code == 403
    assert (_staff(db, "alice") or user).full_name == "Alice"
    accepted = superuser_client.post(
        url,
        data={**form, "save": "Save", "csrf_token": superuser_client.csrf_token},
        files={"none": ("", b"")},
        follow_redirects=False,
    )
    assert accepted.status_code == 302
    assert (_staff(db, "alice") or user).full_name == "Alice Renamed"


def test_delete_without_its_token_is_refused_and_deletes_nothing(
    staff_client: AdminClient, db: Database
) -> None:
    with db.write() as session:
        school = School(name="Hillside High")
        session.add(school)
        session.commit()
    url = f"/admin/school/delete?pks={school.id}"

    refused = staff_client.delete(url)

    assert refused.status_code == 403
    assert _count(db, t.schools) == 1
    # SQLAdmin's delete is a JavaScript DELETE with no body: the token is a header.
    accepted = staff_client.delete(url, headers=staff_client.csrf_headers())
    assert accepted.status_code == 200
    assert _count(db, t.schools) == 0


def test_a_token_from_another_session_is_refused(
    staff_client: AdminClient, superuser_client: AdminClient, db: Database
) -> None:
    response = superuser_client.post(
        "/admin/logout", data={"csrf_token": staff_client.csrf_token}, follow_redirects=False
    )

    assert response.status_code == 403
    assert _count(db, t.staff_sessions) == 2


def test_a_wrong_header_token_is_refused_even_with_a_right_form_field(
    staff_client: AdminClient, db: Database
) -> None:
    response = staff_client.post(
        "/admin/logout",
        data={"csrf_token": staff_client.csrf_token},
        headers={"X-CSRF-Token": "forged"},
        follow_redirects=False,
    )

    assert response.status_code == 403
    assert _count(db, t.staff_sessions) == 1


def test_pages_carry_the_token_and_the_script_that_sends_it(
    staff_client: AdminClient,
) -> None:
    page = staff_client.page("/admin/school/list").text

    assert f'<meta name="csrf-token" content="{staff_client.csrf_token}">' in page
    assert "/admin/rollbook-static/rollbook-admin.js" in page
    script = staff_client.page("/admin/rollbook-static/rollbook-admin.js")
    assert script.status_code == 200
    assert "X-CSRF-Token" in script.text


def test_sign_out_is_a_form_with_the_token_not_a_link(staff_client: AdminClient) -> None:
    page = staff_client.page("/admin/school/list").text

    assert 'href="http://testserver/admin/logout"' not in page
    assert 'action="http://testserver/admin/logout"' in page


def test_session_cookie_is_httponly_strict_and_scoped_to_the_admin(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")

    response = anonymous_client.submit(
        "/admin/login", {"username": "alice", "password": PASSWORD}, follow_redirects=False
    )

    cookie = next(c for c in response.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "path=/admin" in attributes
    assert "secure" not in attributes  # served over plain http in this test


def test_an_oversized_form_is_refused_without_being_held_in_memory(
    anonymous_client: AdminClient,
) -> None:
    body = "csrf_token=" + anonymous_client.csrf_token + "&x=" + "a" * (11 * 1024 * 1024)

    response = anonymous_client.post(
        "/admin/login",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 403
