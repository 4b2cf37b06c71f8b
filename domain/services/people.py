"""Create and change schools, their contact history and students, each in one transaction.

A student's email is the key to their bookings and their type decides what
they may book, so student records are checked (email free, type known) and
audited like every other change; a contact entry is signed by whoever wrote it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import NotFound
from domain.model import ContactLog, School, Student
from domain.rules.records import check_contact_entry_fields, check_school_fields
from domain.services.records import (
    check_student,
    existing,
    record_created,
    record_updated,
    set_fields,
)


class SchoolFields(TypedDict, total=False):
    """What staff set on a school; a new school needs at least a ``name``."""

    name: str
    location: str
    contact_name: str
    contact_email: str
    contact_phone: str
    comments: str


class ContactEntryFields(TypedDict, total=False):
    """A conversation with a school: which school, when, and what was said (all needed)."""

    school_id: int
    contacted_at: datetime
    comment: str


class StudentFields(TypedDict, total=False):
    """What staff set on a student; a new student needs at least a ``first_name``."""

    first_name: str
    last_name: str
    #: Stored lower-cased; blank or None stores none (school participants may have none).
    email: str | None
    phone: str
    title: str
    school_id: int | None
    student_type: str
    #: Staff confirmed the student type; until then it does not count for eligibility.
    admin_classified: bool
    experience: str
    emergency_contact: str
    notes: str


SCHOOL_FIELDS = SchoolFields.__optional_keys__
CONTACT_ENTRY_FIELDS = ContactEntryFields.__optional_keys__
STUDENT_FIELDS = StudentFields.__optional_keys__


def create_school(
    db: Database, fields: SchoolFields, *, actor: Actor, now: datetime | None = None
) -> School:
    """Add a school; refused with nothing written."""
    now = now or utcnow()
    school = School(name="", created_at=now, updated_at=now)
    set_fields(school, fields, SCHOOL_FIELDS)
    _check_school(school)
    with db.write() as session:
        record_created(session, actor, school, now=now)
        session.commit()
    return school


def update_school(
    db: Database,
    school_id: int,
    changes: SchoolFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> School:
    """Change a school; one audit entry holds each changed field's before and after."""
    now = now or utcnow()
    with db.write() as session:
        school = session.get(School, school_id)
        if school is None:
            raise NotFound("This school does not exist.")
        changed = set_fields(school, changes, SCHOOL_FIELDS)
        _check_school(school)
        record_updated(session, actor, school, changed, now=now)
        session.commit()
    return school


def add_contact_entry(
    db: Database, fields: ContactEntryFields, *, actor: Actor, now: datetime | None = None
) -> ContactLog:
    """Note a conversation with a school, signed by ``actor`` (never chosen by hand)."""
    now = now or utcnow()
    check_contact_entry_fields(
        contacted_at=fields.get("contacted_at"), comment=fields.get("comment")
    )
    entry = ContactLog(
        contacted_at=fields["contacted_at"],
        comment=fields["comment"],
        staff_user_id=actor.staff_user_id,
        created_at=now,
    )
    set_fields(entry, fields, CONTACT_ENTRY_FIELDS)
    with db.write() as session:
        existing(session, School, entry.school_id, field="school_id", label="a school")
        record_created(session, actor, entry, now=now)
        session.commit()
    return entry


def update_contact_entry(
    db: Database,
    entry_id: int,
    changes: ContactEntryFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> ContactLog:
    """Correct a note of a conversation; who wrote it stays as it was."""
    now = now or utcnow()
    with db.write() as session:
        entry = session.get(ContactLog, entry_id)
        if entry is None:
            raise NotFound("This contact entry does not exist.")
        with session.no_autoflush:
            changed = set_fields(entry, changes, CONTACT_ENTRY_FIELDS)
            check_contact_entry_fields(contacted_at=entry.contacted_at, comment=entry.comment)
            if "school_id" in changed:
                existing(session, School, entry.school_id, field="school_id", label="a school")
        record_updated(session, actor, entry, changed, now=now)
        session.commit()
    return entry


def create_student(
    db: Database, fields: StudentFields, *, actor: Actor, now: datetime | None = None
) -> Student:
    """Add a student; refused (email taken, type unknown, ...) with nothing written."""
    now = now or utcnow()
    student = Student(first_name="", created_at=now, updated_at=now)
    set_fields(student, fields, STUDENT_FIELDS)
    with db.write() as session:
        _check_student(session, student)
        record_created(session, actor, student, now=now)
        session.commit()
    return student


def update_student(
    db: Database,
    student_id: int,
    changes: StudentFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> Student:
    """Change a student; their type, school and email changes are audited with the rest."""
    now = now or utcnow()
    with db.write() as session:
        student = session.get(Student, student_id)
        if student is None:
            raise NotFound("This student does not exist.")
        before = audit.snapshot(student, STUDENT_FIELDS)
        with session.no_autoflush:
            set_fields(student, changes, STUDENT_FIELDS)
            _check_student(session, student)
        # Compared once the email is as stored (lower-cased), not as typed.
        changed = audit.diff(before, student)
        record_updated(session, actor, student, changed, now=now)
        session.commit()
    return student


def _check_school(school: School) -> None:
    check_school_fields(
        name=school.name,
        location=school.location,
        contact_name=school.contact_name,
        contact_phone=school.contact_phone,
    )


def _check_student(session: Session, student: Student) -> None:
    """Refuses a bad student, and stores the email as it is kept (lower-cased, None if blank)."""
    student.email = check_student(
        session,
        email=student.email,
        first_name=student.first_name,
        student_id=student.id,
        lines={
            "last_name": student.last_name,
            "title": student.title,
            "phone": student.phone,
            "emergency_contact": student.emergency_contact,
            "student_type": student.student_type,
        },
    )
    if student.school_id is not None:
        existing(session, School, student.school_id, field="school_id", label="a school")
