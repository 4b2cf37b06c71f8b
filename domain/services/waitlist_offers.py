"""Waitlist offers: make one, claim it, decline it, and let it expire and pass on.

An offer reserves one free seat for ``Settings.offer_hours``. Claiming registers
the student past the apparent capacity (the seat was theirs); declining or
letting it lapse passes the seat to the next student in line.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import waitlist_entries
from domain.enums import RegistrationSource, WaitlistStatus
from domain.errors import InvalidTransition, LinkInvalid, NotFound, OfferExpired
from domain.model import Course, Student, WaitlistEntry
from domain.rules import waitlist_moves
from domain.rules.waitlist import check_offer_claimable, hash_offer_token
from domain.rules.waitlist_moves import WaitlistMove
from domain.services.move_states import waitlist_entry_state_in
from domain.services.registration_core import (
    RegistrationOutcome,
    RegistrationRequest,
    register_in_session,
)
from domain.services.seats import lock_course, seats_open_to_book
from domain.services.settings import load_settings
from domain.services.waitlist_line import (
    expire_stale_offers,
    leave_line,
    line,
    make_offer,
    offer_free_seats,
    seat_freed_in_session,
)


def offer_next_seat(
    db: Database, *, course_id: int, actor: Actor, now: datetime | None = None
) -> str | None:
    """Offer a free seat to the first waiting student; returns the offer's raw token.

    Returns None when nobody is waiting. Raises ``InvalidTransition`` when no
    seat is free that is not already offered to someone (raise the capacity first).
    """
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        expire_stale_offers(session, course, now=now)
        waiting = [e for e in line(session, course_id) if e.status == WaitlistStatus.WAITING]
        if not waiting:
            session.commit()  # keeps any offers that just expired
            return None
        if seats_open_to_book(session, course, now=now) <= 0:
            raise _no_free_seat(course)
        token = make_offer(session, waiting[0], course, actor=actor, settings=settings, now=now)
        session.commit()
        return token


def offer_seat(db: Database, *, entry_id: int, actor: Actor, now: datetime | None = None) -> str:
    """Offer a free seat to this waitlist entry's student; returns the offer's raw token.

    Only while they wait, are next in line and a seat is free
    (``domain.rules.waitlist_moves``); otherwise refused with nothing changed.
    """
    now = now or utcnow()
    with db.write() as session:
        course_id = session.scalar(
            select(waitlist_entries.c.course_id).where(waitlist_entries.c.id == entry_id)
        )
        if course_id is None:
            raise NotFound(f"There is no waitlist entry with id {entry_id}.")
        # Course first, then the entry: the order every waitlist change locks in.
        course = lock_course(session, course_id)
        expire_stale_offers(session, course, now=now)
        entry = session.get(WaitlistEntry, entry_id, populate_existing=True)
        if entry is None:
            raise NotFound(f"There is no waitlist entry with id {entry_id}.")
        state = waitlist_entry_state_in(session, entry, course, now=now)
        why = waitlist_moves.refusal(WaitlistMove.OFFER_SEAT, state)
        if why is not None:
            session.commit()  # keeps any offers that just expired
            raise InvalidTransition(why)
        settings = load_settings(session)
        token = make_offer(session, entry, course, actor=actor, settings=settings, now=now)
        session.commit()
        return token


def claim_offer(
    db: Database, *, token: str, actor: Actor, now: datetime | None = None
) -> RegistrationOutcome:
    """Register the offered student, even though the course looks full; the link dies.

    Raises ``OfferExpired`` for an offer past its time (which then passes on) and
    ``LinkInvalid`` for a used, withdrawn or unknown link.
    """
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        entry, course = _open_offer(session, token, now=now)
        student = session.get(Student, entry.student_id)
        if student is None:
            raise NotFound("The waitlist entry's student does not exist.")
        outcome = register_in_session(
            session,
            RegistrationRequest(
                course=course,
                student=student,
                source=RegistrationSource.WAITLIST,
                school_id=student.school_id,
                seat_granted=True,
                from_waitlist=True,
                client_address=actor.address or None,
            ),
            actor=actor,
            settings=settings,
            now=now,
        )
        before = audit.snapshot(entry, ["status", "position", "registration_id"])
        entry.registration_id = outcome.registration_id
        entry.offer_token_hash = None
        leave_line(session, entry, status=WaitlistStatus.CLAIMED, now=now)
        audit.record(session, actor, "waitlist.claim", entry, audit.diff(before, entry))
        if not outcome.created:
            # Already registered some other way: the offered seat is still free.
            seat_freed_in_session(session, course, actor=actor, settings=settings, now=now)
        session.commit()
        return outcome


def decline_offer(db: Database, *, token: str, actor: Actor, now: datetime | None = None) -> None:
    """The student turns the seat down; it is offered to the next in line at once."""
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        entry, course = _open_offer(session, token, now=now)
        before = audit.snapshot(entry, ["status", "position"])
        entry.offer_token_hash = None
        leave_line(session, entry, status=WaitlistStatus.DECLINED, now=now)
        audit.record(session, actor, "waitlist.decline", entry, audit.diff(before, entry))
        offer_free_seats(session, course, actor=actor, settings=settings, now=now)
        session.commit()


def expire_offers(db: Database, *, now: datetime | None = None) -> int:
    """Offers past their time expire and pass to the next in line; returns how many expired."""
    now = now or utcnow()
    actor = Actor.system("offer expiry")
    w = waitlist_entries.c
    with db.write() as session:
        course_ids = session.scalars(
            select(w.course_id)
            .where(w.status == WaitlistStatus.OFFERED, w.offer_expires_at <= now)
            .distinct()
            .order_by(w.course_id)  # one lock order for every caller: no deadlocks
        ).all()
        if not course_ids:
            return 0
        settings = load_settings(session)
        expired = 0
        for course_id in course_ids:
            course = lock_course(session, course_id)
            expired += expire_stale_offers(session, course, now=now)
            offer_free_seats(session, course, actor=actor, settings=settings, now=now)
        session.commit()
        return expired


def _open_offer(session: Session, token: str, *, now: datetime) -> tuple[WaitlistEntry, Course]:
    """The offered entry of ``token``, locked with its course, or the reason it cannot be used."""
    token_hash = hash_offer_token(token.strip())
    w = waitlist_entries.c
    course_id = session.scalar(select(w.course_id).where(w.offer_token_hash == token_hash))
    if course_id is None:
        raise LinkInvalid("This offer link has already been used or is not valid.")
    # Course first, then the entry: the order every waitlist change locks in.
    course = lock_course(session, course_id)
    entry = session.scalars(
        select(WaitlistEntry)
        .where(w.offer_token_hash == token_hash)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if entry is None:
        raise LinkInvalid("This offer link has already been used or is not valid.")
    try:
        check_offer_claimable(status=entry.status, expires_at=entry.offer_expires_at, now=now)
    except OfferExpired:
        if entry.status == WaitlistStatus.OFFERED:
            # Pass the seat on now rather than wait for the worker, and keep that.
            settings = load_settings(session)
            offer_free_seats(
                session, course, actor=Actor.system("offer expiry"), settings=settings, now=now
            )
            session.commit()
        raise
    return entry, course


def _no_free_seat(course: Course) -> InvalidTransition:
    return InvalidTransition(
        f"{course.title} has no free seat to offer: every seat is taken or already offered. "
        "Raise the capacity to add a seat."
    )
