"""Links to a registration's public pages, and the "registration received" email."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.config import public_base_url
from domain.emails import registration as messages
from domain.enums import LinkPurpose
from domain.link_tokens import issue_link
from domain.model import Course, Registration, Student
from domain.outbox import queue_email
from domain.rules.payment import format_course_dates, payment_instructions
from domain.rules.settings import Settings

#: Emailed registration links stay valid this long after the course ends.
LINK_GRACE = timedelta(days=30)
#: Paths of the public pages the emailed links open.
VIEW_PATH = "/registrations/{token}"
CANCEL_PATH = "/registrations/cancel/{token}"


def public_url(path: str) -> str:
    """An absolute link to a public page under ``BASE_URL``."""
    return public_base_url() + path


def link_ttl(course: Course, *, now: datetime) -> timedelta:
    """Emailed links work until a month after the course ends."""
    last = course.ends_at or course.starts_at
    return max(last + LINK_GRACE - now, timedelta(days=1))


def send_confirmation(
    session: Session,
    registration: Registration,
    *,
    course: Course,
    student: Student,
    send_email: bool = True,
    settings: Settings,
    now: datetime,
) -> str:
    """Issue a view link (returned) and, for a student with an email, queue the confirmation."""
    ttl = link_ttl(course, now=now)
    view_token = issue_link(
        session,
        purpose=LinkPurpose.VIEW_REGISTRATION,
        registration_id=registration.id,
        ttl=ttl,
        now=now,
    )
    if not (send_email and student.email):
        return view_token
    cancel_token = issue_link(
        session,
        purpose=LinkPurpose.CANCEL_REGISTRATION,
        registration_id=registration.id,
        ttl=ttl,
        now=now,
    )
    instructions = payment_instructions(
        registration_id=registration.id or 0,
        course_title=course.title,
        course_dates=format_course_dates(
            course.starts_at, course.ends_at, timezone=settings.timezone
        ),
        amount=registration.amount_due,
        settings=settings,
    )
    email = messages.registration_received(
        registration=registration,
        course=course,
        student=student,
        instructions=instructions,
        view_url=public_url(VIEW_PATH.format(token=view_token)),
        cancel_url=public_url(CANCEL_PATH.format(token=cancel_token)),
        settings=settings,
    )
    queue_email(session, email, settings)
    return view_token
