"""Rows for the registration, payment and concurrency tests (engineer R's helpers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PricingType, StudentType
from domain.model import (
    AuditEntry,
    ClassSession,
    Course,
    CourseSlot,
    OutgoingEmail,
    Price,
    Student,
)
from domain.services.registration import StudentDetails, register_student
from tests.factories import insert, staff_actor
from tests.factories import registration as registration  # re-exported for the tests

NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
STARTS = datetime(2030, 2, 4, 18, 0, tzinfo=UTC)
ENDS = datetime(2030, 3, 25, 19, 0, tzinfo=UTC)
PUBLIC = Actor.public("203.0.113.9")


#: A real staff user (R's tests call it ``staff``).
staff = staff_actor


def add_course(
    db: Database,
    *,
    title: str = "Salsa Series",
    capacity: int = 10,
    package: list[str] | None = None,
    drop_in: list[str | None] | None = None,
    slot_capacities: list[int | None] | None = None,
    published: bool = True,
    starts_at: datetime = STARTS,
    ends_at: datetime | None = ENDS,
    required_student_type: str | None = None,
    school_signup: bool = False,
) -> int:
    """A course with one weekly slot per package price given (or per slot capacity)."""
    package = package or []
    count = max(len(package), len(drop_in or []), len(slot_capacities or []))
    slots = []
    for i in range(count):
        prices = []
        if i < len(package):
            prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=Decimal(package[i])))
        if drop_in and i < len(drop_in) and drop_in[i] is not None:
            prices.append(Price(pricing_type=PricingType.DROP_IN, amount=Decimal(drop_in[i])))
        capacity_i = slot_capacities[i] if slot_capacities and i < len(slot_capacities) else None
        slots.append(
            CourseSlot(
                name=f"Slot {i + 1}",
                day_of_week=i % 7,
                start_time=time(18),
                end_time=time(19),
                capacity=capacity_i,
                prices=prices,
            )
        )
    course = Course(
        title=title,
        capacity=capacity,
        starts_at=starts_at,
        ends_at=ends_at,
        location="Studio A",
        is_published=published,
        open_to_school_signup=school_signup,
        required_student_type=required_student_type,
        slots=slots,
    )
    return insert(db, course)


def add_session(db: Database, course_id: int, day: date, *, slot_index: int = 0) -> int:
    with db.write() as s:
        course = s.get(Course, course_id)
        assert course is not None
        slot_id = course.slots[slot_index].id if course.slots else None
        session = ClassSession(
            course_id=course_id, slot_id=slot_id, session_date=day, start_time=time(18)
        )
        s.add(session)
        s.commit()
        assert session.id is not None
        return session.id


def add_student(
    db: Database,
    email: str,
    *,
    first_name: str = "Ana",
    student_type: str = StudentType.GENERAL,
    classified: bool = False,
) -> int:
    student = Student(
        email=email,
        first_name=first_name,
        student_type=student_type,
        admin_classified=classified,
    )
    return insert(db, student)


def details(n: int | str = 1, **changes: str) -> StudentDetails:
    values = {
        "email": f"dancer{n}@example.org",
        "first_name": f"Dancer{n}",
        "last_name": "Lopez",
        "phone": "555-0101",
        "experience": "Two years of salsa",
    }
    values.update(changes)
    return StudentDetails(**values)


def active_count(db: Database, course_id: int) -> int:
    r = t.registrations.c
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(t.registrations)
                .where(
                    r.course_id == course_id,
                    r.cancelled_at.is_(None),
                    r.payment_status.in_(["pending", "completed", "not_required"]),
                )
            )
            or 0
        )


def row_count(db: Database, table: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(t.metadata.tables[table])) or 0)


def emails(db: Database, kind: str | None = None) -> list[OutgoingEmail]:
    with db.read() as s:
        query = select(OutgoingEmail).order_by(t.outgoing_emails.c.id)
        if kind:
            query = query.where(t.outgoing_emails.c.kind == kind)
        rows = list(s.scalars(query))
        s.expunge_all()
        return rows


def audit_actions(db: Database) -> list[AuditEntry]:
    with db.read() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(t.audit_entries.c.id)))
        s.expunge_all()
        return rows


def later(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def public_booking(db: Database, course_id: int, n: int | str = 1, **kw: object) -> object:
    """``register_student`` as a visitor from the web would, for student ``n``, at ``NOW``."""
    return register_student(
        db,
        course_id=course_id,
        student=details(n),
        actor=PUBLIC,
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )
