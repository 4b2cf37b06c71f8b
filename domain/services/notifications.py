"""Emails staff send again on request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import InvalidTransition, NotFound, ValidationError
from domain.model import Course, Registration, Student
from domain.services.emailed_urls import send_confirmation
from domain.services.settings import load_settings


def resend_confirmation(
    db: Database, *, registration_id: int, actor: Actor, now: datetime | None = None
) -> None:
    """Queue the "registration received" email again, with fresh view and cancel links.

    Refused for a cancelled registration, a student without an email address, or
    when emails are switched off, so staff are never told an email went when none did.
    """
    with db.write() as session:
        resend_confirmation_in_session(
            session, registration_id=registration_id, actor=actor, now=now
        )
        session.commit()


def resend_confirmation_in_session(
    session: Session, *, registration_id: int, actor: Actor, now: datetime | None = None
) -> None:
    """``resend_confirmation`` inside the caller's transaction; the caller commits."""
    now = now or utcnow()
    settings = load_settings(session)
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(f"There is no registration with id {registration_id}.")
    if registration.is_cancelled:
        raise InvalidTransition("This registration is cancelled; there is nothing to confirm.")
    student = session.get(Student, registration.student_id)
    course = session.get(Course, registration.course_id)
    if student is None or course is None:
        raise NotFound(f"Registration {registration_id} has no student or course.")
    if not student.email:
        raise ValidationError(f"{student.full_name} has no email address to send to.")
    if not settings.emails_enabled:
        raise ValidationError("Emails are switched off in the settings.")
    send_confirmation(
        session, registration, course=course, student=student, settings=settings, now=now
    )
    audit.record(
        session, actor, "registration.resend_confirmation", registration, reason=student.email
    )
