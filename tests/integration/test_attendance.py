"""Rosters, marks and attendance figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import attendance, audit_entries
from domain.enums import AttendanceStatus, PaymentStatus
from domain.errors import NotFound, ValidationError
from domain.model import Attendance, AuditEntry, Registration
from domain.rules.settings import Settings
from domain.services.attendance import mark_all_present, mark_attendance
from domain.services.attendance_roster import roster
from domain.services.attendance_stats import (
    course_stats,
    participants_trained_total,
    registration_completion,
    session_stats,
)
from tests.integration.w_factories import (
    add_course,
    add_registration,
    add_session,
    add_student,
    staff_actor,
)

PRESENT, ABSENT, LATE = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.LATE
NOW = datetime(2030, 3, 20, 12, tzinfo=UTC)


@dataclass
class Class:
    course_id: int
    sessions: list[int]
    regs: dict[str, int]
    actor: Actor


@pytest.fixture
def klass(db: Database) -> Class:
    """A course with three weekly sessions and three paid students from two schools."""
    course_id = add_course(db, capacity=10)
    sessions = [
        add_session(db, course_id=course_id, day=date(2030, 3, 4) + timedelta(weeks=w))
        for w in range(3)
    ]
    regs = {
        name: add_registration(
            db, course_id=course_id, student_id=add_student(db, name, last, school=school)
        )
        for name, last, school in [
            ("Zoe", "Young", "Oak High"),
            ("Ann", "Baker", "Oak High"),
            ("Max", "Adams", "Elm School"),
        ]
    }
    return Class(course_id, sessions, regs, staff_actor(db))


def names(db: Database, session_id: int) -> list[tuple[str, str, str | None]]:
    with db.read() as s:
        return [
            (line.school_name, line.student_name, line.status)
            for line in roster(s, session_id, now=NOW)
        ]


def test_roster_is_the_active_registrations_grouped_by_school(db: Database, klass: Class) -> None:
    assert names(db, klass.sessions[0]) == [
        ("Elm School", "Max Adams", None),
        ("Oak High", "Ann Baker", None),
        ("Oak High", "Zoe Young", None),
    ]


def test_roster_leaves_out_cancelled_unpaid_and_other_sessions_drop_ins(
    db: Database, klass: Class
) -> None:
    first, second = klass.sessions[0], klass.sessions[1]
    c = klass.course_id
    add_registration(db, course_id=c, student_id=add_student(db, "Cat", "Gone"), cancelled=True)
    add_registration(
        db,
        course_id=c,
        student_id=add_student(db, "Eve", "Late"),
        payment_status=PaymentStatus.EXPIRED,
    )
    add_registration(
        db, course_id=c, student_id=add_student(db, "Dan", "Drop"), drop_in_session_id=second
    )
    with db.write() as s:  # an unpaid registration whose payment hold has passed
        s.add(
            Registration(
                course_id=c,
                student_id=add_student(db, "Hal", "Held"),
                amount_due=Decimal(5),
                hold_expires_at=NOW - timedelta(hours=1),
            )
        )
        s.commit()
    on_first = [n for _, n, _ in names(db, first)]
    assert on_first == ["Max Adams", "Ann Baker", "Zoe Young"]
    assert "Dan Drop" in [n for _, n, _ in names(db, second)]


def test_marks_are_saved_with_who_and_when(db: Database, klass: Class) -> None:
    session_id = klass.sessions[0]
    changed = mark_attendance(
        db,
        session_id=session_id,
        marks={klass.regs["Ann"]: PRESENT, klass.regs["Max"]: "late"},
        actor=klass.actor,
        now=NOW,
    )
    assert changed == 2
    assert names(db, session_id) == [
        ("Elm School", "Max Adams", "late"),
        ("Oak High", "Ann Baker", "present"),
        ("Oak High", "Zoe Young", None),
    ]
    with db.read() as s:
        mark = s.scalars(
            select(Attendance).where(attendance.c.registration_id == klass.regs["Ann"])
        ).one()
        assert (mark.marked_by_id, mark.marked_at) == (klass.actor.staff_user_id, NOW)
        actions = [(e.action, e.actor_label) for e in s.scalars(select(AuditEntry))]
    assert actions == [("attendance.mark", "maria")] * 2


def test_changing_and_clearing_a_mark(db: Database, klass: Class) -> None:
    session_id, ann = klass.sessions[0], klass.regs["Ann"]
    mark_attendance(db, session_id=session_id, marks={ann: PRESENT}, actor=klass.actor)
    mark_attendance(db, session_id=session_id, marks={ann: ABSENT}, actor=klass.actor)
    assert ("Oak High", "Ann Baker", "absent") in names(db, session_id)
    mark_attendance(db, session_id=session_id, marks={ann: None}, actor=klass.actor)
    assert ("Oak High", "Ann Baker", None) in names(db, session_id)
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).order_by(audit_entries.c.id))
        actions = [e.action for e in entries]
    assert actions == ["attendance.mark", "attendance.mark", "attendance.unmark"]


def test_marking_someone_not_on_the_roster_changes_nothing(db: Database, klass: Class) -> None:
    session_id = klass.sessions[0]
    other = add_registration(
        db,
        course_id=klass.course_id,
        student_id=add_student(db, "Dan", "Drop"),
        drop_in_session_id=klass.sessions[1],
    )
    with pytest.raises(ValidationError, match=f"#{other} is not on this session's roster"):
        mark_attendance(
            db,
            session_id=session_id,
            marks={klass.regs["Ann"]: PRESENT, other: PRESENT},
            actor=klass.actor,
        )
    assert all(status is None for _, _, status in names(db, session_id))


def test_unknown_mark_is_refused(db: Database, klass: Class) -> None:
    with pytest.raises(ValidationError, match="present, absent or late"):
        mark_attendance(
            db,
            session_id=klass.sessions[0],
            marks={klass.regs["Ann"]: "sleeping"},
            actor=klass.actor,
        )


def test_marking_a_missing_session_says_so(db: Database, klass: Class) -> None:
    with pytest.raises(NotFound, match="no class session with id 999"):
        mark_attendance(db, session_id=999, marks={}, actor=klass.actor)


def test_mark_all_present_keeps_marks_already_given(db: Database, klass: Class) -> None:
    session_id = klass.sessions[0]
    mark_attendance(db, session_id=session_id, marks={klass.regs["Max"]: ABSENT}, actor=klass.actor)
    assert mark_all_present(db, session_id=session_id, actor=klass.actor) == 2
    assert [status for _, _, status in names(db, session_id)] == ["absent", "present", "present"]
    assert mark_all_present(db, session_id=session_id, actor=klass.actor) == 0


def test_session_stats_count_each_mark(db: Database, klass: Class) -> None:
    session_id = klass.sessions[0]
    mark_attendance(
        db,
        session_id=session_id,
        marks={klass.regs["Max"]: ABSENT, klass.regs["Ann"]: LATE},
        actor=klass.actor,
    )
    with db.read() as s:
        stats = session_stats(s, session_id, now=NOW)
    assert (stats.total, stats.present, stats.absent, stats.late, stats.unmarked) == (3, 0, 1, 1, 1)


def take_register(db: Database, klass: Class) -> None:
    """Week 1: all attend (Max late); week 2: Zoe absent; week 3 is yet to come."""
    first, second, _third = klass.sessions
    mark_attendance(
        db,
        session_id=first,
        marks={klass.regs["Ann"]: PRESENT, klass.regs["Max"]: LATE, klass.regs["Zoe"]: PRESENT},
        actor=klass.actor,
    )
    mark_attendance(
        db,
        session_id=second,
        marks={klass.regs["Ann"]: PRESENT, klass.regs["Max"]: PRESENT, klass.regs["Zoe"]: ABSENT},
        actor=klass.actor,
    )


def test_completion_is_attended_over_sessions_held_so_far(db: Database, klass: Class) -> None:
    take_register(db, klass)
    today = date(2030, 3, 11)  # two of the three sessions held
    with db.read() as s:
        assert registration_completion(s, klass.regs["Max"], today=today) == Decimal(1)
        assert registration_completion(s, klass.regs["Zoe"], today=today) == Decimal("0.5")
        assert registration_completion(s, klass.regs["Zoe"], today=date(2030, 3, 1)) == 0
        with pytest.raises(NotFound):
            registration_completion(s, 999, today=today)


def test_course_stats_average_and_trained_per_threshold(db: Database, klass: Class) -> None:
    take_register(db, klass)
    today = date(2030, 3, 11)
    with db.read() as s:
        full = course_stats(s, klass.course_id, today=today, settings=Settings(), now=NOW)
        half = course_stats(
            s,
            klass.course_id,
            today=today,
            settings=Settings(completion_threshold_percent=50),
            now=NOW,
        )
    assert (full.sessions_total, full.sessions_held, full.participants) == (3, 2, 3)
    assert full.average_completion == Decimal("0.8333")
    assert (full.participants_trained, half.participants_trained) == (2, 3)


def test_participants_trained_are_counted_across_courses(db: Database, klass: Class) -> None:
    take_register(db, klass)
    other = add_course(db, title="Tango", capacity=5)
    day = add_session(db, course_id=other, day=date(2030, 3, 5))
    tango = add_registration(db, course_id=other, student_id=add_student(db, "Tia", "Tango"))
    mark_attendance(db, session_id=day, marks={tango: PRESENT}, actor=klass.actor)
    with db.read() as s:
        total = participants_trained_total(s, today=date(2030, 3, 11), settings=Settings(), now=NOW)
        before_any = participants_trained_total(
            s, today=date(2030, 3, 1), settings=Settings(), now=NOW
        )
    assert (total, before_any) == (3, 0)
