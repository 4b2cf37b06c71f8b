"""The waitlist line inside a unit of work: order, leaving, renumbering and making offers.

Every function here expects the caller to hold the course's capacity lock
(``lock_course``), so the line of one course changes one transaction at a time.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.db.tables import waitlist_entries
from domain.emails.waitlist import waitlist_offer
from domain.enums import IN_LINE_WAITLIST_STATUSES, WaitlistStatus
from domain.errors import NotFound
from domain.model import Course, Student, WaitlistEntry
from domain.outbox import queue_email
from domain.rules.settings import Settings
from domain.rules.waitlist import (
    OFFER_TOKEN_BYTES,
    hash_offer_token,
    offer_expires_at,
    seats_to_offer,
)
from domain.services.emailed_urls import CLAIM_PATH, DECLINE_PATH, emailed_url
from domain.services.seats import course_occupancy

_OFFER_FIELDS = ("status", "offer_sent_at", "offer_expires_at")


def waitlist_order() -> tuple[ColumnElement[Any], ...]:
    """The order of a course's waitlist entries, for the line and every list of them.

    Those in line come first, by position (1 = next); those who have left (no
    position) follow in the order they joined; the id breaks ties. Written out,
    not left to the database: PostgreSQL sorts a missing position last and
    SQLite first.
    """
    w = waitlist_entries.c
    return (w.position.is_(None), w.position, w.joined_at, w.id)


def line(session: Session, course_id: int) -> list[WaitlistEntry]:
    """The entries still in line (waiting or offered), first in line first."""
    w = waitlist_entries.c
    return list(
        session.scalars(
            select(WaitlistEntry)
            .where(w.course_id == course_id, w.status.in_(IN_LINE_WAITLIST_STATUSES))
            .order_by(*waitlist_order())
            .execution_options(populate_existing=True)
        )
    )


def next_position(session: Session, course_id: int) -> int:
    w = waitlist_entries.c
    last = session.scalar(select(func.max(w.position)).where(w.course_id == course_id))
    return int(last or 0) + 1


def renumber(session: Session, ordered: list[WaitlistEntry]) -> None:
    """Give ``ordered`` the positions 1..n.

    In two steps, through negative positions, so that the unique (course,
    position) constraint holds after every single UPDATE on both databases.
    """
    if all(entry.position == place for place, entry in enumerate(ordered, start=1)):
        return
    for place, entry in enumerate(ordered, start=1):
        entry.position = -place
    session.flush()
    for entry in ordered:
        entry.position = -(entry.position or 0)
    session.flush()


def leave_line(
    session: Session, entry: WaitlistEntry, *, status: WaitlistStatus, now: datetime
) -> None:
    """Take ``entry`` out of the line with ``status``; everyone behind moves up one place."""
    entry.status = status
    entry.position = None
    entry.left_at = now
    session.flush()
    renumber(session, line(session, entry.course_id or 0))


def expire_stale_offers(session: Session, course: Course, *, now: datetime) -> int:
    """Offers of this course past their time leave the line as expired; returns how many."""
    actor = Actor.system("offer expiry")
    expired = 0
    for entry in line(session, course.id or 0):
        due = entry.offer_expires_at
        if entry.status == WaitlistStatus.OFFERED and due is not None and due <= now:
            before = audit.snapshot(entry, ["status", "position"])
            # The hash stays, so the link can still say "expired" rather than "invalid".
            leave_line(session, entry, status=WaitlistStatus.EXPIRED, now=now)
            audit.record(session, actor, "waitlist.offer_expire", entry, audit.diff(before, entry))
            expired += 1
    return expired


def offer_free_seats(
    session: Session, course: Course, *, actor: Actor, settings: Settings, now: datetime
) -> list[str]:
    """Offer every free, unpromised seat to the next waiting students; returns the tokens."""
    expire_stale_offers(session, course, now=now)
    waiting = [e for e in line(session, course.id or 0) if e.status == WaitlistStatus.WAITING]
    occupancy = course_occupancy(session, course, now=now)
    count = seats_to_offer(
        free_seats=occupancy.left_for_package(),
        outstanding_offers=occupancy.offers,
        waiting=len(waiting),
    )
    return [
        make_offer(session, entry, course, actor=actor, settings=settings, now=now)
        for entry in waiting[:count]
    ]


def make_offer(
    session: Session,
    entry: WaitlistEntry,
    course: Course,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> str:
    """Offer ``entry`` a seat: a fresh single-use token, emailed; only its hash is stored."""
    token = secrets.token_urlsafe(OFFER_TOKEN_BYTES)
    before = audit.snapshot(entry, _OFFER_FIELDS)
    entry.status = WaitlistStatus.OFFERED
    entry.offer_sent_at = now
    entry.offer_expires_at = offer_expires_at(now, settings.offer_hours)
    entry.offer_token_hash = hash_offer_token(token)
    session.flush()
    audit.record(session, actor, "waitlist.offer", entry, audit.diff(before, entry))
    student = session.get(Student, entry.student_id)
    if student is None:
        raise NotFound("The waitlist entry's student does not exist.")
    queue_email(
        session,
        waitlist_offer(
            course=course,
            student=student,
            claim_url=emailed_url(session, CLAIM_PATH, token),
            decline_url=emailed_url(session, DECLINE_PATH, token),
            expires_at=entry.offer_expires_at,
            settings=settings,
        ),
        settings,
    )
    return token


def seat_freed_in_session(
    session: Session, course: Course, *, actor: Actor, settings: Settings, now: datetime
) -> None:
    """A seat of ``course`` came free (cancellation, expired hold, more capacity).

    Called inside the caller's transaction, with the course locked. When
    automatic offers are on, every free seat not yet offered goes to the next
    waiting students; otherwise staff offer it with ``offer_next_seat``.
    """
    if settings.automatic_offers:
        offer_free_seats(session, course, actor=actor, settings=settings, now=now)
