"""Generating class sessions from a course's slots, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import class_sessions
from domain.errors import NotFound
from domain.model import AuditEntry, ClassSession, CourseSlot
from tests.integration.w_factories import STAFF, add_course, weekly_slot


@dataclass(frozen=True)
class Made:
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    slot_id: int | None


def sessions_of(db: Database, course_id: int) -> list[Made]:
    with db.read() as s:
        rows = s.scalars(
            select(ClassSession)
            .where(class_sessions.c.course_id == course_id)
            .order_by(class_sessions.c.session_date, class_sessions.c.start_time)
        )
        return [Made(r.session_date, r.start_time, r.end_time, r.location, r.slot_id) for r in rows]


def test_weekly_slot_gives_a_session_every_week_of_the_course(db: Database) -> None:
    course_id = add_course(
        db,
        starts_at=datetime(2030, 3, 4, 18, tzinfo=UTC),
        ends_at=datetime(2030, 3, 25, 19, tzinfo=UTC),
        slots=[weekly_slot(0)],
    )
    assert generate_count(db, course_id) == 4
    made = sessions_of(db, course_id)
    assert [s.session_date for s in made] == [
        date(2030, 3, 4),
        date(2030, 3, 11),
        date(2030, 3, 18),
        date(2030, 3, 25),
    ]
    assert all(s.start_time == time(18) and s.location == "Studio A" for s in made)
    assert all(s.slot_id is not None for s in made)


def test_generating_again_creates_nothing_new(db: Database) -> None:
    course_id = add_course(
        db,
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 3, 18, tzinfo=UTC),
        slots=[weekly_slot(0)],
    )
    assert generate_count(db, course_id) == 3
    assert generate_count(db, course_id) == 0
    assert len(sessions_of(db, course_id)) == 3


def test_adding_a_practice_date_later_adds_only_that_session(db: Database) -> None:
    course_id = add_course(
        db,
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 3, 11, tzinfo=UTC),
        slots=[weekly_slot(0)],
    )
    generate_count(db, course_id)
    with db.write() as s:
        s.add(
            CourseSlot(
                course_id=course_id,
                practice_date=date(2030, 3, 9),
                start_time=time(10),
                end_time=time(12),
                location="Gym",
            )
        )
        s.commit()
    assert generate_count(db, course_id) == 1
    practice = [s for s in sessions_of(db, course_id) if s.session_date == date(2030, 3, 9)]
    assert [(p.start_time, p.location) for p in practice] == [(time(10), "Gym")]


def test_single_session_workshop_gets_one_session_on_its_day(db: Database) -> None:
    course_id = add_course(
        db,
        starts_at=datetime(2030, 5, 2, 9, tzinfo=UTC),
        ends_at=datetime(2030, 5, 2, 15, tzinfo=UTC),
        location="Town Hall",
    )
    assert generate_count(db, course_id) == 1
    [only] = sessions_of(db, course_id)
    assert (only.session_date, only.start_time, only.end_time, only.location) == (
        date(2030, 5, 2),
        time(9),
        time(15),
        "Town Hall",
    )


def test_generated_sessions_are_in_the_audit_log(db: Database) -> None:
    course_id = add_course(db, starts_at=datetime(2030, 5, 2, 9, tzinfo=UTC))
    generate_count(db, course_id)
    with db.read() as s:
        entries = [(e.action, e.actor_label) for e in s.scalars(select(AuditEntry))]
    assert entries == [("class_session.generate", "tests")]


def test_generating_for_a_missing_course_says_so(db: Database) -> None:
    with pytest.raises(NotFound, match="no course with id 99"):
        generate_count(db, 99)


def generate_count(db: Database, course_id: int) -> int:
    from domain.services.sessions import generate_sessions

    return generate_sessions(db, course_id=course_id, actor=STAFF)
