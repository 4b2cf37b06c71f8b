"""Calendar feeds: a published course's (public), a student's bookings (private) and every
session (staff), plus the calendar file attached to a booking's emails.

A private feed's address holds a token of 256 bits. The token is derived from the
site's secret key and a random salt stored with the feed (HMAC-SHA-256), and only
its SHA-256 is stored, so a copy of the database alone opens no feed, while the
student's page can still show their link. Renewing a feed draws a new salt: the
old address stops working at once. Each feed costs the same few statements
whatever the number of sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Row, Select, and_, delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database, public_base_url
from domain.db.tables import calendar_feeds, class_sessions, course_slots, courses, registrations
from domain.errors import NotFound
from domain.link_tokens import hash_token
from domain.outbox import Attachment, Email
from domain.rules.calendar_events import SessionEvent, calendar_file, latest
from domain.services.calendar import session_location
from domain.services.seats import holds_seat_clause
from domain.services.settings import load_settings

CONTENT_TYPE = "text/calendar"
#: Where the public site serves the private feeds (the admin shows the staff one).
STUDENT_FEED_PATH = "/calendar/classes/{token}.ics"
STAFF_FEED_PATH = "/calendar/staff/{token}.ics"
#: The staff feed shows sessions from this long ago on.
STAFF_FEED_HISTORY = timedelta(days=365)
_MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class CalendarFeed:
    """A private feed, as the audit log names it."""

    id: int


@dataclass(frozen=True)
class CalendarFile:
    filename: str
    content: bytes


def feed_token(secret_key: str, salt: str) -> str:
    """The token of the feed stored with ``salt``: 43 URL-safe characters (256 bits)."""
    digest = hmac.new(
        secret_key.encode("utf-8"), f"rollbook-calendar-feed:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


# --- the feeds ---------------------------------------------------------------


def course_feed(session: Session, course_id: int, *, now: datetime | None = None) -> CalendarFile:
    """Every session of a published course; ``NotFound`` for any other course."""
    now = now or utcnow()
    title = session.scalar(
        select(courses.c.title).where(courses.c.id == course_id, courses.c.is_published)
    )
    if title is None:
        raise NotFound("There is no such course.")
    events = _session_events(session, courses.c.id == course_id)
    return _file(session, events, name=title, filename=f"course-{course_id}.ics", now=now)


def student_feed(session: Session, token: str, *, now: datetime | None = None) -> CalendarFile:
    """The sessions of every booking of the student the token belongs to.

    A booking that no longer holds its seat (cancelled, unpaid past its hold,
    refunded) shows its sessions as cancelled. ``NotFound`` for an unknown token.
    """
    now = now or utcnow()
    student_id = _feed_owner(session, token, staff=False)
    cs, r = class_sessions.c, registrations.c
    holding = holds_seat_clause(now).label("holding")
    rows = session.execute(
        _session_query(holding, r.updated_at.label("booking_changed_at"))
        .join(
            registrations,
            and_(
                r.course_id == cs.course_id,
                or_(r.drop_in_session_id.is_(None), r.drop_in_session_id == cs.id),
            ),
        )
        .where(r.student_id == student_id)
    ).all()
    events: dict[int, SessionEvent] = {}
    for row in rows:
        event = _event(row, booking_held=bool(row.holding), booking_changed=row.booking_changed_at)
        kept = events.get(event.session_id)
        # A seat held on the session wins over an older cancelled booking of it.
        if kept is None or (kept.cancelled and not event.cancelled):
            events[event.session_id] = event
    return _file(
        session, _ordered(events.values()), name="My classes", filename="classes.ics", now=now
    )


def staff_feed(session: Session, token: str, *, now: datetime | None = None) -> CalendarFile:
    """Every session from a year ago on, of every course; ``NotFound`` for a wrong token."""
    now = now or utcnow()
    _feed_owner(session, token, staff=True)
    since = (now - STAFF_FEED_HISTORY).date()
    events = _session_events(session, class_sessions.c.session_date >= since)
    return _file(session, events, name="All classes", filename="all-classes.ics", now=now)


def booking_attachment(
    session: Session, registration_id: int, *, now: datetime | None = None
) -> Attachment | None:
    """The .ics of a booking's sessions (the drop-in's one), for its emails; None if none."""
    now = now or utcnow()
    r, cs = registrations.c, class_sessions.c
    events = _session_events(
        session,
        and_(
            r.id == registration_id,
            or_(r.drop_in_session_id.is_(None), r.drop_in_session_id == cs.id),
        ),
        join_registrations=True,
    )
    if not events:
        return None
    calendar = _file(
        session,
        events,
        name=events[0].course_title,
        filename=f"booking-{registration_id}.ics",
        now=now,
    )
    return Attachment(
        filename=calendar.filename,
        content_type=CONTENT_TYPE,
        content=calendar.content.decode("utf-8"),
    )


def with_calendar(session: Session, email: Email, registration_id: int, *, now: datetime) -> Email:
    """``email`` with the booking's calendar file attached (unchanged when it has no session)."""
    attachment = booking_attachment(session, registration_id, now=now)
    if attachment is None:
        return email
    return replace(email, attachments=(*email.attachments, attachment))


def _session_query(*extra: ColumnElement[Any]) -> Select[Any]:
    cs, c = class_sessions.c, courses.c
    return (
        select(
            cs.id,
            c.title,
            cs.session_date,
            cs.start_time,
            cs.end_time,
            session_location().label("place"),
            cs.cancelled_at,
            cs.updated_at,
            *extra,
        )
        .select_from(class_sessions)
        .join(courses, c.id == cs.course_id)
        .outerjoin(course_slots, course_slots.c.id == cs.slot_id)
        .order_by(cs.session_date, cs.start_time, c.title, cs.id)
    )


def _session_events(
    session: Session, condition: ColumnElement[bool], *, join_registrations: bool = False
) -> list[SessionEvent]:
    query = _session_query()
    if join_registrations:
        query = query.join(registrations, registrations.c.course_id == class_sessions.c.course_id)
    return [_event(row) for row in session.execute(query.where(condition)).all()]


def _event(
    row: Row[Any], *, booking_held: bool = True, booking_changed: datetime | None = None
) -> SessionEvent:
    session_cancelled = row.cancelled_at is not None
    return SessionEvent(
        session_id=row.id,
        course_title=row.title,
        session_date=row.session_date,
        start_time=row.start_time,
        end_time=row.end_time,
        location=row.place or "",
        cancelled=session_cancelled or not booking_held,
        changed_at=latest(
            row.updated_at, row.cancelled_at, None if booking_held else booking_changed
        ),
    )


def _ordered(events: Iterable[SessionEvent]) -> list[SessionEvent]:
    return sorted(
        events, key=lambda e: (e.session_date, e.start_time is not None, e.start_time, e.session_id)
    )


def _file(
    session: Session, events: list[SessionEvent], *, name: str, filename: str, now: datetime
) -> CalendarFile:
    settings = load_settings(session)
    organisation = settings.organisation_name or "Rollbook"
    content = calendar_file(
        events,
        name=f"{name} ({organisation})",
        organisation=organisation,
        timezone=settings.timezone,
        host=urlsplit(public_base_url(session)).hostname or "rollbook",
        now=now,
    )
    return CalendarFile(filename=filename, content=content)


# --- private feeds' tokens ----------------------------------------------------


def _feed_owner(session: Session, token: str, *, staff: bool) -> int:
    """The student whose feed ``token`` opens (0 for the staff feed); ``NotFound`` otherwise."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise NotFound("There is no such calendar.")
    f = calendar_feeds.c
    row = session.execute(
        select(f.id, f.student_id).where(f.token_hash == hash_token(token))
    ).first()
    if row is None or (row.student_id is None) != staff:
        raise NotFound("There is no such calendar.")
    return int(row.student_id or 0)


def student_feed_token(db: Database, student_id: int, *, secret_key: str) -> str:
    """The student's feed token, made on first use."""
    f = calendar_feeds.c
    with db.read() as session:
        salt = session.scalar(select(f.salt).where(f.student_id == student_id))
    if salt is not None:
        return feed_token(secret_key, salt)
    try:
        with db.write() as session:
            token = _new_feed(session, student_id, secret_key=secret_key)
            session.commit()
            return token
    except IntegrityError:
        # Another request made it first (one feed per student): use that one.
        with db.read() as session:
            salt = session.scalar(select(f.salt).where(f.student_id == student_id))
        if salt is None:
            raise
        return feed_token(secret_key, salt)


def renew_student_feed(db: Database, student_id: int, *, actor: Actor, secret_key: str) -> str:
    """Stop the student's feed address and give them a new one; audited."""
    with db.write() as session:
        session.execute(delete(calendar_feeds).where(calendar_feeds.c.student_id == student_id))
        token = _new_feed(session, student_id, secret_key=secret_key)
        feed_id = session.scalar(
            select(calendar_feeds.c.id).where(calendar_feeds.c.student_id == student_id)
        )
        audit.record(session, actor, "calendar_feed.renew", CalendarFeed(id=feed_id or 0))
        session.commit()
        return token


def staff_feed_token(db: Database, *, secret_key: str) -> str | None:
    """The staff feed's token, or None when a superuser has not made one yet."""
    with db.read() as session:
        salt = session.scalar(
            select(calendar_feeds.c.salt).where(calendar_feeds.c.student_id.is_(None))
        )
    return None if salt is None else feed_token(secret_key, salt)


def renew_staff_feed(db: Database, *, actor: Actor, secret_key: str) -> str:
    """Stop the staff feed's address (if any) and make a new one; audited."""
    with db.write() as session:
        session.execute(delete(calendar_feeds).where(calendar_feeds.c.student_id.is_(None)))
        token = _new_feed(session, None, secret_key=secret_key)
        feed_id = session.scalar(
            select(calendar_feeds.c.id).where(calendar_feeds.c.student_id.is_(None))
        )
        audit.record(session, actor, "calendar_feed.renew", CalendarFeed(id=feed_id or 0))
        session.commit()
        return token


def _new_feed(session: Session, student_id: int | None, *, secret_key: str) -> str:
    salt = secrets.token_hex(32)
    token = feed_token(secret_key, salt)
    session.execute(
        insert(calendar_feeds).values(
            token_hash=hash_token(token), salt=salt, student_id=student_id, created_at=utcnow()
        )
    )
    return token
