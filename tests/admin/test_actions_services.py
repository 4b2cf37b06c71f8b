"""The two small services behind staff actions: classify students, resend a confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import audit_entries, outgoing_emails, students
from domain.errors import NotFound, ValidationError
from domain.services.notifications import resend_confirmation
from domain.services.settings import ensure_settings, update_setting
from domain.services.students import classify_students
from tests.admin.a3_factories import add_course, add_registration, add_student

STAFF = Actor.script("tests")


def _types(db: Database) -> dict[int, tuple[str, bool]]:
    s = students.c
    with db.read() as session:
        rows = session.execute(select(s.id, s.student_type, s.admin_classified))
        return {i: (t, c) for i, t, c in rows}


def _audit_actions(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(audit_entries.c.action).order_by(audit_entries.c.id)))


def test_classifying_marks_the_type_as_checked_by_staff_and_audits_each_change(
    db: Database,
) -> None:
    one, two = add_student(db, "Uno", "K"), add_student(db, "Dos", "K")
    changed = classify_students(
        db, student_ids=[one, two, one], student_type="crew_member", actor=STAFF
    )
    assert changed == 2
    assert _types(db) == {one: ("crew_member", True), two: ("crew_member", True)}
    assert _audit_actions(db) == ["student.classify", "student.classify"]
    again = classify_students(db, student_ids=[one], student_type="crew_member", actor=STAFF)
    assert again == 0 and len(_audit_actions(db)) == 2


def test_classifying_with_an_unknown_student_or_type_changes_nobody(db: Database) -> None:
    one = add_student(db, "Uno", "K")
    with pytest.raises(NotFound, match="999"):
        classify_students(db, student_ids=[one, 999], student_type="crew_member", actor=STAFF)
    with pytest.raises(ValidationError, match="Unknown student type"):
        classify_students(db, student_ids=[one], student_type="royalty", actor=STAFF)
    with pytest.raises(ValidationError, match="at least one"):
        classify_students(db, student_ids=[], student_type="general", actor=STAFF)
    assert _types(db) == {one: ("general", False)}


def test_resending_queues_a_fresh_confirmation_with_links(db: Database) -> None:
    ensure_settings(db)
    course = add_course(db, "Tango", price=Decimal("45.00"))
    pk = add_registration(
        db,
        student_id=add_student(db, "Ana", "Paz"),
        course_id=course,
        amount=Decimal("45.00"),
        status="pending",
    )
    resend_confirmation(db, registration_id=pk, actor=STAFF)
    o = outgoing_emails.c
    with db.read() as session:
        (row,) = session.execute(select(o.kind, o.to_address, o.subject, o.body_text)).all()
    assert row.kind == "registration_received" and row.to_address == "ana.paz@example.org"
    assert "Tango" in row.subject
    assert "/registrations/" in row.body_text and "$45.00" in row.body_text
    assert _audit_actions(db) == ["registration.resend_confirmation"]


def test_resending_is_refused_when_emails_are_off_or_there_is_no_address(db: Database) -> None:
    ensure_settings(db)
    course = add_course(db, "Tango")
    no_email = add_student(db, "No", "Mail", email="")
    with db.write() as session:
        session.execute(students.update().where(students.c.id == no_email).values(email=None))
        session.commit()
    pk = add_registration(db, student_id=no_email, course_id=course)
    with pytest.raises(ValidationError, match="no email address"):
        resend_confirmation(db, registration_id=pk, actor=STAFF)
    other = add_registration(db, student_id=add_student(db, "Has", "Mail"), course_id=course)
    update_setting(db, "emails_enabled", "no", actor=STAFF)
    with pytest.raises(ValidationError, match="switched off"):
        resend_confirmation(db, registration_id=other, actor=STAFF)
    with pytest.raises(NotFound):
        resend_confirmation(db, registration_id=424242, actor=STAFF)
    with db.read() as session:
        assert session.execute(select(outgoing_emails.c.id)).all() == []
