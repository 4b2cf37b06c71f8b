"""A signed-in student's own bookings: what they booked, what they owe, where to be when.

Every function takes the student's id (from the visitor's signed cookie, never
from a form) and looks only at that student's rows: a registration of anyone
else is ``NotFound``, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from domain import formatting
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import IN_LINE_WAITLIST_STATUSES, PaymentStatus
from domain.errors import NotFound
from domain.model import Student
from domain.rules.payment import PaymentInstructions, payment_instructions
from domain.rules.schedule import local_date
from domain.rules.settings import Settings
from domain.services.attendance_roster import on_roster_clause
from domain.services.calendar import session_location
from domain.services.payments import cancel_registration_in_session
from domain.services.settings import load_settings
from domain.services.waitlist_line import waitlist_order

#: The reason a cancellation from "my bookings" carries in the audit log and the email.
CANCELLED_ON_MY_BOOKINGS = "Cancelled by the student on their bookings page."
NOT_YOURS = "You have no such booking. It may belong to another address."


@dataclass(frozen=True)
class Booking:
    """One of the student's registrations, as their page shows it."""

    registration_id: int
    course_id: int
    course_title: str
    course_starts_at: datetime
    course_ends_at: datetime | None
    location: str
    #: The course has a public page to link to.
    course_published: bool
    pricing_type: str
    #: The class a drop-in is for; None for the full course.
    drop_in_date: date | None
    drop_in_time: time | None
    amount_due: Decimal
    payment_status: str
    cancelled_at: datetime | None
    hold_expires_at: datetime | None
    #: How to pay, for a pending registration that is not cancelled; else None.
    instructions: PaymentInstructions | None
    #: Not cancelled and not over (the course has not ended, the drop-in's day not passed).
    is_current: bool


@dataclass(frozen=True)
class WaitingPlace:
    """A place in a course's waitlist line (waiting, or offered a seat)."""

    course_id: int
    course_title: str
    course_starts_at: datetime
    course_published: bool
    position: int
    status: str
    offer_expires_at: datetime | None


@dataclass(frozen=True)
class BookedSession:
    """A class session the student is expected at."""

    session_id: int
    registration_id: int
    course_title: str
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str


@dataclass(frozen=True)
class MyBookings:
    student_name: str
    email: str
    #: Current bookings by course start, then earlier and cancelled ones, latest first.
    bookings: list[Booking]
    waiting: list[WaitingPlace]
    #: Sessions from today on (the studio's date), of the bookings that hold a seat.
    upcoming: list[BookedSession]
    #: The organisation's time zone and currency, to put the values above into words.
    timezone: str
    currency: str

    @property
    def current(self) -> list[Booking]:
        return [b for b in self.bookings if b.is_current]

    @property
    def earlier(self) -> list[Booking]:
        return [b for b in self.bookings if not b.is_current]


def _student(session: Session, student_id: int) -> Student:
    student = session.get(Student, student_id)
    if student is None:
        raise NotFound(NOT_YOURS)
    return student


def _bookings_query(student_id: int) -> Select[Any]:
    r, c, ds = t.registrations.c, t.courses.c, t.class_sessions.c
    return (
        select(
            r.id.label("registration_id"),
            c.id.label("course_id"),
            c.title,
            c.starts_at,
            c.ends_at,
            c.location,
            c.is_published,
            r.pricing_type,
            ds.session_date.label("drop_in_date"),
            ds.start_time.label("drop_in_time"),
            r.amount_due,
            r.payment_status,
            r.cancelled_at,
            r.hold_expires_at,
        )
        .select_from(t.registrations)
        .join(t.courses, c.id == r.course_id)
        .outerjoin(t.class_sessions, ds.id == r.drop_in_session_id)
        .where(r.student_id == student_id)
    )


def _booking(row: Row[Any], settings: Settings, now: datetime) -> Booking:
    instructions = None
    if row.payment_status == PaymentStatus.PENDING and row.cancelled_at is None:
        instructions = payment_instructions(
            registration_id=row.registration_id,
            course_title=row.title,
            course_dates=formatting.course_dates(row.starts_at, row.ends_at, settings.timezone),
            amount=row.amount_due,
            settings=settings,
        )
    return Booking(
        registration_id=row.registration_id,
        course_id=row.course_id,
        course_title=row.title,
        course_starts_at=row.starts_at,
        course_ends_at=row.ends_at,
        location=row.location or "",
        course_published=bool(row.is_published),
        pricing_type=row.pricing_type,
        drop_in_date=row.drop_in_date,
        drop_in_time=row.drop_in_time,
        amount_due=row.amount_due,
        payment_status=row.payment_status,
        cancelled_at=row.cancelled_at,
        hold_expires_at=row.hold_expires_at,
        instructions=instructions,
        is_current=row.cancelled_at is None and not _over(row, settings, now),
    )


def _over(row: Row[Any], settings: Settings, now: datetime) -> bool:
    """A drop-in is over once its class's day has passed; a full course once it ends."""
    if row.drop_in_date is not None:
        return bool(row.drop_in_date < local_date(now, settings.timezone))
    return bool((row.ends_at or row.starts_at) <= now)


def _waiting(session: Session, student_id: int) -> list[WaitingPlace]:
    w, c = t.waitlist_entries.c, t.courses.c
    rows = session.execute(
        select(c.id, c.title, c.starts_at, c.is_published, w.position, w.status, w.offer_expires_at)
        .select_from(t.waitlist_entries)
        .join(t.courses, c.id == w.course_id)
        .where(w.student_id == student_id, w.status.in_(IN_LINE_WAITLIST_STATUSES))
        .order_by(c.starts_at, *waitlist_order())
    ).all()
    return [
        WaitingPlace(
            course_id=row[0],
            course_title=row[1],
            course_starts_at=row[2],
            course_published=bool(row[3]),
            position=int(row[4] or 0),
            status=row[5],
            offer_expires_at=row[6],
        )
        for row in rows
    ]


def booked_sessions(
    session: Session,
    student_id: int,
    *,
    now: datetime,
    since: date | None = None,
    registration_id: int | None = None,
) -> list[BookedSession]:
    """The sessions the student's seat-holding registrations take them to, in time order.

    Who is expected at a session is the roster's rule (``on_roster_clause``): the
    full course's sessions, or a drop-in's own one. One statement.
    """
    r, cs, c = t.registrations.c, t.class_sessions.c, t.courses.c
    query = (
        select(
            cs.id, r.id, c.title, cs.session_date, cs.start_time, cs.end_time, session_location()
        )
        .select_from(t.class_sessions)
        .join(t.registrations, r.course_id == cs.course_id)
        .join(t.courses, c.id == cs.course_id)
        .outerjoin(t.course_slots, t.course_slots.c.id == cs.slot_id)
        .where(r.student_id == student_id, on_roster_clause(cs.id, now))
        .order_by(cs.session_date, cs.start_time, c.title, cs.id)
    )
    if since is not None:
        query = query.where(cs.session_date >= since)
    if registration_id is not None:
        query = query.where(r.id == registration_id)
    return [
        BookedSession(
            session_id=row[0],
            registration_id=row[1],
            course_title=row[2],
            session_date=row[3],
            start_time=row[4],
            end_time=row[5],
            location=row[6] or "",
        )
        for row in session.execute(query).all()
    ]


def my_bookings(session: Session, student_id: int, *, now: datetime | None = None) -> MyBookings:
    """Everything the student's page lists, in five statements whatever their number."""
    now = now or utcnow()
    student = _student(session, student_id)
    settings = load_settings(session)
    bookings = [
        _booking(row, settings, now)
        for row in session.execute(
            _bookings_query(student_id).order_by(t.courses.c.starts_at, t.registrations.c.id)
        ).all()
    ]
    current = [b for b in bookings if b.is_current]
    earlier = sorted(
        (b for b in bookings if not b.is_current),
        key=lambda b: (b.course_starts_at, b.registration_id),
        reverse=True,
    )
    return MyBookings(
        student_name=student.full_name,
        email=student.email or "",
        bookings=current + earlier,
        waiting=_waiting(session, student_id),
        upcoming=booked_sessions(
            session, student_id, now=now, since=local_date(now, settings.timezone)
        ),
        timezone=settings.timezone,
        currency=settings.currency,
    )


def my_booking(
    session: Session, student_id: int, registration_id: int, *, now: datetime | None = None
) -> Booking:
    """One of the student's own registrations; ``NotFound`` for any other."""
    now = now or utcnow()
    row = session.execute(
        _bookings_query(student_id).where(t.registrations.c.id == registration_id)
    ).one_or_none()
    if row is None:
        raise NotFound(NOT_YOURS)
    return _booking(row, load_settings(session), now)


def cancel_my_registration(
    db: Database,
    *,
    student_id: int,
    registration_id: int,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Cancel one of the student's own registrations, by the rules the emailed cancel link
    follows (``cancel_registration_in_session``): audited, emailed, seat offered on."""
    with db.write() as session:
        owner = session.scalar(
            select(t.registrations.c.student_id).where(t.registrations.c.id == registration_id)
        )
        if owner is None or owner != student_id:
            raise NotFound(NOT_YOURS)
        cancel_registration_in_session(
            session,
            registration_id=registration_id,
            reason=CANCELLED_ON_MY_BOOKINGS,
            actor=actor,
            now=now,
        )
        session.commit()
