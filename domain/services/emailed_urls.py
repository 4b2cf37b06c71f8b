"""The links emails carry to the public site's pages, and the "registration received" email.

The paths are written here once; ``public_site`` serves these very strings as
its routes. The address in front of them is the public site's ``BASE_URL``,
which the ``Database`` the session came from was opened with.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain import formatting
from domain.db.database import public_base_url
from domain.emails import registration as messages
from domain.enums import LinkPurpose
from domain.link_tokens import issue_link
from domain.model import Course, Registration, Student
from domain.outbox import queue_email
from domain.rules.payment import payment_instructions
from domain.rules.settings import Settings
from domain.services.calendar_feeds import with_calendar

#: Emailed registration links stay valid this long after the course ends.
LINK_GRACE = timedelta(days=30)
#: Paths of the public pages the emailed links open, ``{token}`` standing for the link's token.
VIEW_PATH = "/registrations/{token}"
CANCEL_PATH = "/registrations/cancel/{token}"
CLAIM_PATH = "/offers/{token}/claim"
DECLINE_PATH = "/offers/{token}/decline"
PROFILE_PATH = "/profile/{token}"
#: A student's single-use link to "my bookings" (domain.services.student_sign_in).
SIGN_IN_PATH = "/my-bookings/sign-in/{token}"
#: Where a student asks for that link; registration emails point to it.
MY_BOOKINGS_PATH = "/my-bookings/"
SCHOOL_SIGN_IN_PATH = "/my-school/sign-in/{token}"
#: A certificate of attendance's public check and its PDF, ``{token}`` its shown code.
CERTIFICATE_PATH = "/certificates/{token}"
CERTIFICATE_PDF_PATH = "/certificates/{token}/certificate.pdf"
EMAILED_PATHS = (
    VIEW_PATH,
    CANCEL_PATH,
    CLAIM_PATH,
    DECLINE_PATH,
    PROFILE_PATH,
    SIGN_IN_PATH,
    MY_BOOKINGS_PATH,
    SCHOOL_SIGN_IN_PATH,
    CERTIFICATE_PATH,
    CERTIFICATE_PDF_PATH,
)


def emailed_url(session: Session, path: str, token: str) -> str:
    """The absolute link to one of ``EMAILED_PATHS`` for ``token``, under the public address."""
    return public_base_url(session) + path.format(token=token)


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
        course_dates=formatting.course_dates(course.starts_at, course.ends_at, settings.timezone),
        amount=registration.amount_due,
        settings=settings,
    )
    email = messages.registration_received(
        registration=registration,
        course=course,
        student=student,
        instructions=instructions,
        view_url=emailed_url(session, VIEW_PATH, view_token),
        cancel_url=emailed_url(session, CANCEL_PATH, cancel_token),
        bookings_url=public_base_url(session) + MY_BOOKINGS_PATH,
        settings=settings,
    )
    email = with_calendar(session, email, registration.id or 0, now=now)
    queue_email(session, email, settings)
    return view_token


def cancel_url(session: Session, registration_id: int, course: Course, *, now: datetime) -> str:
    """A new emailed cancel link for the registration, valid as long as its other links."""
    token = issue_link(
        session,
        purpose=LinkPurpose.CANCEL_REGISTRATION,
        registration_id=registration_id,
        ttl=link_ttl(course, now=now),
        now=now,
    )
    return emailed_url(session, CANCEL_PATH, token)
