"""The calendar's sessions between two dates, with the same booked count as the roll call."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import update

from domain.db.database import Database
from domain.db.tables import registrations
from domain.enums import PaymentStatus
from domain.services.attendance_roster import roster
from domain.services.calendar import sessions_between
from tests.integration.w_factories import add_course, add_registration, add_session, add_student

NOW = datetime(2030, 3, 1, 12, tzinfo=UTC)


def test_sessions_between_two_dates_count_who_is_on_each_roster(db: Database) -> None:
    course = add_course(db, title="Salsa Basics", location="Studio A")
    first = add_session(db, course_id=course, day=date(2030, 3, 4), start=time(18))
    second = add_session(db, course_id=course, day=date(2030, 3, 6), start=time(9))
    outside = add_session(db, course_id=course, day=date(2030, 3, 11))
    student = iter(add_student(db, f"Student{n}") for n in range(10))
    for _ in range(2):
        add_registration(db, course_id=course, student_id=next(student))
    add_registration(db, course_id=course, student_id=next(student), cancelled=True)
    add_registration(
        db, course_id=course, student_id=next(student), payment_status=PaymentStatus.NOT_REQUIRED
    )
    expired = add_registration(
        db, course_id=course, student_id=next(student), payment_status=PaymentStatus.PENDING
    )
    with db.engine.begin() as connection:
        connection.execute(
            update(registrations)
            .where(registrations.c.id == expired)
            .values(hold_expires_at=datetime(2030, 2, 1, tzinfo=UTC))
        )
    add_registration(db, course_id=course, student_id=next(student), drop_in_session_id=first)
    add_registration(db, course_id=course, student_id=next(student), drop_in_session_id=outside)

    with db.read() as session:
        found = sessions_between(session, date(2030, 3, 4), date(2030, 3, 10), now=NOW)
        rosters = {s.id: len(roster(session, s.id, now=NOW)) for s in found}

    assert [(s.id, s.session_date, s.start_time) for s in found] == [
        (first, date(2030, 3, 4), time(18)),
        (second, date(2030, 3, 6), time(9)),
    ]
    # Two paid and one free full-course bookings, plus the first session's drop-in.
    assert [s.booked for s in found] == [4, 3]
    assert {s.id: s.booked for s in found} == rosters
    assert all(s.course_title == "Salsa Basics" and s.location == "Studio A" for s in found)


def test_both_end_dates_are_included(db: Database) -> None:
    course = add_course(db)
    days = [date(2030, 3, d) for d in (3, 4, 10, 11)]
    ids = [add_session(db, course_id=course, day=day) for day in days]
    with db.read() as session:
        found = sessions_between(session, date(2030, 3, 4), date(2030, 3, 10), now=NOW)
    assert [s.id for s in found] == ids[1:3]
