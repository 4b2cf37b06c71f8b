"""An admin save is one domain service call: one commit, with its one audit entry.

SQLAdmin's own save copies the form onto the row and commits it; here every
create and edit form goes through the entity's domain service instead, which
checks, writes and audits in a single transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import AuditEntry, Course
from tests.admin.conftest import AdminClient
from tests.admin.test_views_refusals import COURSE, PRICE, SCHOOL, SESSION, SLOT, STUDENT
from tests.admin.views_seed import add_contact, add_course, add_school, add_student, register


@dataclass(frozen=True)
class Save:
    url: str
    form: dict[str, str]
    entity_type: str
    action: str


SAVES = {
    "create a course": Save("/admin/course/create", COURSE, "Course", "create"),
    "edit a course": Save(
        "/admin/course/edit/{course}", {**COURSE, "capacity": "25"}, "Course", "update"
    ),
    "create a slot": Save("/admin/course-slot/create", SLOT, "CourseSlot", "create"),
    "edit a slot": Save(
        "/admin/course-slot/edit/{slot}", {**SLOT, "capacity": "8"}, "CourseSlot", "update"
    ),
    "create a price": Save("/admin/price/create", PRICE, "Price", "create"),
    "edit a price": Save(
        "/admin/price/edit/{price}",
        {"slot": "{slot}", "pricing_type": "full_package", "amount": "130.00"},
        "Price",
        "update",
    ),
    "create a session": Save("/admin/class-session/create", SESSION, "ClassSession", "create"),
    "edit a session": Save(
        "/admin/class-session/edit/{session}",
        {**SESSION, "notes": "Bring water"},
        "ClassSession",
        "update",
    ),
    "create a school": Save("/admin/school/create", SCHOOL, "School", "create"),
    "edit a school": Save(
        "/admin/school/edit/{school}", {**SCHOOL, "name": "Hill Academy"}, "School", "update"
    ),
    "add a contact entry": Save(
        "/admin/contact-log/create",
        {"school": "{school}", "contacted_at": "2026-03-01 10:00:00", "comment": "Met the head"},
        "ContactLog",
        "create",
    ),
    "edit a contact entry": Save(
        "/admin/contact-log/edit/{contact}",
        {"school": "{school}", "contacted_at": "2026-03-01 10:00:00", "comment": "Met again"},
        "ContactLog",
        "update",
    ),
    "create a student": Save("/admin/student/create", STUDENT, "Student", "create"),
    "edit a student": Save(
        "/admin/student/edit/{student}",
        {**STUDENT, "email": "ada@example.com", "student_type": "crew_member"},
        "Student",
        "update",
    ),
    "edit a registration's special requests": Save(
        "/admin/registration/edit/{registration}",
        {"special_requests": "Wheelchair access"},
        "Registration",
        "update",
    ),
}


@contextmanager
def counting_commits(db: Database) -> Iterator[list[object]]:
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(db.engine, "commit", count)
    try:
        yield commits
    finally:
        event.remove(db.engine, "commit", count)


@pytest.fixture
def seed(db: Database) -> dict[str, int]:
    course = add_course(db, "Salsa Basics")
    school = add_school(db, "Hill School")
    student = add_student(db, "Ada", email="ada@example.com")
    registration = register(db, student, course)
    add_contact(db, school, "First call")
    with db.read() as session:
        ids = {
            "slot": session.scalar(select(t.course_slots.c.id)),
            "price": session.scalar(select(t.prices.c.id)),
            "session": session.scalar(select(t.class_sessions.c.id)),
            "contact": session.scalar(select(t.contact_logs.c.id)),
        }
    return {
        "course": course.id or 0,
        "school": school.id or 0,
        "student": student.id or 0,
        "registration": registration.id or 0,
        **{name: value or 0 for name, value in ids.items()},
    }


def _audit(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    with db.read() as session:
        return [
            (entry.entity_type, entry.action, entry.changes)
            for entry in session.scalars(select(AuditEntry).order_by(t.audit_entries.c.id))
        ]


@pytest.mark.parametrize("save", SAVES.values(), ids=SAVES.keys())
def test_an_admin_save_is_one_commit_with_its_one_audit_entry(
    save: Save, seed: dict[str, int], staff_client: AdminClient, db: Database
) -> None:
    form = {name: value.format(**seed) for name, value in save.form.items()}
    before = _audit(db)

    with counting_commits(db) as commits:
        response = staff_client.submit(
            save.url.format(**seed), {**form, "save": "Save"}, follow_redirects=False
        )

    assert response.status_code == 302, response.text[-2000:]
    assert len(commits) == 1
    added = _audit(db)[len(before) :]
    assert [(entity_type, action) for entity_type, action, _ in added] == [
        (save.entity_type, save.action)
    ]


def test_publication_start_and_audience_edited_in_the_admin_are_audited(
    seed: dict[str, int], staff_client: AdminClient, db: Database
) -> None:
    with db.read() as session:
        course = session.get(Course, seed["course"])
        assert course is not None and not course.is_published
    form = {
        **COURSE,
        "is_published": "y",
        "starts_at": "2026-07-08 19:00:00",
        "ends_at": "2026-07-08 21:00:00",
        "required_student_type": "crew_member",
        "save": "Save",
    }

    response = staff_client.submit(f"/admin/course/edit/{seed['course']}", form)

    assert response.status_code == 200, response.text[-2000:]
    ((entity_type, action, changes),) = _audit(db)
    assert (entity_type, action) == ("Course", "update")
    assert changes["is_published"] == [False, True]
    assert changes["required_student_type"] == [None, "crew_member"]
    # Typed on the studio's clock (UTC by default), stored and audited in UTC.
    assert changes["starts_at"][1] == datetime(2026, 7, 8, 19, tzinfo=UTC).isoformat()
