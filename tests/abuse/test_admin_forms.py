"""Hostile submissions to the admin's create and edit forms: never a 5xx, never a partial write.

Staff are trusted more than visitors, but a pasted spreadsheet cell, a browser
extension or a stolen session can send anything. A refused form changes no row;
an accepted one adds exactly the one row it creates, or changes only the row it
edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Table, func, select

from domain.db import tables as t
from domain.db.database import Database
from tests.abuse.hostile import (
    ABUSE,
    assert_no_server_error,
    assert_rejected_cleanly,
    growth,
    row_counts,
    send,
    submissions,
)
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, add_school, add_student, register

#: Written alongside any accepted change.
SIDE_EFFECTS = {"audit_entries"}


@dataclass(frozen=True)
class Seed:
    course_id: int
    slot_id: int
    school_id: int
    student_id: int
    registration_id: int
    staff_user_id: int


@dataclass(frozen=True)
class Case:
    url: str
    form: Callable[[Seed], dict[str, str]]
    #: For a create form, the table that gains one row; for an edit form, None.
    creates: Table | None = None
    #: For an edit form, the table and the id of the row it edits.
    edits: tuple[Table, Callable[[Seed], int]] | None = None


def _course(seed: Seed) -> dict[str, str]:
    return {
        "title": "Bachata Night",
        "kind": "workshop",
        "description": "Fun",
        "instructor": "Ana",
        "location": "Studio A",
        "starts_at": "2026-07-01 19:00:00",
        "ends_at": "2026-07-01 21:00:00",
        "capacity": "20",
        "required_student_type": "",
        "is_published": "y",
        "comment": "",
        "save": "Save",
    }


def _school(seed: Seed) -> dict[str, str]:
    return {
        "name": "Hill Academy",
        "location": "Springfield",
        "contact_name": "Pat",
        "contact_email": "pat@hill.example",
        "contact_phone": "555-0100",
        "comments": "",
        "save": "Save",
    }


def _student(seed: Seed) -> dict[str, str]:
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "555-0101",
        "title": "",
        "school": str(seed.school_id),
        "student_type": "general",
        "admin_classified": "y",
        "experience": "",
        "emergency_contact": "",
        "notes": "",
        "save": "Save",
    }


CASES = {
    "course-create": Case("/admin/course/create", _course, creates=t.courses),
    "course-edit": Case(
        "/admin/course/edit/{course_id}", _course, edits=(t.courses, lambda s: s.course_id)
    ),
    "school-create": Case("/admin/school/create", _school, creates=t.schools),
    "school-edit": Case(
        "/admin/school/edit/{school_id}", _school, edits=(t.schools, lambda s: s.school_id)
    ),
    "student-create": Case("/admin/student/create", _student, creates=t.students),
    "student-edit": Case(
        "/admin/student/edit/{student_id}", _student, edits=(t.students, lambda s: s.student_id)
    ),
    "contact-log-create": Case(
        "/admin/contact-log/create",
        lambda s: {
            "school": str(s.school_id),
            "contacted_at": "2026-07-01 10:00:00",
            "comment": "Called the office",
            "save": "Save",
        },
        creates=t.contact_logs,
    ),
    "slot-create": Case(
        "/admin/course-slot/create",
        lambda s: {
            "course": str(s.course_id),
            "name": "Evening",
            "difficulty_level": "beginner",
            "day_of_week": "2",
            "practice_date": "",
            "start_time": "18:00",
            "end_time": "19:30",
            "location": "Studio B",
            "capacity": "",
            "save": "Save",
        },
        creates=t.course_slots,
    ),
    "price-create": Case(
        "/admin/price/create",
        lambda s: {
            "slot": str(s.slot_id),
            "pricing_type": "drop_in",
            "amount": "25.00",
            "save": "Save",
        },
        creates=t.prices,
    ),
    "session-create": Case(
        "/admin/class-session/create",
        lambda s: {
            "course": str(s.course_id),
            "slot": str(s.slot_id),
            "session_date": "2026-07-08",
            "start_time": "18:00",
            "end_time": "19:30",
            "location": "Studio A",
            "notes": "",
            "save": "Save",
        },
        creates=t.class_sessions,
    ),
    "registration-edit": Case(
        "/admin/registration/edit/{registration_id}",
        lambda s: {"special_requests": "Wheelchair access", "save": "Save"},
        edits=(t.registrations, lambda s: s.registration_id),
    ),
    "setting-edit": Case(
        "/admin/setting/edit/offer_hours",
        lambda s: {"value": "24", "save": "Save"},
        edits=(t.settings, lambda s: 0),
    ),
    "staff-user-create": Case(
        "/admin/staff-user/create",
        lambda s: {
            "username": "newcomer",
            "full_name": "New Comer",
            "email": "new@example.org",
            "is_superuser": "",
            "password": "a long enough password 123",
            "save": "Save",
        },
        creates=t.staff_users,
    ),
    "staff-user-edit": Case(
        "/admin/staff-user/edit/{staff_user_id}",
        lambda s: {
            "full_name": "Carol",
            "email": "carol@example.org",
            "is_active": "y",
            "is_superuser": "",
            "save": "Save",
        },
        edits=(t.staff_users, lambda s: s.staff_user_id),
    ),
}


def _seed(db: Database, make_staff_user: Callable[..., object]) -> Seed:
    """The rows the forms point at, made once per test (examples share them)."""
    with db.read() as session:
        course_id = session.scalar(select(func.min(t.courses.c.id)))
    if course_id is None:
        course = add_course(db, "Seeded")
        add_school(db, "Seeded School")
        register(db, add_student(db, "Seeded", email="seeded@example.com"), course, amount="120.00")
        make_staff_user("carol")
    with db.read() as session:

        def one(table: Table, where: object = None) -> int:
            # The seeded rows came first; edits may have renamed them since.
            query = select(func.min(table.c.id))
            found = session.scalar(query if where is None else query.where(where))  # type: ignore[arg-type]
            assert found is not None, f"no seeded row in {table.name}"
            return int(found)

        return Seed(
            course_id=one(t.courses),
            slot_id=one(t.course_slots),
            school_id=one(t.schools),
            student_id=one(t.students),
            registration_id=one(t.registrations),
            staff_user_id=one(t.staff_users, t.staff_users.c.username == "carol"),
        )


def _row(db: Database, table: Table, row_id: int) -> tuple[object, ...]:
    key = table.c.key if table is t.settings else table.c.id
    value: object = "offer_hours" if table is t.settings else row_id
    with db.read() as session:
        return tuple(session.execute(select(table).where(key == value)).one())


@pytest.mark.parametrize("name", sorted(CASES))
@ABUSE
@given(data=st.data())
def test_hostile_admin_form_submissions_never_fail_or_write_partly(
    name: str,
    superuser_client: AdminClient,
    make_staff_user: Callable[..., object],
    db: Database,
    data: st.DataObject,
) -> None:
    case = CASES[name]
    seed = _seed(db, make_staff_user)
    url = case.url.format(**seed.__dict__)
    submission = data.draw(submissions(case.form(seed)))
    before = row_counts(db)
    edited = _row(db, case.edits[0], case.edits[1](seed)) if case.edits else None
    response = send(superuser_client, url, submission, superuser_client.csrf_token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code in (302, 303):
        unexpected = {k: v for k, v in changed.items() if k not in SIDE_EFFECTS}
        expected = {case.creates.name: 1} if case.creates is not None else {}
        assert unexpected == expected, f"{name} accepted and changed {changed}"
    else:
        assert_rejected_cleanly(response, submission, changed)
        if case.edits:
            after = _row(db, case.edits[0], case.edits[1](seed))
            assert after == edited, f"a refused {name} changed the row"
