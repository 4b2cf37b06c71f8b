"""Bulk data for the admin-at-scale, export and memory benchmarks.

Rows go in with SQLAlchemy Core in batches (the services would take an hour for
100,000 registrations and would measure themselves, not the admin). The shape
follows the studio: 1,000 courses with a slot, a price and weekly sessions,
10,000 students (a fifth from one of 100 schools), each booked on 10 courses
(100 per course), a mix of paid, pending and cancelled; plus one course with
exactly 60 students whose first class is half marked, for the roll call.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text

from domain.db import tables as t
from domain.db.tables import metadata

BATCH = 10_000


@dataclass(frozen=True)
class Scale:
    courses: int = 1_000
    students: int = 10_000
    per_student: int = 10  # registrations per student: courses * 100 in all
    schools: int = 100
    sessions_per_course: int = 4
    roll_call_students: int = 60


@dataclass(frozen=True)
class Seeded:
    registrations: int
    students: int
    courses: int
    busy_course_id: int  # a course with ~100 registrations
    roll_call_course_id: int
    roll_call_session_id: int
    search_term: str


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def seed(url: str, scale: Scale = Scale()) -> Seeded:
    engine = create_engine(url)
    metadata.create_all(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    with engine.begin() as conn:
        _insert(
            conn,
            t.schools,
            [
                {
                    "name": f"School {i:03d}",
                    "location": "Springfield",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(scale.schools)
            ],
        )
        school_ids = list(conn.scalars(select(t.schools.c.id).order_by(t.schools.c.id)))
        course_rows = []
        for i in range(scale.courses + 1):  # the last one is the roll-call course
            starts = now + timedelta(days=(i % 400) - 200, hours=i % 5)
            course_rows.append(
                {
                    "title": f"Course {i:04d} " + ("Salsa", "Bachata", "Kizomba", "Tango")[i % 4],
                    "kind": "series",
                    "description": "",
                    "instructor": "Ana",
                    "location": "Studio A",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(weeks=scale.sessions_per_course - 1, hours=2),
                    "capacity": 120,
                    "is_published": True,
                    "comment": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _insert(conn, t.courses, course_rows)
        course_ids = list(conn.scalars(select(t.courses.c.id).order_by(t.courses.c.id)))
        _insert(
            conn,
            t.course_slots,
            [
                {
                    "course_id": c,
                    "name": "Evening",
                    "difficulty_level": "beginner",
                    "day_of_week": 0,
                    "start_time": time(18),
                    "end_time": time(20),
                    "location": "",
                }
                for c in course_ids
            ],
        )
        slots = dict(conn.execute(select(t.course_slots.c.course_id, t.course_slots.c.id)).all())
        _insert(
            conn,
            t.prices,
            [
                {"slot_id": s, "pricing_type": "full_package", "amount": Decimal("120.00")}
                for s in slots.values()
            ],
        )
        starts_of = dict(conn.execute(select(t.courses.c.id, t.courses.c.starts_at)).all())
        _insert(
            conn,
            t.class_sessions,
            [
                {
                    "course_id": c,
                    "slot_id": slots[c],
                    "session_date": (starts_of[c] + timedelta(weeks=w)).date(),
                    "start_time": time(18),
                    "end_time": time(20),
                    "location": "",
                    "notes": "",
                }
                for c in course_ids
                for w in range(scale.sessions_per_course)
            ],
        )
        names = ("Garcia", "Smith", "Nguyen", "Kowalski", "Okafor", "Rossi", "Tanaka", "Silva")
        _insert(
            conn,
            t.students,
            [
                {
                    "email": f"student{i:05d}@example.com",
                    "first_name": f"First{i:05d}",
                    "last_name": names[i % len(names)],
                    "title": "",
                    "phone": "555-0100",
                    "school_id": school_ids[i % len(school_ids)] if i % 5 == 0 else None,
                    "student_type": "general",
                    "profile_complete": True,
                    "admin_classified": i % 3 == 0,
                    "experience": "",
                    "emergency_contact": "",
                    "notes": "",
                    "created_at": now - timedelta(minutes=i),
                    "updated_at": now,
                }
                for i in range(scale.students)
            ],
        )
        student_ids = list(conn.scalars(select(t.students.c.id).order_by(t.students.c.id)))
        regular = course_ids[:-1]
        registrations = []
        for s_index, student_id in enumerate(student_ids):
            for k in range(scale.per_student):
                course_id = regular[(s_index * scale.per_student + k) % len(regular)]
                registrations.append(_registration(student_id, course_id, s_index * 10 + k, now))
        roll_call_course = course_ids[-1]
        registrations += [
            _registration(student_ids[i], roll_call_course, 1, now)
            for i in range(scale.roll_call_students)
        ]
        _insert(conn, t.registrations, registrations)
        roll_call_session = conn.scalar(
            select(func.min(t.class_sessions.c.id)).where(
                t.class_sessions.c.course_id == roll_call_course
            )
        )
        on_roll = list(
            conn.scalars(
                select(t.registrations.c.id).where(t.registrations.c.course_id == roll_call_course)
            )
        )
        _insert(
            conn,
            t.attendance,
            [
                {
                    "session_id": roll_call_session,
                    "registration_id": r,
                    "status": "present",
                    "marked_at": now,
                }
                for r in on_roll[: len(on_roll) // 2]
            ],
        )
        total = int(conn.scalar(select(func.count()).select_from(t.registrations)) or 0)
    # Statistics, as autovacuum would have gathered on a database that grew over time.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return Seeded(
        registrations=total,
        students=len(student_ids),
        courses=len(course_ids),
        busy_course_id=regular[len(regular) // 2],
        roll_call_course_id=roll_call_course,
        roll_call_session_id=int(roll_call_session or 0),
        search_term="student04242",
    )


def _registration(student_id: int, course_id: int, n: int, now: datetime) -> dict[str, Any]:
    state = n % 10
    paid = state < 6
    cancelled = state == 9
    return {
        "student_id": student_id,
        "course_id": course_id,
        "pricing_type": "full_package",
        "amount_due": Decimal("120.00"),
        "payment_status": "completed" if paid else "pending",
        "payment_method": "venmo" if paid else None,
        "payment_reference": f"V{n}" if paid else "",
        "payment_confirmed_at": now if paid else None,
        "hold_expires_at": None if paid else now + timedelta(days=3),
        "special_requests": "",
        "source": "public",
        "from_waitlist": False,
        "override_reason": "",
        "cancelled_at": now if cancelled else None,
        "cancellation_reason": "Changed plans" if cancelled else "",
        "created_at": now - timedelta(seconds=n),
        "updated_at": now,
    }


def superuser_session(db: Any, name: str) -> str:
    """A new superuser signed in to the admin: the session token for its cookie."""
    from domain.model import StaffUser
    from domain.services.staff_sessions import start_session

    with db.write() as session:
        user = StaffUser(
            username=f"{name}-{secrets.token_hex(4)}",
            full_name=name.capitalize(),
            email=f"{name}@example.org",
            is_superuser=True,
        )
        session.add(user)
        session.commit()
        user_id = user.id
    assert user_id is not None
    return start_session(db, staff_user_id=user_id)[0]
