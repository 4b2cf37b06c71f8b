"""A student signs in to "my bookings" with a single-use link emailed to them.

Asking for the link shows nothing and writes nothing for an unknown address, so
the page tells no one who is a student; only the mailbox's owner can open it.
Opening it spends it (a POST, so a mail scanner fetching the link does not) and
names the student the visitor cookie then carries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails.sign_in import student_sign_in_link
from domain.enums import LinkPurpose
from domain.errors import LinkInvalid
from domain.link_tokens import UNKNOWN_MESSAGE, find_link, issue_link, use_link
from domain.model import Student
from domain.outbox import queue_email
from domain.rules.contact_details import normalise_email
from domain.services.emailed_urls import SIGN_IN_PATH, emailed_url
from domain.services.settings import load_settings

#: A sign-in link opens every booking and can cancel them, so it lives only as long
#: as reading one's mail takes (an hour covers a slow delivery); a new one is a
#: form away, and the sign-in it gives lasts the visitor cookie's two hours.
SIGN_IN_LINK_TTL = timedelta(hours=1)


def request_sign_in_link(
    db: Database, *, email: str, actor: Actor, now: datetime | None = None
) -> bool:
    """Email a sign-in link to the student with ``email``; False (nothing written) if none.

    The caller must answer the same either way, and not wait for this to answer.
    """
    now = now or utcnow()
    address = normalise_email(email)
    with db.write() as session:
        student = session.scalars(
            select(Student).where(t.students.c.email == address)
        ).one_or_none()
        if student is None:
            return False
        token = issue_link(
            session,
            purpose=LinkPurpose.STUDENT_SIGN_IN,
            student_id=student.id,
            ttl=SIGN_IN_LINK_TTL,
            now=now,
        )
        settings = load_settings(session)
        email_message = student_sign_in_link(
            student=student,
            url=emailed_url(session, SIGN_IN_PATH, token),
            valid_for=SIGN_IN_LINK_TTL,
            settings=settings,
        )
        queue_email(session, email_message, settings)
        audit.record(session, actor, "student.sign_in_link", student, now=now)
        session.commit()
        return True


def student_by_sign_in_link(session: Session, token: str, *, now: datetime) -> Student:
    """The student a live sign-in link belongs to; ``LinkInvalid`` says why there is none."""
    link = find_link(session, token, LinkPurpose.STUDENT_SIGN_IN, now=now)
    student = session.get(Student, link.student_id) if link.student_id else None
    if student is None:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    return student


def sign_in_student(db: Database, *, token: str, actor: Actor, now: datetime | None = None) -> int:
    """Spend the sign-in link and return its student's id; ``LinkInvalid`` if it cannot be used."""
    now = now or utcnow()
    with db.write() as session:
        link = use_link(session, token, LinkPurpose.STUDENT_SIGN_IN, now=now)
        student = session.get(Student, link.student_id) if link.student_id else None
        if student is None or student.id is None:
            raise LinkInvalid(UNKNOWN_MESSAGE)
        audit.record(session, actor, "student.sign_in", student, now=now)
        session.commit()
        return student.id
