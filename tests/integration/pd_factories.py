"""A student with a record of every kind, for the personal-data tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import JSON, String, Text, cast, func, select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentMethod
from domain.model import ContactLog, School
from domain.services.attendance import mark_attendance
from domain.services.payments import confirm_payment
from domain.services.registration import register_student
from domain.services.report_charts import confirmed_revenue_clause
from tests.factories import insert
from tests.integration.r_factories import ENDS, NOW, PUBLIC, add_course, add_session, details

FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL = "zephyrine.quill@example.org"
#: A moment after the course has ended: nothing upcoming stands in the way of erasure.
AFTER = ENDS + timedelta(days=30)


@dataclass(frozen=True)
class Story:
    course_id: int
    student_id: int
    other_student_id: int
    registration_id: int


def story(db: Database, staff: Actor) -> Story:
    """A paid, attended course for the student (and another), with notes naming her."""
    course = add_course(db, package=["110.00"])
    meeting = add_session(db, course, date(2030, 2, 4))
    mine = register_student(
        db,
        course_id=course,
        student=details(
            1,
            first_name=FIRST,
            last_name=LAST,
            email=EMAIL,
            emergency_contact="Orla Quillfeather 555-0199",
        ),
        special_requests=f"{FIRST} has a sore knee",
        actor=PUBLIC,
        now=NOW,
    )
    other = register_student(db, course_id=course, student=details(2), actor=PUBLIC, now=NOW)
    for outcome, ref in ((mine, "VEN-1"), (other, "VEN-2")):
        confirm_payment(
            db,
            registration_id=outcome.registration_id,
            method=PaymentMethod.VENMO,
            reference=ref,
            actor=staff,
            now=NOW,
        )
    mark_attendance(
        db,
        session_id=meeting,
        marks={
            mine.registration_id: AttendanceStatus.PRESENT,
            other.registration_id: AttendanceStatus.LATE,
        },
        actor=staff,
        now=NOW + timedelta(days=26),
    )
    school = insert(db, School(name="Northside High", comments=f"Ask {FIRST} {LAST} about dates"))
    insert(db, ContactLog(school_id=school, contacted_at=NOW, comment=f"Spoke to {EMAIL}"))
    with db.read() as s:
        r = t.registrations.c
        ids = dict(s.execute(select(r.id, r.student_id)).all())
    return Story(
        course, ids[mine.registration_id], ids[other.registration_id], mine.registration_id
    )


def places_naming(db: Database, *words: str) -> list[str]:
    """Every table.column (text or JSON) whose text holds one of ``words``, any case."""
    found = []
    with db.read() as s:
        for table in t.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                text = func.lower(cast(column, Text))
                for word in words:
                    hits = s.scalar(
                        select(func.count())
                        .select_from(table)
                        .where(text.contains(word.lower(), autoescape=True))
                    )
                    if hits:
                        found.append(f"{table.name}.{column.name} ({word})")
    return found


def course_figures(db: Database, course_id: int) -> tuple[list[tuple[str, int]], Decimal]:
    """The course's attendance marks by status, and its revenue."""
    a, r = t.attendance.c, t.registrations.c
    with db.read() as s:
        marks = s.execute(
            select(a.status, func.count())
            .join(t.registrations, r.id == a.registration_id)
            .where(r.course_id == course_id)
            .group_by(a.status)
            .order_by(a.status)
        ).all()
        revenue = s.scalar(
            select(func.coalesce(func.sum(r.amount_due), 0)).where(
                r.course_id == course_id, confirmed_revenue_clause()
            )
        )
    return [(str(status), int(n)) for status, n in marks], Decimal(revenue)
