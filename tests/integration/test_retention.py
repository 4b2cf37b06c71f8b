"""The retention setting: the worker's job erases students inactive that long, and only them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import Registration, Student
from domain.outbox.worker import run_periodic_jobs
from domain.services.registration import register_student
from domain.services.settings import ensure_settings, update_setting
from tests.factories import insert, staff_actor
from tests.integration.r_factories import PUBLIC, add_course, details

LONG_AGO = datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _student(db: Database, email: str, at: datetime) -> int:
    return insert(db, Student(email=email, first_name="Kit", created_at=at, updated_at=at))


def _emails(db: Database) -> dict[int, str | None]:
    with db.read() as s:
        return dict(s.execute(select(t.students.c.id, t.students.c.email)).all())


def _retain(db: Database, months: str) -> None:
    ensure_settings(db)
    update_setting(db, "retention_months", months, actor=staff_actor(db))


def test_the_retention_job_erases_only_students_inactive_that_long(db: Database) -> None:
    _retain(db, "24")
    idle = _student(db, "idle@example.org", LONG_AGO)
    recent = _student(db, "recent@example.org", NOW - timedelta(days=300))
    # Added long ago, but booked a course last year: that is activity.
    booked = _student(db, "booked@example.org", LONG_AGO)
    course = add_course(
        db, starts_at=NOW - timedelta(days=200), ends_at=NOW - timedelta(days=100), package=["0.00"]
    )
    register_student(
        db,
        course_id=course,
        student=details(9, email="booked@example.org"),
        actor=PUBLIC,
        now=NOW - timedelta(days=250),
    )

    assert run_periodic_jobs(db, now=NOW)["students_erased"] == 1

    emails = _emails(db)
    assert emails[idle] is None
    assert (emails[recent], emails[booked]) == ("recent@example.org", "booked@example.org")
    # Erased once: the next hour's run finds no one else.
    assert run_periodic_jobs(db, now=NOW + timedelta(hours=1))["students_erased"] == 0


def test_the_retention_job_looks_once_an_hour(db: Database) -> None:
    _retain(db, "24")
    assert run_periodic_jobs(db, now=NOW)["students_erased"] == 0
    idle = _student(db, "idle@example.org", LONG_AGO)
    assert run_periodic_jobs(db, now=NOW + timedelta(minutes=30))["students_erased"] == 0
    assert _emails(db)[idle] == "idle@example.org"
    assert run_periodic_jobs(db, now=NOW + timedelta(hours=1))["students_erased"] == 1


def test_retention_is_off_by_default(db: Database) -> None:
    ensure_settings(db)
    idle = _student(db, "idle@example.org", LONG_AGO)
    assert run_periodic_jobs(db, now=NOW)["students_erased"] == 0
    assert _emails(db)[idle] == "idle@example.org"


def test_an_inactive_student_with_an_unpaid_booking_is_left_for_a_later_run(
    db: Database,
) -> None:
    _retain(db, "12")
    owing = _student(db, "owing@example.org", LONG_AGO)
    course = add_course(db, package=["40.00"])  # starts in 2030
    insert(
        db,
        Registration(
            student_id=owing,
            course_id=course,
            amount_due=Decimal("40.00"),
            payment_status=PaymentStatus.PENDING,
            created_at=LONG_AGO,
            updated_at=LONG_AGO,
        ),
    )
    assert run_periodic_jobs(db, now=NOW)["students_erased"] == 0
    assert _emails(db)[owing] == "owing@example.org"
