"""The capacity lock and the seat count of a course, read inside a unit of work.

Every path that can take a seat (register, un-cancel, claim an offer) first calls
``lock_course``; with the course row locked, counting seats and inserting the
registration cannot interleave with another caller doing the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, inspect, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from domain.db import tables as t
from domain.enums import PaymentStatus, PricingType, WaitlistStatus
from domain.errors import NotFound
from domain.model import Course, CourseSlot
from domain.rules.capacity import (
    course_seats,
    drop_in_seats_left,
    package_seats_left,
)


def lock_course(session: Session, course_id: int) -> Course:
    """Load the course with its row locked until the transaction ends.

    PostgreSQL: ``SELECT ... FOR UPDATE OF courses``. SQLite ignores FOR UPDATE,
    but there a writing unit of work began with ``BEGIN IMMEDIATE`` and already
    holds the database's one write lock.

    The slots and their prices come joined in the same statement, so the seat
    count and the price of a registration under this lock need no further loads.
    """
    course = (
        session.scalars(
            select(Course)
            .where(t.courses.c.id == course_id)
            .options(with_slots_and_prices())
            .with_for_update(of=t.courses)
            .execution_options(populate_existing=True)
        )
        .unique()
        .one_or_none()
    )
    if course is None:
        raise NotFound("This course does not exist.")
    return course


def with_slots_and_prices() -> Any:
    """Load a course's slots and their prices joined to it, in the same statement."""
    # The relationships exist once the mappers are started (not at import), and mypy
    # sees the dataclass fields rather than the mapped attributes.
    slots: Any = getattr(Course, "slots")  # noqa: B009
    prices: Any = getattr(CourseSlot, "prices")  # noqa: B009
    return joinedload(slots).joinedload(prices)


@dataclass(frozen=True)
class Occupancy:
    """Seat-holding registrations and open waitlist offers of a course right now."""

    seats: int
    package_count: int
    #: Drop-ins per class session, for sessions not yet past.
    drop_ins: dict[int, int] = field(default_factory=dict)
    #: Waitlist offers still open: each has a seat promised to it.
    offers: int = 0

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

    def open_to_book(self, drop_in_session_id: int | None = None) -> int:
        """Seats a newcomer may take: free seats less those promised to offers (may be < 0)."""
        if drop_in_session_id is not None:
            return self.left_for_drop_in(drop_in_session_id) - self.offers
        return self.left_for_package() - self.offers


def course_occupancy(session: Session, course: Course, *, now: datetime) -> Occupancy:
    """Count the seats in use and the open offers with one query; the capacity rule
    applies to the counts."""
    return occupancy_by_course(session, [course], now=now)[course.id or 0]


def occupancy_by_course(
    session: Session, courses: Sequence[Course], *, now: datetime
) -> dict[int, Occupancy]:
    """``course_occupancy`` of many courses at once, by course id: one statement for all.

    The ``WHERE`` clause is ``holds_seat`` in SQL, so the cost stays the same however
    many registrations the courses have. The open offers come as more rows of the
    same statement (a ``UNION ALL``): one round trip to the database, not two.
    No statement at all for no courses.
    """
    ids = [course.id for course in courses if course.id is not None]
    if not ids:
        return {}
    regs, sessions, w = t.registrations.c, t.class_sessions.c, t.waitlist_entries.c
    seats = (
        select(
            literal(_SEATS).label("kind"),
            regs.course_id,
            regs.pricing_type,
            regs.drop_in_session_id,
            sessions.session_date,
            func.count().label("n"),
        )
        .select_from(t.registrations)
        .outerjoin(t.class_sessions, sessions.id == regs.drop_in_session_id)
        .where(regs.course_id.in_(ids), holds_seat_clause(now))
        .group_by(regs.course_id, regs.pricing_type, regs.drop_in_session_id, sessions.session_date)
    )
    offers = (
        select(literal(_OFFERS), w.course_id, null(), null(), null(), func.count())
        .where(
            w.course_id.in_(ids),
            w.status == WaitlistStatus.OFFERED.value,
            w.offer_expires_at > now,
        )
        .group_by(w.course_id)
    )
    today = now.date()
    packages: Counter[int] = Counter()
    offered: Counter[int] = Counter()
    drop_ins: dict[int, Counter[int]] = {course_id: Counter() for course_id in ids}
    for kind, course_id, pricing_type, session_id, session_date, count in session.execute(
        union_all(seats, offers)
    ):
        if kind == _OFFERS:
            offered[course_id] += count
        elif pricing_type == PricingType.DROP_IN and session_id is not None:
            # A drop-in for a session already held no longer competes for seats.
            if session_date is not None and session_date >= today:
                drop_ins[course_id][session_id] += count
        else:
            packages[course_id] += count
    return {
        course.id: Occupancy(
            seats=course_seats(course.capacity, _slot_capacities(session, course)),
            package_count=packages[course.id],
            drop_ins=dict(drop_ins[course.id]),
            offers=offered[course.id],
        )
        for course in courses
        if course.id is not None
    }


_SEATS, _OFFERS = "seats", "offers"


def holds_seat_clause(now: datetime) -> ColumnElement[bool]:
    """``domain.rules.capacity.holds_seat`` as a SQL condition on registrations: not
    cancelled, and paid, free, or pending within its hold."""
    r = t.registrations.c
    return and_(
        r.cancelled_at.is_(None),
        or_(
            r.payment_status.in_([PaymentStatus.COMPLETED.value, PaymentStatus.NOT_REQUIRED.value]),
            and_(
                r.payment_status == PaymentStatus.PENDING.value,
                or_(r.hold_expires_at.is_(None), r.hold_expires_at > now),
            ),
        ),
    )


def _slot_capacities(session: Session, course: Course) -> list[int | None]:
    # Slots loaded with the course (``lock_course``) are current under the lock;
    # otherwise read just their capacities.
    if "slots" not in inspect(course).unloaded:
        return [slot.capacity for slot in course.slots]
    slots = t.course_slots.c
    return list(session.scalars(select(slots.capacity).where(slots.course_id == course.id)))


def seats_left(
    session: Session, course: Course, *, now: datetime, drop_in_session_id: int | None = None
) -> int:
    """Seats open to a full package, or to a drop-in for ``drop_in_session_id``."""
    occupancy = course_occupancy(session, course, now=now)
    if drop_in_session_id is not None:
        return occupancy.left_for_drop_in(drop_in_session_id)
    return occupancy.left_for_package()


def seats_open_to_book(
    session: Session, course: Course, *, now: datetime, drop_in_session_id: int | None = None
) -> int:
    """Seats a new registration may take: free seats less those promised to waitlist offers.

    This is the number to show as "N seats left"; a claimed offer takes its
    promised seat whatever this says.
    """
    occupancy = course_occupancy(session, course, now=now)
    return max(0, occupancy.open_to_book(drop_in_session_id))
