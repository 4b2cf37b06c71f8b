"""Rows for the dashboard, roll call and action tests (engineer A3's helpers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import PaymentStatus, PricingType
from domain.model import (
    ClassSession,
    ContactLog,
    Course,
    CourseSlot,
    Price,
    Registration,
    School,
    Student,
)
from tests.factories import insert
from tests.factories import registration as registration  # re-exported for the tests


def add_school(db: Database, name: str) -> int:
    school = School(name=name, contact_email=f"office@{name.split()[0].lower()}.example")
    return insert(db, school)


def add_course(
    db: Database,
    title: str,
    *,
    starts_at: datetime | None = None,
    capacity: int = 10,
    price: Decimal | None = None,
    slot_capacity: int | None = None,
) -> int:
    """A course with one weekly slot (and a full-package price when ``price`` is given)."""
    start = starts_at or utcnow() + timedelta(days=7)
    slot = CourseSlot(
        name="Main",
        day_of_week=start.weekday(),
        start_time=time(18),
        end_time=time(19),
        capacity=slot_capacity,
        prices=[Price(pricing_type=PricingType.FULL_PACKAGE, amount=price)] if price else [],
    )
    course = Course(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=capacity,
        is_published=True,
        slots=[slot],
    )
    return insert(db, course)


def add_student(
    db: Database, first: str, last: str = "", *, school_id: int | None = None, email: str = ""
) -> int:
    student = Student(
        first_name=first,
        last_name=last,
        email=email or f"{first}.{last}@example.org".lower(),
        school_id=school_id,
    )
    return insert(db, student)


def add_registration(
    db: Database,
    *,
    student_id: int,
    course_id: int,
    amount: Decimal = Decimal("0.00"),
    status: str = PaymentStatus.NOT_REQUIRED,
    cancelled: bool = False,
    created_at: datetime | None = None,
) -> int:
    with db.write() as s:
        student = s.get(Student, student_id)
        assert student is not None
        registration = Registration(
            student_id=student_id,
            course_id=course_id,
            school_id=student.school_id,
            amount_due=amount,
            payment_status=status,
            cancelled_at=utcnow() if cancelled else None,
            created_at=created_at or utcnow(),
        )
        s.add(registration)
        s.commit()
        assert registration.id is not None
        return registration.id


def add_session(db: Database, course_id: int, day: date | None = None) -> int:
    meeting = ClassSession(course_id=course_id, session_date=day or date.today())
    return insert(db, meeting)


def add_contact(db: Database, school_id: int, comment: str, when: datetime) -> int:
    entry = ContactLog(school_id=school_id, contacted_at=when, comment=comment)
    return insert(db, entry)


def sessions_of(db: Database, course_id: int) -> list[int]:
    with db.read() as s:
        return list(
            s.scalars(select(ClassSession.id).where(ClassSession.course_id == course_id))  # type: ignore[arg-type]
        )


@dataclass
class RollCallClass:
    """A session with three students from two schools and one without a school."""

    course_id: int
    session_id: int
    ann: int
    bob: int
    cy: int


def roll_call_class(db: Database) -> RollCallClass:
    elm = add_school(db, "Elm High")
    oak = add_school(db, "Oak Academy")
    course = add_course(db, "First Aid", starts_at=datetime.now(UTC) - timedelta(hours=1))
    ann = add_student(db, "Ann", "Lee", school_id=oak)
    bob = add_student(db, "Bob", "Ray", school_id=elm)
    cy = add_student(db, "Cy", "Dee")
    meeting = add_session(db, course)
    return RollCallClass(
        course_id=course,
        session_id=meeting,
        ann=add_registration(db, student_id=ann, course_id=course),
        bob=add_registration(db, student_id=bob, course_id=course),
        cy=add_registration(db, student_id=cy, course_id=course),
    )
