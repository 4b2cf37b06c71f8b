"""Rows for the waitlist, sessions and attendance tests (engineer W's helpers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import PaymentStatus, PricingType
from domain.model import ClassSession, Course, CourseSlot, Registration, School, Student
from tests.factories import insert, staff_actor

__all__ = [
    "STAFF",
    "add_course",
    "add_registration",
    "add_session",
    "add_student",
    "staff_actor",
    "weekly_slot",
]

STAFF = Actor.script("tests")


def add_course(
    db: Database,
    *,
    title: str = "Salsa Basics",
    capacity: int = 2,
    starts_at: datetime = datetime(2030, 3, 4, 18, 0, tzinfo=UTC),
    ends_at: datetime | None = None,
    location: str = "Studio A",
    slots: list[CourseSlot] | None = None,
) -> int:
    course = Course(
        title=title,
        capacity=capacity,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        is_published=True,
        slots=slots or [],
    )
    return insert(db, course)


def weekly_slot(day_of_week: int, start: time = time(18), end: time = time(19)) -> CourseSlot:
    return CourseSlot(day_of_week=day_of_week, start_time=start, end_time=end)


def add_student(
    db: Database, first_name: str, last_name: str = "", *, school: str | None = None
) -> int:
    student = Student(
        first_name=first_name,
        last_name=last_name,
        email=".".join(filter(None, (first_name, last_name))).lower() + "@example.org",
        school=School(name=school) if school else None,
    )
    return insert(db, student)


def add_registration(
    db: Database,
    *,
    course_id: int,
    student_id: int,
    payment_status: str = PaymentStatus.COMPLETED,
    drop_in_session_id: int | None = None,
    cancelled: bool = False,
) -> int:
    registration = Registration(
        course_id=course_id,
        student_id=student_id,
        pricing_type=PricingType.DROP_IN if drop_in_session_id else PricingType.FULL_PACKAGE,
        drop_in_session_id=drop_in_session_id,
        amount_due=Decimal("40.00"),
        payment_status=payment_status,
        cancelled_at=datetime(2030, 1, 1, tzinfo=UTC) if cancelled else None,
    )
    return insert(db, registration)


def add_session(db: Database, *, course_id: int, day: date, start: time = time(18)) -> int:
    session = ClassSession(course_id=course_id, session_date=day, start_time=start)
    return insert(db, session)
