"""A course with two sessions a week apart, a drop-in price, and students booked on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from domain.actors import Actor
from domain.config import Config
from domain.db.database import Database
from domain.enums import PricingType
from domain.model import ClassSession, Course, CourseSlot, Price
from domain.outbox.worker import run_periodic_jobs, send_due_emails
from domain.services.registration import StudentDetails, register_student

PUBLIC = Actor.public("198.51.100.7")
#: Registrations are made at this moment; the first class is five days later at 18:00 UTC.
BOOKED_AT = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
FIRST = datetime(2030, 3, 6, 18, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)


@dataclass(frozen=True)
class Seeded:
    course_id: int
    first_session: int
    second_session: int


def seed_course(db: Database, *, price: str = "0", drop_in: str = "0") -> Seeded:
    """A published weekly course ("Tango Basics", Hall A, bring soft shoes) with two sessions."""
    with db.write() as session:
        course = Course(
            title="Tango Basics",
            starts_at=FIRST,
            ends_at=SECOND + timedelta(hours=2),
            capacity=20,
            is_published=True,
            location="Hall A",
            what_to_bring="Soft-soled shoes and water",
        )
        slot = CourseSlot(day_of_week=FIRST.weekday(), start_time=time(18), end_time=time(20))
        slot.prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=Decimal(price)))
        slot.prices.append(Price(pricing_type=PricingType.DROP_IN, amount=Decimal(drop_in)))
        course.slots.append(slot)
        sessions = [
            ClassSession(session_date=day, start_time=time(18), end_time=time(20), slot=slot)
            for day in (FIRST.date(), SECOND.date())
        ]
        course.sessions.extend(sessions)
        session.add(course)
        session.commit()
        assert course.id and sessions[0].id and sessions[1].id
        return Seeded(course.id, sessions[0].id, sessions[1].id)


def book(
    db: Database,
    course_id: int,
    name: str,
    *,
    drop_in_session: int | None = None,
    at: datetime = BOOKED_AT,
) -> int:
    outcome = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email=f"{name.lower()}@example.org", first_name=name),
        pricing_type=PricingType.DROP_IN if drop_in_session else PricingType.FULL_PACKAGE,
        drop_in_session_id=drop_in_session,
        actor=PUBLIC,
        now=at,
    )
    return outcome.registration_id


def in_parallel(workers: int, job: Callable[[int], None]) -> None:
    """Run ``job(n)`` on ``workers`` threads started together; re-raise the first failure."""
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            job(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors


def workers_round(db: Database, config: Config, now: datetime, workers: int = 4) -> None:
    """``workers`` workers each run the periodic jobs and send, all at the same moment."""

    def work(n: int) -> None:
        run_periodic_jobs(db, now=now)
        while send_due_emails(db, config, now=now, limit=2, worker_id=f"w{n}"):
            pass

    in_parallel(workers, work)
