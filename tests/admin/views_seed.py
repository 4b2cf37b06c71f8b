"""Rows for the entity-view, export and query-count tests (written straight to the tables),
and a reader of the rows a list page shows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Table, func, insert, select

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentStatus
from domain.model import (
    Attendance,
    ClassSession,
    ContactLog,
    Course,
    CourseSlot,
    Price,
    Registration,
    School,
    Student,
    WaitlistEntry,
)
from tests.admin.conftest import AdminClient

START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def add_school(db: Database, name: str = "Hill School", **fields: object) -> School:
    with db.write() as session:
        school = School(name=name, location=str(fields.pop("location", "Springfield")), **fields)  # type: ignore[arg-type]
        session.add(school)
        session.commit()
        return school


def add_course(db: Database, title: str = "Salsa Basics", **fields: object) -> Course:
    with db.write() as session:
        starts_at = fields.pop("starts_at", START)
        course = Course(title=title, starts_at=starts_at, **fields)  # type: ignore[arg-type]
        session.add(course)
        session.flush()
        slot = CourseSlot(
            course_id=course.id,
            name="Monday",
            day_of_week=0,
            start_time=time(18),
            end_time=time(19),
        )
        session.add(slot)
        session.flush()
        session.add(Price(slot_id=slot.id, pricing_type="full_package", amount=Decimal("120.00")))
        session.add(
            ClassSession(
                course_id=course.id,
                slot_id=slot.id,
                session_date=starts_at.date(),
                start_time=time(18),
            )
        )
        session.commit()
        return course


def add_student(db: Database, first_name: str = "Ada", **fields: object) -> Student:
    with db.write() as session:
        student = Student(first_name=first_name, **fields)  # type: ignore[arg-type]
        session.add(student)
        session.commit()
        return student


def register(
    db: Database,
    student: Student,
    course: Course,
    *,
    school: School | None = None,
    amount: str = "120.00",
    payment_status: str = PaymentStatus.PENDING,
    created_at: datetime | None = None,
) -> Registration:
    with db.write() as session:
        registration = Registration(
            student_id=student.id,
            course_id=course.id,
            school_id=school.id if school else None,
            amount_due=Decimal(amount),
            payment_status=payment_status,
            created_at=created_at or START - timedelta(days=7),
        )
        session.add(registration)
        session.commit()
        return registration


def mark(db: Database, registration: Registration, status: str = AttendanceStatus.PRESENT) -> None:
    with db.write() as session:
        class_session = (
            session.query(ClassSession).filter_by(course_id=registration.course_id).first()
        )
        assert class_session is not None
        session.add(
            Attendance(session_id=class_session.id, registration_id=registration.id, status=status)
        )
        session.commit()


def add_contact(db: Database, school: School, comment: str, when: datetime | None = None) -> None:
    with db.write() as session:
        session.add(ContactLog(school_id=school.id, contacted_at=when or START, comment=comment))
        session.commit()


def add_waitlist(db: Database, student: Student, course: Course, position: int) -> None:
    with db.write() as session:
        session.add(WaitlistEntry(student_id=student.id, course_id=course.id, position=position))
        session.commit()


def many(db: Database, count: int, course: Course | None = None) -> Course:
    """``count`` more schools (each with a contact entry), students, courses, and on
    ``course`` a registration (marked present) and a waitlist entry per student."""
    course = course or add_course(db, "Big Course")
    now = START
    with db.engine.begin() as connection:
        session_id = connection.scalar(
            select(t.class_sessions.c.id).where(t.class_sessions.c.course_id == course.id)
        )
        offset = connection.scalar(select(func.count()).select_from(t.students)) or 0
        numbers = range(offset, offset + count)
        stamps = {"created_at": now, "updated_at": now}
        school_ids = _insert(
            connection, t.schools, [{"name": f"School {n:05d}", **stamps} for n in numbers]
        )
        connection.execute(
            insert(t.contact_logs),
            [
                {"school_id": i, "contacted_at": now, "comment": "call", "created_at": now}
                for i in school_ids
            ],
        )
        student_ids = _insert(
            connection,
            t.students,
            [
                {
                    "first_name": f"First{n:05d}",
                    "last_name": "Last",
                    "email": f"s{n}@example.org",
                    "school_id": school,
                    **stamps,
                }
                for n, school in zip(numbers, school_ids, strict=True)
            ],
        )
        registration_ids = _insert(
            connection,
            t.registrations,
            [
                {
                    "student_id": student,
                    "course_id": course.id,
                    "school_id": school,
                    "amount_due": Decimal("10.50"),
                    **stamps,
                }
                for student, school in zip(student_ids, school_ids, strict=True)
            ],
        )
        connection.execute(
            insert(t.attendance),
            [
                {
                    "session_id": session_id,
                    "registration_id": i,
                    "status": "present",
                    "marked_at": now,
                }
                for i in registration_ids
            ],
        )
        connection.execute(
            insert(t.waitlist_entries),
            [
                {"student_id": student, "course_id": course.id, "position": n + 1, "joined_at": now}
                for n, student in zip(numbers, student_ids, strict=True)
            ],
        )
        connection.execute(
            insert(t.courses),
            [
                {"title": f"Course {n:05d}", "starts_at": now + timedelta(days=n), **stamps}
                for n in numbers
            ],
        )
    return course


def _insert(connection: Connection, table: Table, rows: list[dict[str, object]]) -> list[int]:
    """Insert ``rows`` in one go and return their new ids, in order."""
    result = connection.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


def on(day: int) -> date:
    return START.date() + timedelta(days=day)


_DETAIL_LINK = re.compile(r'href="[^"]*/admin/([a-z-]+)/details/(\d+)"')


def listed(client: AdminClient, identity: str, query: str = "") -> list[int]:
    """The ids of the rows a list page shows, in order."""
    response = client.get(f"/admin/{identity}/list{query}")
    assert response.status_code == 200, response.text[-2000:]
    ids: list[int] = []
    for found_identity, pk in _DETAIL_LINK.findall(response.text):
        if found_identity == identity and int(pk) not in ids:
            ids.append(int(pk))
    return ids


def refusal_records(db: Database, superuser_client: AdminClient) -> dict[str, int]:
    """A course with a slot and a drop-in price, a school, two students; their ids by name."""
    course = add_course(db, "Salsa Basics")
    add_school_id = add_school(db, "Hill School").id
    add_student(db, "Ada", email="ada@example.com")
    other = add_student(db, "Bea", email="bea@example.com")
    with db.write() as session:
        slot_id = session.scalar(select(t.course_slots.c.id))
        drop_in = Price(slot_id=slot_id, pricing_type="drop_in", amount=Decimal("20.00"))
        session.add(drop_in)
        session.commit()
        drop_in_id = drop_in.id
    assert superuser_client.user is not None
    return {
        "course": course.id or 0,
        "slot": slot_id or 0,
        "drop_in_price": drop_in_id or 0,
        "school": add_school_id or 0,
        "other_student": other.id or 0,
        "staff": superuser_client.user.id or 0,
    }
