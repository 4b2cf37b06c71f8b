"""The submission limit is a fixed window per address, counted in one statement."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from domain.db.database import Database
from domain.services.rate_limits import Limits, allow_submission

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
LIMITS = Limits(submissions=2, window=timedelta(minutes=10))


def test_an_address_over_its_limit_is_refused_until_the_window_has_passed(db: Database) -> None:
    assert allow_submission(db, "203.0.113.5", LIMITS, now=NOON)
    assert allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=1))
    assert not allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=9))
    # A new window starts once ten minutes have passed since the first submission.
    assert allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=10))
    assert allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=11))
    assert not allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=12))


def test_another_address_has_its_own_count(db: Database) -> None:
    for minute in range(3):
        allow_submission(db, "203.0.113.5", LIMITS, now=NOON + timedelta(minutes=minute))
    assert allow_submission(db, "198.51.100.7", LIMITS, now=NOON + timedelta(minutes=3))


def test_submissions_counted_at_once_from_many_threads_all_count(db: Database) -> None:
    limits = Limits(submissions=10, window=timedelta(minutes=10))

    def submit(_: int) -> bool:
        return allow_submission(db, "203.0.113.9", limits, now=NOON)

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(submit, range(30)))
    # A lost update would let more than ten through.
    assert allowed.count(True) == 10
