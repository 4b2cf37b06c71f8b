"""Delete with confirmation; refused, with the reason shown, when history would be lost."""

from __future__ import annotations

import html

from sqlalchemy import select

from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import AuditEntry, Course, Registration, School, Student
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_contact, add_course, add_school, add_student, mark, register


def delete(client: AdminClient, identity: str, pk: int) -> str:
    """Delete as the confirmation modal does; returns the list page the browser lands on."""
    response = client.delete(f"/admin/{identity}/delete?pks={pk}", headers=client.csrf_headers())
    assert response.status_code == 200, response.text[-1000:]
    landing = client.get(response.text)
    assert landing.status_code == 200
    return html.unescape(landing.text)


def exists(db: Database, model: type, pk: int) -> bool:
    with db.read() as session:
        return session.get(model, pk) is not None


def test_deleting_a_school_with_sign_ups_is_refused_with_the_reason(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db, "Hill")
    register(db, add_student(db, "Ada"), add_course(db), school=school)
    page = delete(staff_client, "school", school.id or 0)
    assert "Cannot delete school 'Hill'" in page
    assert "1 sign-up(s) came through this school" in page
    assert exists(db, School, school.id or 0)


def test_deleting_a_school_without_history_removes_it_and_its_contact_log(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db, "Empty School")
    add_contact(db, school, "no answer")
    page = delete(staff_client, "school", school.id or 0)
    assert "Cannot delete" not in page
    assert not exists(db, School, school.id or 0)
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
        assert entry.entity_type == "School"
        assert entry.actor_label == "staff"
        assert entry.changes["name"] == ["Empty School", None]


def test_deleting_a_paid_registration_is_refused(staff_client: AdminClient, db: Database) -> None:
    registration = register(
        db, add_student(db), add_course(db), payment_status=PaymentStatus.COMPLETED
    )
    page = delete(staff_client, "registration", registration.id or 0)
    assert "payment is completed; that payment history must be kept" in page
    assert exists(db, Registration, registration.id or 0)


def test_deleting_a_registration_with_attendance_is_refused(
    staff_client: AdminClient, db: Database
) -> None:
    registration = register(db, add_student(db), add_course(db))
    mark(db, registration)
    page = delete(staff_client, "registration", registration.id or 0)
    assert "1 attendance mark(s)" in page
    assert exists(db, Registration, registration.id or 0)


def test_deleting_an_unpaid_registration_without_attendance_is_allowed(
    staff_client: AdminClient, db: Database
) -> None:
    registration = register(db, add_student(db), add_course(db))
    delete(staff_client, "registration", registration.id or 0)
    assert not exists(db, Registration, registration.id or 0)


def test_deleting_a_student_or_course_with_registrations_is_refused(
    staff_client: AdminClient, db: Database
) -> None:
    student, course = add_student(db, "Ada"), add_course(db, "Salsa")
    register(db, student, course)
    assert "Cancel a registration instead" in delete(staff_client, "student", student.id or 0)
    assert "Unpublish the course" in delete(staff_client, "course", course.id or 0)
    assert exists(db, Student, student.id or 0)
    assert exists(db, Course, course.id or 0)


def test_a_course_without_registrations_is_deleted_with_its_slots_and_sessions(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Never ran")
    delete(staff_client, "course", course.id or 0)
    assert not exists(db, Course, course.id or 0)


def test_history_records_cannot_be_deleted_at_all(staff_client: AdminClient, db: Database) -> None:
    registration = register(db, add_student(db), add_course(db))
    mark(db, registration)
    for identity in ("attendance", "waitlist-entry", "audit-entry", "outgoing-email"):
        response = staff_client.delete(
            f"/admin/{identity}/delete?pks=1", headers=staff_client.csrf_headers()
        )
        assert response.status_code == 403, identity
