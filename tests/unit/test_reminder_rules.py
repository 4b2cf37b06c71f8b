"""When a class starts where the studio is, and when a notice before it is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from domain.rules.reminders import local_dates_within, notice_due, session_start

CLASS = datetime(2030, 3, 6, 18, 0, tzinfo=UTC)


def test_a_session_starts_at_its_wall_clock_time_in_the_studios_zone() -> None:
    # 18:00 in New York in March 2030 (daylight time, UTC-4) is 22:00 UTC.
    assert session_start(date(2030, 3, 12), time(18), "America/New_York") == datetime(
        2030, 3, 12, 22, 0, tzinfo=UTC
    )
    # Before the change to daylight time, UTC-5.
    assert session_start(date(2030, 3, 6), time(18), "America/New_York") == datetime(
        2030, 3, 6, 23, 0, tzinfo=UTC
    )
    assert session_start(date(2030, 3, 6), None, "UTC") == datetime(2030, 3, 6, tzinfo=UTC)


def test_a_notice_is_due_from_its_moment_until_the_class_for_bookings_made_before() -> None:
    early = CLASS - timedelta(days=5)
    before = CLASS - timedelta(hours=25)
    assert not notice_due(CLASS, lead_hours=24, created_at=early, now=before)
    assert notice_due(CLASS, lead_hours=24, created_at=early, now=CLASS - timedelta(hours=24))
    assert notice_due(CLASS, lead_hours=24, created_at=early, now=CLASS - timedelta(minutes=1))
    assert not notice_due(CLASS, lead_hours=24, created_at=early, now=CLASS)
    late = CLASS - timedelta(hours=10)
    assert not notice_due(CLASS, lead_hours=24, created_at=late, now=CLASS - timedelta(hours=9))
    assert not notice_due(CLASS, lead_hours=0, created_at=early, now=CLASS - timedelta(hours=1))


def test_sessions_within_the_lead_fall_on_the_studios_dates() -> None:
    now = datetime(2030, 3, 6, 2, 0, tzinfo=UTC)  # still 5 March in Los Angeles
    assert local_dates_within(now, 24, "America/Los_Angeles") == (
        date(2030, 3, 5),
        date(2030, 3, 6),
    )
