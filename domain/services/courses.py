"""Create and change courses, their slots, prices and class sessions, one transaction each.

Whether a course is published, when it starts, who may book it, how many seats
it has and what it costs all drive the booking rules, so every change goes
through here (the admin's forms, scripts): checked, written, and recorded in
the audit log with each field's before and after, or refused with nothing
written. Raising a capacity offers the new seats to the waitlist in the same
transaction; course and slot changes take the course's lock, as every seat
count does.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import TypedDict

from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import NotFound, ValidationError
from domain.model import ClassSession, Course, CourseSlot, Price
from domain.rules.records import (
    check_course_fields,
    check_present,
    check_price_fields,
    check_slot_fields,
)
from domain.services.records import (
    check_class_session,
    check_price,
    existing,
    record_created,
    record_updated,
    set_fields,
)
from domain.services.seats import lock_course
from domain.services.settings import load_settings
from domain.services.waitlist_line import seat_freed_in_session


class CourseFields(TypedDict, total=False):
    """What staff set on a course; a new course needs at least ``title`` and ``starts_at``."""

    title: str
    kind: str
    description: str
    instructor: str
    location: str
    starts_at: datetime
    ends_at: datetime | None
    capacity: int
    #: Only students classified as this type may see and book it (None: anyone).
    required_student_type: str | None
    is_published: bool
    #: Offered on the school sign-up page, where a school contact signs up teachers.
    open_to_school_signup: bool
    #: Shown on the course page and in each class reminder.
    what_to_bring: str
    comment: str


class SlotFields(TypedDict, total=False):
    """What staff set on a slot; a new slot needs ``course_id``, its times and a day or date."""

    course_id: int
    name: str
    difficulty_level: str
    day_of_week: int | None
    practice_date: date | None
    start_time: time
    end_time: time
    location: str
    #: Seats of this slot (None: only the course's capacity applies).
    capacity: int | None


class PriceFields(TypedDict, total=False):
    """A price of a slot: for the full package or one drop-in (all needed for a new one)."""

    slot_id: int
    pricing_type: str
    amount: Decimal


class SessionFields(TypedDict, total=False):
    """One meeting of a course; a new one needs ``course_id`` and ``session_date``."""

    course_id: int
    #: The slot it came from, which sets its drop-in price.
    slot_id: int | None
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    notes: str


COURSE_FIELDS = CourseFields.__optional_keys__
SLOT_FIELDS = SlotFields.__optional_keys__
PRICE_FIELDS = PriceFields.__optional_keys__
SESSION_FIELDS = SessionFields.__optional_keys__


def create_course(
    db: Database, fields: CourseFields, *, actor: Actor, now: datetime | None = None
) -> Course:
    """Add a course (unpublished unless ``is_published``); refused with nothing written."""
    now = now or utcnow()
    check_present(fields.get("starts_at"), field="starts_at", label="when the course starts")
    course = Course(
        title=fields.get("title", ""), starts_at=fields["starts_at"], created_at=now, updated_at=now
    )
    set_fields(course, fields, COURSE_FIELDS)
    _check_course(course)
    with db.write() as session:
        record_created(session, actor, course, now=now)
        session.commit()
    return course


def update_course(
    db: Database,
    course_id: int,
    changes: CourseFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> Course:
    """Change a course; one audit entry holds every changed field's before and after.

    Raising the capacity offers the added seats to the waitlist (with automatic
    offers on); lowering it cancels nobody, it only stops new registrations.
    """
    now = now or utcnow()
    with db.write() as session:
        course = lock_course(session, course_id)
        with session.no_autoflush:
            changed = set_fields(course, changes, COURSE_FIELDS)
            _check_course(course)
        record_updated(session, actor, course, changed, now=now)
        if "capacity" in changed:
            _offer_freed_seats(session, [course], actor=actor, now=now)
        session.commit()
    return course


def create_slot(
    db: Database, fields: SlotFields, *, actor: Actor, now: datetime | None = None
) -> CourseSlot:
    """Add a slot to a course; refused with nothing written."""
    now = now or utcnow()
    check_present(fields.get("start_time"), field="start_time", label="when the slot starts")
    check_present(fields.get("end_time"), field="end_time", label="when the slot ends")
    slot = CourseSlot(start_time=fields["start_time"], end_time=fields["end_time"])
    set_fields(slot, fields, SLOT_FIELDS)
    _check_slot(slot)
    with db.write() as session:
        _lock_picked_course(session, slot.course_id)
        record_created(session, actor, slot, now=now)
        session.commit()
    return slot


def update_slot(
    db: Database,
    slot_id: int,
    changes: SlotFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> CourseSlot:
    """Change a slot; a raised capacity (or a slot moved away) offers freed seats.

    The smallest of the course's and its slots' capacities limits the course.
    """
    now = now or utcnow()
    with db.write() as session:
        slot = session.get(CourseSlot, slot_id)
        if slot is None:
            raise NotFound("This slot does not exist.")
        # Both courses' locks when the slot moves, always in one order (any fixed order
        # will do) so that two such edits never deadlock.
        ids = sorted({slot.course_id, changes.get("course_id", slot.course_id)}, key=str)
        courses = [_lock_picked_course(session, course_id) for course_id in ids]
        with session.no_autoflush:
            changed = set_fields(slot, changes, SLOT_FIELDS)
            _check_slot(slot)
        record_updated(session, actor, slot, changed, now=now)
        if "course_id" in changed:
            # The courses' slot lists, loaded with their locks, predate the move.
            for course in courses:
                session.expire(course, ["slots"])
        if {"capacity", "course_id"} & changed.keys():
            _offer_freed_seats(session, courses, actor=actor, now=now)
        session.commit()
    return slot


def create_price(
    db: Database, fields: PriceFields, *, actor: Actor, now: datetime | None = None
) -> Price:
    """Price a slot; a slot has one price of each kind. Registrations keep what they owe."""
    now = now or utcnow()
    check_price_fields(pricing_type=fields.get("pricing_type"), amount=fields.get("amount"))
    price = Price(pricing_type=fields["pricing_type"], amount=Decimal(str(fields["amount"])))
    set_fields(price, {**fields, "amount": price.amount}, PRICE_FIELDS)
    with db.write() as session:
        existing(session, CourseSlot, price.slot_id, field="slot_id", label="a slot")
        check_price(session, slot_id=price.slot_id, pricing_type=price.pricing_type)
        record_created(session, actor, price, now=now)
        session.commit()
    return price


def update_price(
    db: Database,
    price_id: int,
    changes: PriceFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> Price:
    """Change a price; registrations already made keep the amount they owe."""
    now = now or utcnow()
    with db.write() as session:
        price = session.get(Price, price_id)
        if price is None:
            raise NotFound("This price does not exist.")
        with session.no_autoflush:
            check_price_fields(
                pricing_type=changes.get("pricing_type", price.pricing_type),
                amount=changes.get("amount", price.amount),
            )
            if "amount" in changes:
                changes = {**changes, "amount": Decimal(str(changes["amount"]))}
            changed = set_fields(price, changes, PRICE_FIELDS)
            existing(session, CourseSlot, price.slot_id, field="slot_id", label="a slot")
            check_price(
                session, slot_id=price.slot_id, pricing_type=price.pricing_type, price_id=price.id
            )
        record_updated(session, actor, price, changed, now=now)
        session.commit()
    return price


def create_class_session(
    db: Database, fields: SessionFields, *, actor: Actor, now: datetime | None = None
) -> ClassSession:
    """Add one meeting of a course; a course meets once at a date and start time."""
    now = now or utcnow()
    check_present(fields.get("session_date"), field="session_date", label="the date")
    meeting = ClassSession(session_date=fields["session_date"])
    set_fields(meeting, fields, SESSION_FIELDS)
    with db.write() as session:
        _check_class_session(session, meeting)
        record_created(session, actor, meeting, now=now)
        session.commit()
    return meeting


def update_class_session(
    db: Database,
    session_id: int,
    changes: SessionFields,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> ClassSession:
    """Change one meeting of a course (its date, times, place or notes)."""
    now = now or utcnow()
    with db.write() as session:
        meeting = session.get(ClassSession, session_id)
        if meeting is None:
            raise NotFound("This session does not exist.")
        with session.no_autoflush:
            changed = set_fields(meeting, changes, SESSION_FIELDS)
            _check_class_session(session, meeting)
        if changed:
            # Calendars number the event's versions from this (SEQUENCE up).
            meeting.updated_at = now
        record_updated(session, actor, meeting, changed, now=now)
        session.commit()
    return meeting


def _check_class_session(session: Session, meeting: ClassSession) -> None:
    check_present(meeting.session_date, field="session_date", label="the date")
    existing(session, Course, meeting.course_id, field="course_id", label="a course")
    if meeting.slot_id is not None:
        existing(session, CourseSlot, meeting.slot_id, field="slot_id", label="a slot")
    check_class_session(
        session,
        course_id=meeting.course_id,
        session_date=meeting.session_date,
        start_time=meeting.start_time,
        session_id=meeting.id,
    )


def _lock_picked_course(session: Session, course_id: object) -> Course:
    """The course a slot is for, locked; a refusal naming the field when there is none."""
    if not isinstance(course_id, int):
        raise ValidationError("Please choose the course this slot belongs to.", field="course_id")
    try:
        return lock_course(session, course_id)
    except NotFound:
        raise ValidationError("That course no longer exists.", field="course_id") from None


def _check_course(course: Course) -> None:
    check_course_fields(
        title=course.title,
        starts_at=course.starts_at,
        ends_at=course.ends_at,
        capacity=course.capacity,
        kind=course.kind,
        required_student_type=course.required_student_type,
    )


def _check_slot(slot: CourseSlot) -> None:
    check_slot_fields(
        day_of_week=slot.day_of_week,
        practice_date=slot.practice_date,
        start_time=slot.start_time,
        end_time=slot.end_time,
        capacity=slot.capacity,
        difficulty_level=slot.difficulty_level,
    )


def _offer_freed_seats(
    session: Session, courses: list[Course], *, actor: Actor, now: datetime
) -> None:
    session.flush()
    settings = load_settings(session)
    for course in courses:
        seat_freed_in_session(session, course, actor=actor, settings=settings, now=now)
