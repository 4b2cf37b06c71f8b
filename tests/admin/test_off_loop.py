"""No admin page touches the database or hashes a password on the event loop.

Either would stall every other request of the process. SQLAdmin awaits its
views' hooks on the event loop and runs its own queries in worker threads;
anything of ours that reads the database there must do the same. Every kind
of admin page and form is used here while ``tests/loop_guard.py`` watches the
loop's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, inspect, select

from admin_site.actions.pages import CONFIRM_FIELD
from admin_site.views import ALL_VIEWS
from admin_site.views.staff import SettingAdmin, StaffUserAdmin
from domain.db.database import Database
from domain.model import ClassSession, Course, Registration, School, StaffUser
from tests.admin.conftest import PASSWORD, AdminClient
from tests.admin.views_seed import (
    add_contact,
    add_course,
    add_school,
    add_student,
    add_waitlist,
    mark,
    register,
)
from tests.loop_guard import work_on_the_loop

VIEWS = [*ALL_VIEWS, StaffUserAdmin, SettingAdmin]


def _seed(db: Database) -> None:
    school = add_school(db)
    # Not yet over: its "register a student" form is open.
    course = add_course(db, starts_at=datetime.now(UTC) + timedelta(days=30))
    student = add_student(db, email="ada@example.org", school_id=school.id)
    mark(db, register(db, student, course, school=school))
    add_contact(db, school, "Called the office")
    add_waitlist(db, add_student(db, "Ben", email="ben@example.org"), course, 1)


def _first_pk(db: Database, model: type) -> str | None:
    key = inspect(model).primary_key[0]
    with db.read() as session:
        found = session.scalar(select(func.min(key)))
    return None if found is None else str(found)


def _pages(db: Database) -> list[str]:
    """One address of every kind of admin page, for the rows ``_seed`` made."""
    pages = ["/admin/", "/admin/account/password", "/admin/search/students?q=ada"]
    for view in VIEWS:
        base = f"/admin/{view.identity}"
        pages += [f"{base}/list", f"{base}/list?search=a", f"{base}/export/xlsx"]
        if view.can_create:
            pages.append(f"{base}/create")
        pk = _first_pk(db, view.model)
        if pk is not None:
            pages.append(f"{base}/details/{pk}")
            if view.can_edit:
                pages.append(f"{base}/edit/{pk}")
    session_id = _first_pk(db, ClassSession)
    course_id = _first_pk(db, Course)
    pages += [
        f"/admin/sessions/{session_id}/rollcall/",
        f"/admin/courses/{course_id}/rollcall/",
        f"/admin/actions/register-student/?pks={course_id}",
        f"/admin/staff-user/reset-password/{_first_pk(db, StaffUser)}",
        f"/admin/staff-user/deactivate/{_first_pk(db, StaffUser)}",
        "/admin/student/ajax/lookup?name=school&term=hi",
    ]
    return pages


def test_no_admin_page_touches_the_database_on_the_event_loop(
    db: Database, superuser_client: AdminClient
) -> None:
    _seed(db)
    failures: dict[str, list[str]] = {}
    for page in _pages(db):
        with work_on_the_loop(db) as on_loop:
            response = superuser_client.page(page)
        assert response.status_code in (200, 303), (page, response.status_code)
        if on_loop:
            failures[page] = on_loop
    assert failures == {}


def _forms(
    db: Database, client: AdminClient, other: StaffUser
) -> dict[str, Callable[[], httpx.Response]]:
    """Each kind of admin write by ``client``, ready to send, in an order where each can work."""
    school = _first_pk(db, School)
    session_id, registration = _first_pk(db, ClassSession), _first_pk(db, Registration)
    password = {
        "current_password": PASSWORD,
        "new_password": "a-brand-new-password",
        "repeat_password": "a-brand-new-password",
    }
    new_course = {"title": "Bachata", "kind": "workshop", "starts_at": "2026-07-01 19:00:00"}
    new_staff = {"username": "carol", "password": "a-long-password", "email": "c@example.org"}
    return {
        "edit": lambda: client.submit(
            f"/admin/school/edit/{school}", {"name": "Hill Academy", "save": "Save"}
        ),
        "create": lambda: client.submit(
            "/admin/course/create", {**new_course, "capacity": "20", "save": "Save"}
        ),
        "staff user": lambda: client.submit(
            "/admin/staff-user/create", {**new_staff, "save": "Save"}
        ),
        "reset password": lambda: client.submit(f"/admin/staff-user/reset-password/{other.id}"),
        "own password": lambda: client.submit("/admin/account/password", password),
        "roll call": lambda: client.post(
            f"/admin/sessions/{session_id}/rollcall/mark",
            json={"registration_id": registration, "status": "late"},
            headers=client.csrf_headers(),
        ),
        "action": lambda: client.submit(
            "/admin/actions/cancel-registration/",
            {"pks": registration, "reason": "Ill", CONFIRM_FIELD: "yes"},
        ),
        "delete": lambda: client.delete(
            f"/admin/school/delete?pks={school}", headers=client.csrf_headers()
        ),
        "sign out": lambda: client.submit("/admin/logout"),
    }


def test_no_admin_form_touches_the_database_or_a_password_on_the_event_loop(
    db: Database,
    superuser_client: AdminClient,
    anonymous_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
) -> None:
    _seed(db)
    sign_in = {"username": "boss", "password": PASSWORD, "csrf_token": anonymous_client.csrf_token}
    forms = {
        "sign in": lambda: anonymous_client.post("/admin/login", data=sign_in),
        **_forms(db, superuser_client, make_staff_user("ana")),
    }
    failures: dict[str, list[str]] = {}
    for name, send in forms.items():
        with work_on_the_loop(db) as on_loop:
            response = send()
        # Each form did its work: a refusal would not reach the code under watch.
        assert response.status_code == 200, (name, response.status_code)
        if on_loop:
            failures[name] = on_loop
    assert failures == {}
