"""``rollbook demo`` loads realistic data for both kinds of programme, exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from domain.db.database import Database
from domain.db.tables import metadata
from domain.demo import load_demo, row_counts
from domain.enums import (
    SEAT_HOLDING_PAYMENT_STATUSES,
    CourseKind,
    PaymentStatus,
    PricingType,
    StudentType,
    WaitlistStatus,
)
from domain.model import (
    Attendance,
    ClassSession,
    ContactLog,
    Course,
    Registration,
    School,
    Student,
    WaitlistEntry,
)
from domain.services.seats import seats_left, seats_open_to_book

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_running_the_demo_twice_changes_nothing(db: Database) -> None:
    first = load_demo(db, now=NOW)
    assert first.loaded
    with db.read() as s:
        before = row_counts(s)
    second = load_demo(db, now=datetime(2026, 4, 1, tzinfo=UTC))
    assert not second.loaded
    with db.read() as s:
        assert row_counts(s) == before
    assert second.counts == before == first.counts


def test_demo_has_enough_rows_for_lists_to_paginate(db: Database) -> None:
    counts = load_demo(db, now=NOW).counts
    assert sum(counts.values()) >= 500
    assert counts["students"] > 100
    assert counts["registrations"] > 100
    assert counts["schools"] > 20


def test_demo_is_the_same_every_time_for_the_same_moment(db: Database, tmp_path: Path) -> None:
    load_demo(db, now=NOW)
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    metadata.create_all(other.engine)
    load_demo(other, now=NOW)
    query = select(Student.email, Student.first_name, Student.student_type).order_by(Student.id)
    with db.read() as a, other.read() as b:
        assert a.execute(query).all() == b.execute(query).all()
        assert row_counts(a) == row_counts(b)
    other.dispose()


def test_demo_covers_both_kinds_of_programme(db: Database) -> None:
    load_demo(db, now=NOW)
    with db.read() as s:
        kinds = Counter(s.scalars(select(Course.kind)))
        assert kinds[CourseKind.WORKSHOP] >= 4
        assert kinds[CourseKind.CREW_PRACTICE] == 1
        assert kinds[CourseKind.DROP_IN] == 1
        crew = s.scalars(select(Course).where(Course.kind == CourseKind.CREW_PRACTICE)).one()
        assert crew.required_student_type == StudentType.CREW_MEMBER
        two_slot = [c for c in s.scalars(select(Course)) if len(c.slots) == 2]
        assert two_slot, "a dance series meets in two weekly slots"
        for slot in two_slot[0].slots:
            assert {p.pricing_type for p in slot.prices} == set(PricingType)
        schools_with_history = s.scalar(select(func.count(func.distinct(ContactLog.school_id))))
        assert schools_with_history == s.scalar(select(func.count()).select_from(School))
        students = list(s.scalars(select(Student)))
        assert any(st.school_id for st in students), "teachers come from schools"
        assert any(st.student_type == StudentType.CREW_MEMBER for st in students)
        assert any(not st.admin_classified for st in students), "some await classification"
        assert all(st.email is None or st.email == st.email.lower() for st in students)


def test_demo_has_registrations_in_every_payment_state(db: Database) -> None:
    load_demo(db, now=NOW)
    with db.read() as s:
        states = set(s.scalars(select(Registration.payment_status)))
        assert states == set(PaymentStatus)
        assert s.scalar(select(func.count()).where(Registration.cancelled_at.is_not(None)))
        drop_ins = list(
            s.scalars(select(Registration).where(Registration.pricing_type == PricingType.DROP_IN))
        )
        assert drop_ins
        assert all(r.drop_in_session_id is not None for r in drop_ins)


def test_demo_has_a_full_course_with_a_contiguous_waitlist(db: Database) -> None:
    load_demo(db, now=NOW)
    with db.read() as s:
        entries = list(s.scalars(select(WaitlistEntry)))
        course_ids = {e.course_id for e in entries}
        assert len(course_ids) == 1
        course = s.get(Course, course_ids.pop())
        assert course is not None
        active = [
            r
            for r in course.registrations
            if r.cancelled_at is None and r.payment_status in SEAT_HOLDING_PAYMENT_STATUSES
        ]
        offers = [e for e in entries if e.status == WaitlistStatus.OFFERED]
        assert len(active) + len(offers) == course.capacity
        assert seats_open_to_book(s, course, now=NOW) == 0
        in_line = sorted(e.position for e in entries if e.position is not None)
        assert in_line == list(range(1, len(in_line) + 1))
        assert len(in_line) >= 3
        for entry in entries:
            in_line_status = entry.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
            assert in_line_status == (entry.position is not None)
        waiting_students = {e.student_id for e in entries if e.position is not None}
        assert not waiting_students & {r.student_id for r in active}


def test_demo_has_attendance_on_past_sessions_only(db: Database) -> None:
    load_demo(db, now=NOW)
    with db.read() as s:
        marked = list(s.scalars(select(Attendance)))
        assert len(marked) > 100
        dates = {s.get(ClassSession, a.session_id).session_date for a in marked}  # type: ignore[union-attr]
        assert max(dates) < NOW.date()
        assert {a.status for a in marked} == {"present", "absent", "late"}


def test_demo_never_has_more_seats_taken_than_a_course_holds(db: Database) -> None:
    load_demo(db, now=NOW)
    with db.read() as s:
        for course in s.scalars(select(Course)):
            assert seats_left(s, course, now=NOW) >= 0, course.title
            for class_session in course.sessions:
                if class_session.session_date >= NOW.date():
                    left = seats_left(s, course, now=NOW, drop_in_session_id=class_session.id)
                    assert left >= 0, f"{course.title} {class_session.session_date}"
