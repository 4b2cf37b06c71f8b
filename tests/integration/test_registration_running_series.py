"""The public books drop-ins to a running series, never its full package (both DBs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.db.database import Database
from domain.enums import PricingType
from domain.errors import RegistrationClosed
from domain.services.registration import register_student
from domain.services.settings import update_setting
from tests.integration.r_factories import (
    PUBLIC,
    STARTS,
    add_course,
    add_session,
    details,
    registration,
    row_count,
)

#: Week 5 of the series that started on STARTS (Monday 2030-02-04, 18:00).
WEEK_5 = STARTS + timedelta(weeks=4, days=-1)


def _running_series(db: Database) -> tuple[int, int, int]:
    course = add_course(db, package=["80.00"], drop_in=["15.00"])
    past = add_session(db, course, date(2030, 2, 25))
    future = add_session(db, course, date(2030, 3, 4))
    return course, past, future


def test_public_drop_in_to_a_future_class_of_a_running_series_succeeds(db: Database) -> None:
    course, _, future = _running_series(db)
    outcome = register_student(
        db,
        course_id=course,
        student=details(1),
        pricing_type=PricingType.DROP_IN,
        drop_in_session_id=future,
        actor=PUBLIC,
        now=WEEK_5,
    )
    assert outcome.created
    assert registration(db, outcome.registration_id).drop_in_session_id == future


def test_public_full_package_of_a_running_series_is_refused_clearly(db: Database) -> None:
    course, _, _ = _running_series(db)
    with pytest.raises(RegistrationClosed, match="full course can no longer be booked"):
        register_student(db, course_id=course, student=details(1), actor=PUBLIC, now=WEEK_5)
    assert row_count(db, "registrations") == 0
    assert row_count(db, "students") == 0


def test_public_drop_in_to_a_past_class_of_a_running_series_is_refused(db: Database) -> None:
    course, past, _ = _running_series(db)
    with pytest.raises(RegistrationClosed, match="class has already started"):
        register_student(
            db,
            course_id=course,
            student=details(1),
            pricing_type=PricingType.DROP_IN,
            drop_in_session_id=past,
            actor=PUBLIC,
            now=WEEK_5,
        )
    assert row_count(db, "registrations") == 0


def _drop_in(db: Database, course: int, session_id: int, n: int, now: datetime) -> bool:
    return register_student(
        db,
        course_id=course,
        student=details(n),
        pricing_type=PricingType.DROP_IN,
        drop_in_session_id=session_id,
        actor=PUBLIC,
        now=now,
    ).created


def test_drop_in_closes_when_the_class_starts_in_the_studio_time_zone(db: Database) -> None:
    # 18:00 in New York on 2030-03-04 is 23:00 UTC: still open at 22:59 UTC.
    update_setting(db, "timezone", "America/New_York", actor=PUBLIC)
    course, _, future = _running_series(db)
    before = datetime(2030, 3, 4, 22, 59, tzinfo=UTC)
    assert _drop_in(db, course, future, 1, before)
    with pytest.raises(RegistrationClosed, match="class has already started"):
        _drop_in(db, course, future, 2, before + timedelta(minutes=1))
