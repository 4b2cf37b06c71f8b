"""Rule 1 under load: concurrent registrations never take more seats than a course has.

Fifty threads, each with its own student and its own unit of work, register at
once for a 10-seat course. The canary runs the same race with the capacity lock
switched off and shows it overbooks, so the main test is known to be able to fail.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PricingType
from domain.errors import CourseFull
from domain.model import Course
from domain.services import registration as registration_service
from domain.services import registration_core
from domain.services.registration import register_student
from domain.services.registration_core import RegistrationOutcome
from domain.services.seats import Occupancy
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    active_count,
    add_course,
    add_session,
    details,
    row_count,
)

THREADS = 50
SEATS = 10
ROUNDS = 3
#: Widens the gap between counting seats and inserting, so a missing lock shows.
RACE_PAUSE = 0.02


@pytest.fixture
def slow_count(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pause after every seat count, before the registration is written."""
    real = registration_core.course_occupancy

    def counted_then_pause(session: Session, course: Course, *, now: datetime) -> Occupancy:
        occupancy = real(session, course, now=now)
        time.sleep(RACE_PAUSE)
        return occupancy

    monkeypatch.setattr(registration_core, "course_occupancy", counted_then_pause)
    yield


@pytest.fixture
def no_capacity_lock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Load the course without FOR UPDATE: the lock this file proves is needed."""

    def unlocked(session: Session, course_id: int) -> Course:
        return session.scalars(select(Course).where(t.courses.c.id == course_id)).one()

    monkeypatch.setattr(registration_service, "lock_course", unlocked)
    yield


def _race(calls: list[Callable[[], RegistrationOutcome]]) -> tuple[list[object], Counter[str]]:
    """Run every call at the same moment; return outcomes and a tally of what happened."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    guard = threading.Lock()

    def run(call: Callable[[], RegistrationOutcome]) -> None:
        barrier.wait()
        try:
            result: object = call()
        except Exception as exc:  # every failure is reported, none swallowed
            result = exc
        with guard:
            results.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    tally: Counter[str] = Counter()
    for result in results:
        if isinstance(result, RegistrationOutcome):
            tally["created" if result.created else "existing"] += 1
        elif isinstance(result, CourseFull):
            tally["full"] += 1
        else:
            tally[f"{type(result).__name__}: {result}"] += 1
    return results, tally


def _register_many(db: Database, course_id: int, round_no: int) -> Counter[str]:
    def call(n: int) -> Callable[[], RegistrationOutcome]:
        return lambda: register_student(
            db, course_id=course_id, student=details(f"{round_no}-{n}"), actor=PUBLIC, now=NOW
        )

    _, tally = _race([call(n) for n in range(THREADS)])
    return tally


def test_fifty_concurrent_registrations_fill_ten_seats_exactly(
    db: Database, slow_count: None
) -> None:
    for round_no in range(ROUNDS):
        course = add_course(db, title=f"Round {round_no}", capacity=SEATS)
        tally = _register_many(db, course, round_no)
        # No "database is locked" or any other error reaches a caller.
        assert tally == Counter(created=SEATS, full=THREADS - SEATS), tally
        assert active_count(db, course) == SEATS


@pytest.mark.postgres_only
@pytest.mark.parametrize("backend", ["postgresql"])
def test_canary_without_the_capacity_lock_the_race_overbooks(
    db: Database, slow_count: None, no_capacity_lock: None
) -> None:
    overbooked = []
    for round_no in range(ROUNDS):
        course = add_course(db, title=f"Canary {round_no}", capacity=SEATS)
        _register_many(db, course, round_no)
        overbooked.append(active_count(db, course))
    assert max(overbooked) > SEATS, overbooked


def test_concurrent_double_submissions_make_one_registration(db: Database) -> None:
    course = add_course(db, package=["80.00"])
    results, tally = _race(
        [
            lambda: register_student(
                db, course_id=course, student=details("same"), actor=PUBLIC, now=NOW
            )
            for _ in range(10)
        ]
    )
    assert tally == Counter(created=1, existing=9), tally
    assert len({r.registration_id for r in results if isinstance(r, RegistrationOutcome)}) == 1
    assert row_count(db, "registrations") == 1 and row_count(db, "students") == 1


@pytest.mark.postgres_only
@pytest.mark.parametrize("backend", ["postgresql"])
def test_database_alone_refuses_a_second_active_registration(
    db: Database, slow_count: None, no_capacity_lock: None
) -> None:
    # Even with the lock gone, the partial unique index keeps one active
    # registration per student and course; the losers get the winner's back.
    course = add_course(db, package=["80.00"])
    _, tally = _race(
        [
            lambda: register_student(
                db, course_id=course, student=details("same"), actor=PUBLIC, now=NOW
            )
            for _ in range(10)
        ]
    )
    assert tally == Counter(created=1, existing=9), tally
    assert row_count(db, "registrations") == 1 and row_count(db, "students") == 1


def test_concurrent_drop_ins_and_packages_never_overfill_a_session(
    db: Database, slow_count: None
) -> None:
    course = add_course(db, capacity=SEATS, package=["80.00"], drop_in=["15.00"])
    monday = add_session(db, course, date(2030, 2, 4))

    def call(n: int) -> Callable[[], RegistrationOutcome]:
        kind = {"pricing_type": PricingType.DROP_IN, "drop_in_session_id": monday}
        # Thirty people, each from their own address: one address may hold only a
        # few unpaid bookings (tests/integration/test_unpaid_cap.py).
        return lambda: register_student(
            db,
            course_id=course,
            student=details(f"mix-{n}"),
            actor=Actor.public(f"198.51.100.{n}"),
            now=NOW,
            **(kind if n % 2 else {}),  # type: ignore[arg-type]
        )

    _, tally = _race([call(n) for n in range(30)])
    assert tally == Counter(created=SEATS, full=30 - SEATS), tally
    # Every package holder and every Monday drop-in sits in Monday's class.
    assert active_count(db, course) == SEATS
