"""The database itself enforces what it can."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from domain.db.database import Database
from domain.model import Course, Registration, School, Student


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
