"""The database itself enforces what it can."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from domain.db.database import Database
from domain.db.tables import contact_logs, courses, students
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


def test_student_email_is_unique_whatever_its_case(db: Database) -> None:
    with db.write() as s:
        s.add(Student(first_name="Ana", email="ana@example.org"))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(Student(first_name="Ana", email="ANA@example.org".lower()))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(Student(first_name="Ana", email="ANA@example.org"))
        s.commit()


def test_money_is_exact_decimal(db: Database) -> None:
    with db.write() as s:
        student = Student(first_name="Bo")
        course = Course(title="Salsa", starts_at=datetime(2030, 1, 1, tzinfo=UTC))
        s.add(Registration(student=student, course=course, amount_due=Decimal("0.1") * 3))
        s.commit()
    with db.read() as s:
        reg = s.get(Registration, 1)
        assert reg is not None
        assert reg.amount_due == Decimal("0.30")
        assert reg.created_at.tzinfo is not None


def test_one_active_registration_per_student_per_course(db: Database) -> None:
    with db.write() as s:
        student = Student(first_name="Cy")
        course = Course(title="Tango", starts_at=datetime(2030, 1, 1, tzinfo=UTC))
        s.add(Registration(student=student, course=course, amount_due=Decimal(0)))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(Registration(student_id=1, course_id=1, amount_due=Decimal(0)))
        s.commit()


def test_deleting_a_school_with_students_is_refused(db: Database) -> None:
    with db.write() as s:
        s.add(Student(first_name="Di", school=School(name="Elm Primary")))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        school = s.get(School, 1)
        s.delete(school)
        s.commit()


def _course(**overrides: object) -> Course:
    values: dict[str, object] = {"title": "Salsa", "starts_at": datetime(2030, 1, 1, tzinfo=UTC)}
    values.update(overrides)
    return Course(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make",
    [
        lambda: _course(capacity=-1),
        lambda: _course(kind="rave"),
        lambda: _course(title="  "),
        lambda: _course(ends_at=datetime(2029, 1, 1, tzinfo=UTC)),
        lambda: Student(first_name="Ed", student_type="vip"),
        lambda: Student(first_name="Ed", email="Ed@Example.org"),
        lambda: Registration(
            student=Student(first_name="Ed"), course=_course(), amount_due=Decimal("-5")
        ),
        lambda: Registration(
            student=Student(first_name="Ed"),
            course=_course(),
            amount_due=Decimal(0),
            pricing_type="drop_in",
        ),
    ],
    ids=[
        "negative-capacity",
        "unknown-course-kind",
        "blank-title",
        "ends-before-start",
        "unknown-student-type",
        "mixed-case-email",
        "negative-amount",
        "drop-in-without-session",
    ],
)
def test_the_database_refuses_rows_that_break_a_check(db: Database, make: object) -> None:
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(make())  # type: ignore[operator]
        s.commit()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(courses)) == 0
        assert s.scalar(select(func.count()).select_from(students)) == 0


def test_two_waitlist_entries_cannot_share_a_position(db: Database) -> None:
    with db.write() as s:
        course = _course()
        s.add(WaitlistEntry(student=Student(first_name="A"), course=course, position=1))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(WaitlistEntry(student=Student(first_name="B"), course_id=1, position=1))
        s.commit()


def test_an_entry_in_line_must_have_a_position_and_one_that_left_must_not(db: Database) -> None:
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(WaitlistEntry(student=Student(first_name="A"), course=_course(), position=None))
        s.commit()
    with db.write() as s, pytest.raises(IntegrityError):
        s.add(
            WaitlistEntry(
                student=Student(first_name="A"), course=_course(), position=2, status="claimed"
            )
        )
        s.commit()


def test_an_entity_made_from_ids_keeps_them(db: Database) -> None:
    with db.write() as s:
        s.add(_course())
        s.commit()
    with db.write() as s:
        s.add(ClassSession(course_id=1, session_date=date(2030, 1, 1)))
        s.commit()
    with db.read() as s:
        session = s.get(ClassSession, 1)
        assert session is not None and session.course_id == 1


def test_timestamps_come_back_aware_and_naive_ones_are_refused(db: Database) -> None:
    eastern = timezone(timedelta(hours=-5))
    with db.write() as s:
        s.add(_course(starts_at=datetime(2030, 1, 1, 19, 0, tzinfo=eastern)))
        s.commit()
    with db.read() as s:
        course = s.get(Course, 1)
        assert course is not None
        assert course.starts_at == datetime(2030, 1, 2, 0, 0, tzinfo=UTC)
        assert course.starts_at.utcoffset() == timedelta(0)
    with db.write() as s, pytest.raises(StatementError, match="naive datetime"):
        s.add(_course(starts_at=datetime(2030, 1, 1)))
        s.commit()


def test_deleting_history_is_refused_by_the_database(db: Database) -> None:
    with db.write() as s:
        course = _course()
        session = ClassSession(course=course, session_date=date(2030, 1, 1))
        registration = Registration(
            student=Student(first_name="Fay"), course=course, amount_due=Decimal("10")
        )
        s.add(Attendance(session=session, registration=registration, status="present"))
        s.commit()
    for entity in (Course, ClassSession, Registration, Student):
        with db.write() as s, pytest.raises(IntegrityError):
            s.delete(s.get(entity, 1))
            s.commit()
    with db.read() as s:
        assert s.get(Attendance, 1) is not None


def test_a_schools_contact_history_goes_with_the_school(db: Database) -> None:
    with db.write() as s:
        school = School(name="Oak Primary")
        school.contact_history.append(
            ContactLog(contacted_at=datetime(2030, 1, 1, tzinfo=UTC), comment="Called")
        )
        s.add(school)
        s.commit()
    with db.write() as s:
        s.delete(s.get(School, 1))
        s.commit()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(contact_logs)) == 0
