"""Delete an entity from the admin panel, unless that would lose payment or attendance history.

The database already RESTRICTs most of these deletions; checking first lets us
say why in words a staff member understands, instead of an integrity error.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import ColumnElement, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.errors import DeleteRefused, NotFound
from domain.model import (
    Attendance,
    AuditEntry,
    ClassSession,
    Course,
    OutgoingEmail,
    Registration,
    School,
    Student,
    WaitlistEntry,
)

#: Payment states that mean money moved: such a registration is history to keep.
_PAID = (PaymentStatus.COMPLETED, PaymentStatus.REFUNDED)

#: Kept forever or changed only through their own workflows (roll call, waitlist actions).
_NEVER_DELETED: dict[type, str] = {
    Attendance: "Attendance marks are history; change them in the roll call instead.",
    AuditEntry: "The audit log is never deleted.",
    OutgoingEmail: "The email outbox is a record of what was sent and is never deleted.",
    WaitlistEntry: "Remove a waitlist entry with the 'remove from waitlist' action, "
    "which keeps the line in order and records a reason.",
}


def delete_blockers(session: Session, entity: object) -> list[str]:
    """Why ``entity`` may not be deleted, one sentence per reason; empty when it may."""
    refusal = _NEVER_DELETED.get(type(entity))
    if refusal:
        return [refusal]
    if isinstance(entity, School):
        return _school_blockers(session, entity)
    if isinstance(entity, Student):
        return _student_blockers(session, entity)
    if isinstance(entity, Course):
        return _course_blockers(session, entity)
    if isinstance(entity, ClassSession):
        return _session_blockers(session, entity)
    if isinstance(entity, Registration):
        return _registration_blockers(session, entity)
    return []


def delete_entity(db: Database, *, model: type, entity_id: int, actor: Actor) -> None:
    """Delete one row the admin panel shows, or raise ``DeleteRefused`` saying why not."""
    with db.write() as session:
        delete_entity_in_session(session, model=model, entity_id=entity_id, actor=actor)
        try:
            session.commit()
        except IntegrityError as error:
            # A row added since the check (or a rule the checks do not know) still holds it.
            raise DeleteRefused(
                f"{model.__name__} #{entity_id} is still referenced by other records "
                "and cannot be deleted."
            ) from error


def delete_entity_in_session(
    session: Session, *, model: type, entity_id: int, actor: Actor
) -> None:
    """Check, audit and delete inside the caller's transaction (never commits)."""
    entity = session.get(model, entity_id)
    if entity is None:
        raise NotFound(f"{model.__name__} #{entity_id} does not exist (already deleted?).")
    blockers = delete_blockers(session, entity)
    if blockers:
        raise DeleteRefused(f"Cannot delete {_label(entity)}: " + " ".join(blockers))
    before = audit.snapshot(entity, [attr.key for attr in inspect(type(entity)).column_attrs])
    changes = {name: [_plain(value), None] for name, value in before.items()}
    audit.record(session, actor, "delete", entity, changes)
    session.delete(entity)
    session.flush()


def _school_blockers(session: Session, school: School) -> list[str]:
    reasons = []
    signups = _count(session, Registration, Registration.school_id == school.id)  # type: ignore[arg-type]
    if signups:
        reasons.append(
            f"{signups} sign-up(s) came through this school and keep its payment and "
            "attendance history."
        )
    students = _count(session, Student, Student.school_id == school.id)  # type: ignore[arg-type]
    if students:
        reasons.append(f"{students} student(s) belong to it; move them to another school first.")
    return reasons


def _student_blockers(session: Session, student: Student) -> list[str]:
    count = _count(session, Registration, Registration.student_id == student.id)  # type: ignore[arg-type]
    if count:
        return [
            f"they have {count} registration(s) with payment and attendance history. "
            "Cancel a registration instead of deleting the student."
        ]
    return []


def _course_blockers(session: Session, course: Course) -> list[str]:
    count = _count(session, Registration, Registration.course_id == course.id)  # type: ignore[arg-type]
    if count:
        return [
            f"it has {count} registration(s) with payment and attendance history. "
            "Unpublish the course or cancel its registrations instead."
        ]
    return []


def _session_blockers(session: Session, class_session: ClassSession) -> list[str]:
    reasons = []
    marks = _count(session, Attendance, Attendance.session_id == class_session.id)  # type: ignore[arg-type]
    if marks:
        reasons.append(f"{marks} attendance mark(s) were taken at it.")
    drop_ins = _count(
        session,
        Registration,
        Registration.drop_in_session_id == class_session.id,  # type: ignore[arg-type]
    )
    if drop_ins:
        reasons.append(f"{drop_ins} drop-in registration(s) are for it.")
    return reasons


def _registration_blockers(session: Session, registration: Registration) -> list[str]:
    reasons = []
    if registration.payment_status in _PAID:
        reasons.append(
            f"its payment is {registration.payment_status}; that payment history must be kept. "
            "Cancel or refund it instead."
        )
    marks = _count(session, Attendance, Attendance.registration_id == registration.id)  # type: ignore[arg-type]
    if marks:
        reasons.append(f"it has {marks} attendance mark(s). Cancel it instead.")
    return reasons


def _count(session: Session, model: type, condition: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(condition)) or 0)


def _label(entity: object) -> str:
    return f"{type(entity).__name__.lower()} '{entity}'"


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
