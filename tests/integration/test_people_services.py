"""Schools, contact entries, students and special requests are written by one service each:
checked, written and audited in one transaction, or refused with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from domain.db import tables as t
from domain.db.database import Database
from domain.services.people import add_contact_entry, create_school, create_student, update_student
from domain.services.special_requests import update_special_requests
from tests.factories import staff_actor
from tests.integration.test_record_services import (
    SCRIPT,
    _course,
    _entries,
    _refused,
    _rows,
)
from tests.integration.w_factories import add_registration, add_student


def test_a_school_needs_a_name(db: Database) -> None:
    assert _refused(lambda: create_school(db, {"name": " "}, actor=SCRIPT)).field == "name"
    assert _rows(db, t.schools) == [] and _entries(db) == []


def test_a_contact_entry_is_signed_by_whoever_wrote_it(db: Database) -> None:
    school = create_school(db, {"name": "Hill"}, actor=SCRIPT)
    maria = staff_actor(db)
    when = datetime(2030, 1, 5, 10, tzinfo=UTC)

    entry = add_contact_entry(
        db,
        {"school_id": school.id or 0, "contacted_at": when, "comment": "Met the head"},
        actor=maria,
    )

    assert entry.staff_user_id == maria.staff_user_id
    (created,) = _entries(db, "ContactLog")
    assert created.changes["staff_user_id"] == [None, maria.staff_user_id]


def test_a_student_email_is_stored_and_audited_in_lower_case(db: Database) -> None:
    student = create_student(db, {"first_name": "Ada", "email": "Ada@Example.org"}, actor=SCRIPT)
    assert student.email == "ada@example.org"

    update_student(db, student.id or 0, {"email": "ADA@example.org"}, actor=SCRIPT)
    update_student(db, student.id or 0, {"email": "ada.l@example.org"}, actor=SCRIPT)

    updates = [e.changes for e in _entries(db, "Student") if e.action == "update"]
    assert updates == [{"email": ["ada@example.org", "ada.l@example.org"]}]


def test_an_email_another_student_has_is_refused(db: Database) -> None:
    create_student(db, {"first_name": "Ada", "email": "ada@example.org"}, actor=SCRIPT)
    bea = create_student(db, {"first_name": "Bea"}, actor=SCRIPT)
    before = _rows(db, t.students)

    refused = _refused(
        lambda: update_student(db, bea.id or 0, {"email": "ADA@example.org"}, actor=SCRIPT)
    )

    assert refused.field == "email"
    assert _rows(db, t.students) == before


def test_a_student_type_is_one_the_studio_knows(db: Database) -> None:
    refused = _refused(
        lambda: create_student(db, {"first_name": "Ada", "student_type": "vip"}, actor=SCRIPT)
    )
    assert refused.field == "student_type"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(t.students)) == 0


def test_special_requests_are_trimmed_and_audited(db: Database) -> None:
    course_id = _course(db)
    registration_id = add_registration(db, student_id=add_student(db, "Ada"), course_id=course_id)

    update_special_requests(db, registration_id, "  Wheelchair access \n", actor=SCRIPT)

    (update,) = [e for e in _entries(db, "Registration") if e.action == "update"]
    assert update.changes == {"special_requests": ["", "Wheelchair access"]}
