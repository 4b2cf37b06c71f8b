"""The capacity lock and the seat count of a course, read inside a unit of work.

Every path that can take a seat (register, un-cancel, claim an offer) first calls
``lock_course``; with the course row locked, counting seats and inserting the
registration cannot interleave with another caller doing the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.enums import SEAT_HOLDING_PAYMENT_STATUSES, PricingType, WaitlistStatus
from domain.errors import NotFound
from domain.model import Course
from domain.rules.capacity import (
    course_seats,
    drop_in_seats_left,
    holds_seat,
    package_seats_left,
)


def lock_course(session: Session, course_id: int) -> Course:
    """Load the course with its row locked until the transaction ends.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite ignores FOR UPDATE, but there a
    writing unit of work began with ``BEGIN IMMEDIATE`` and already holds the
    database's one write lock.
    """
    course = session.scalars(
        select(Course)
        .where(t.courses.c.id == course_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if course is None:
        raise NotFound("This course does not exist.")
    return course


@dataclass(frozen=True)
class Occupancy:
    """Seat-holding registrations of a course right now."""

    seats: int
    package_count: int
    #: Drop-ins per class session, for sessions not yet past.
    drop_ins: dict[int, int] = field(default_factory=dict)

    def left_for_package(self) -> int:
        return package_seats_left(
            seats=self.seats,
            package_count=self.package_count,
            drop_in_counts=self.drop_ins.values(),
        )

    def left_for_drop_in(self, session_id: int) -> int:
        return drop_in_seats_left(
            seats=self.seats,
            package_count=self.package_count,
            drop_ins_in_session=self.drop_ins.get(session_id, 0),
        )


def course_occupancy(session: Session, course: Course, *, now: datetime) -> Occupancy:
    """Count the seats in use, applying the capacity rule to each registration."""
    slots, regs, sessions = t.course_slots.c, t.registrations.c, t.class_sessions.c
    slot_capacities = session.scalars(
        select(slots.capacity).where(slots.course_id == course.id)
    ).all()
    rows = session.execute(
        select(
            regs.pricing_type,
            regs.drop_in_session_id,
            regs.payment_status,
            regs.hold_expires_at,
            sessions.session_date,
        )
        .select_from(t.registrations)
        .outerjoin(t.class_sessions, sessions.id == regs.drop_in_session_id)
        .where(
            regs.course_id == course.id,
            regs.cancelled_at.is_(None),
            regs.payment_status.in_([str(s) for s in SEAT_HOLDING_PAYMENT_STATUSES]),
        )
    ).all()
    today = now.date()
    packages = 0
    drop_ins: Counter[int] = Counter()
    for pricing_type, session_id, status, hold_expires_at, session_date in rows:
        if not holds_seat(
            cancelled=False, payment_status=status, hold_expires_at=hold_expires_at, now=now
        ):
            continue
        if pricing_type == PricingType.DROP_IN and session_id is not None:
            # A drop-in for a session already held no longer competes for seats.
            if session_date is not None and session_date >= today:
                drop_ins[session_id] += 1
        else:
            packages += 1
    return Occupancy(
        seats=course_seats(course.capacity, slot_capacities),
        package_count=packages,
        drop_ins=dict(drop_ins),
    )


def seats_left(
    session: Session, course: Course, *, now: datetime, drop_in_session_id: int | None = None
) -> int:
    """Seats open to a full package, or to a drop-in for ``drop_in_session_id``."""
    occupancy = course_occupancy(session, course, now=now)
    if drop_in_session_id is not None:
        return occupancy.left_for_drop_in(drop_in_session_id)
    return occupancy.left_for_package()


def open_offers(session: Session, course_id: int, *, now: datetime) -> int:
    """Waitlist offers still open: each has a seat promised to it."""
    w = t.waitlist_entries.c
    count = session.scalar(
        select(func.count())
        .select_from(t.waitlist_entries)
        .where(
            w.course_id == course_id,
            w.status == WaitlistStatus.OFFERED.value,
            w.offer_expires_at > now,
        )
    )
    return int(count or 0)


def seats_open_to_book(
    session: Session, course: Course, *, now: datetime, drop_in_session_id: int | None = None
) -> int:
    """Seats a new registration may take: free seats less those promised to waitlist offers.

    This is the number to show as "N seats left"; a claimed offer takes its
    promised seat whatever this says.
    """
    left = seats_left(session, course, now=now, drop_in_session_id=drop_in_session_id)
    return max(0, left - open_offers(session, course.id or 0, now=now))
