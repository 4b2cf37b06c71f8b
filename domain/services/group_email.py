"""One email written by staff to a group of students, through the outbox.

The group is the chosen registrations, everyone booked on a course, or everyone
on a class session's roster. ``preview_group_email`` shows who gets it and the
text as the first of them will read it; ``send_group_email`` queues one email
per student and audits each, in one transaction. Students without an email
address are named in the preview, never silently skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails.compose import Body, greeting, student_email
from domain.errors import ValidationError
from domain.model import Registration, Student
from domain.outbox import Email, queue_email
from domain.rules.contact_details import clean_line, clean_text
from domain.services.attendance_roster import course_of_session, on_roster_clause
from domain.services.seats import holds_seat_clause
from domain.services.settings import load_settings

KIND = "staff_message"
AUDIT_ACTION = "email.staff_message"


@dataclass(frozen=True)
class Audience:
    """Who an email is for: chosen registrations, a course's bookings, or a session's roster."""

    registration_ids: tuple[int, ...] = ()
    course_id: int | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class GroupEmailPreview:
    recipients: list[str]
    #: Students in the group who have no email address: they will not get it.
    without_email: list[str]
    subject: str
    text: str


def preview_group_email(
    db: Database, *, audience: Audience, subject: str, message: str, now: datetime | None = None
) -> GroupEmailPreview:
    """Who gets the email, who cannot, and the text the first recipient reads."""
    with db.read() as session:
        emails, without = _compose(session, audience, subject, message, now or utcnow())
        first = emails[0][1]
        return GroupEmailPreview(
            recipients=[f"{email.to_name} <{email.to_address}>" for _, email in emails],
            without_email=without,
            subject=first.subject,
            text=first.body_text,
        )


def send_group_email(
    db: Database,
    *,
    audience: Audience,
    subject: str,
    message: str,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Queue the email for each student in the group and audit each; how many were queued."""
    now = now or utcnow()
    with db.write() as session:
        emails, _ = _compose(session, audience, subject, message, now)
        settings = load_settings(session)
        for registration, email in emails:
            queue_email(session, email, settings)
            audit.record(session, actor, AUDIT_ACTION, registration, reason=email.subject, now=now)
        session.commit()
    return len(emails)


def _compose(
    session: Session, audience: Audience, subject: str, message: str, now: datetime
) -> tuple[list[tuple[Registration, Email]], list[str]]:
    subject = clean_line(subject, field="subject", label="The subject", max_length=150)
    message = clean_text(message, field="message", label="The message", max_length=10000)
    if not message:
        raise ValidationError("Write the message.", field="message")
    settings = load_settings(session)
    if not settings.emails_enabled:
        raise ValidationError("Emails are switched off in the settings.")
    emails: list[tuple[Registration, Email]] = []
    without: list[str] = []
    seen: set[int] = set()
    registrations = _registrations(session, audience, now)
    if not registrations:
        raise ValidationError("No one is booked here, so there is no one to write to.")
    for registration in registrations:
        if registration.student_id is None or registration.student_id in seen:
            continue
        seen.add(registration.student_id)
        student = session.get(Student, registration.student_id)
        if student is None:
            continue
        if not student.email:
            without.append(student.full_name)
            continue
        body = Body(greeting(student.first_name))
        for paragraph in message.split("\n\n"):
            if paragraph.strip():
                body.para(paragraph.strip())
        emails.append(
            (
                registration,
                student_email(
                    kind=KIND, student=student, subject=subject, body=body, settings=settings
                ),
            )
        )
    if not emails:
        raise ValidationError("No one in this group has an email address to send to.")
    return emails, without


def _registrations(session: Session, audience: Audience, now: datetime) -> Sequence[Registration]:
    r = t.registrations.c
    query = select(Registration).order_by(r.id)
    if audience.session_id is not None:
        course_id = course_of_session(session, audience.session_id)
        query = query.where(r.course_id == course_id, on_roster_clause(audience.session_id, now))
    elif audience.course_id is not None:
        query = query.where(r.course_id == audience.course_id, holds_seat_clause(now))
    else:
        ids = list(dict.fromkeys(audience.registration_ids))
        if not ids:
            raise ValidationError("Choose at least one registration.")
        query = query.where(r.id.in_(ids))
    return session.scalars(query).all()
