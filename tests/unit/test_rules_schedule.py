"""Which class sessions a course's slots produce."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from domain.rules.schedule import SlotTimes, local_date, plan_sessions, weekly_dates


def weekly(day: int, start: time = time(18), location: str = "", slot_id: int = 1) -> SlotTimes:
    return SlotTimes(slot_id, day, None, start, time(start.hour + 1), location)


def test_weekly_slot_meets_on_its_weekday_from_first_to_last_day() -> None:
    # 2030-03-04 is a Monday; Wednesdays up to and including 2030-03-20.
    dates = list(weekly_dates(2, date(2030, 3, 4), date(2030, 3, 20)))
    assert dates == [date(2030, 3, 6), date(2030, 3, 13), date(2030, 3, 20)]


def test_weekly_slot_on_the_first_day_meets_that_day() -> None:
    assert list(weekly_dates(0, date(2030, 3, 4), date(2030, 3, 4))) == [date(2030, 3, 4)]


def test_weekly_slot_outside_the_course_dates_meets_never() -> None:
    assert list(weekly_dates(6, date(2030, 3, 4), date(2030, 3, 8))) == []


def test_day_of_week_outside_monday_to_sunday_is_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        list(weekly_dates(7, date(2030, 3, 4), date(2030, 3, 8)))


def test_series_gets_one_session_per_week_with_the_slot_times_and_course_location() -> None:
    planned = plan_sessions(
        slots=[weekly(0)],
        starts_at=datetime(2030, 3, 4, 18, tzinfo=UTC),
        ends_at=datetime(2030, 3, 25, 19, tzinfo=UTC),
        course_location="Studio A",
        timezone="UTC",
    )
    assert [p.session_date for p in planned] == [
        date(2030, 3, 4),
        date(2030, 3, 11),
        date(2030, 3, 18),
        date(2030, 3, 25),
    ]
    assert {(p.start_time, p.end_time, p.location, p.slot_id) for p in planned} == {
        (time(18), time(19), "Studio A", 1)
    }


def test_slot_location_wins_over_course_location() -> None:
    planned = plan_sessions(
        slots=[weekly(0, location="Gym")],
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 3, 4, 23, tzinfo=UTC),
        course_location="Studio A",
        timezone="UTC",
    )
    assert [p.location for p in planned] == ["Gym"]


def test_dated_practice_meets_once_on_its_date() -> None:
    practice = SlotTimes(7, None, date(2030, 4, 2), time(10), time(12), "Hall")
    planned = plan_sessions(
        slots=[practice],
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 5, 4, tzinfo=UTC),
        course_location="Studio A",
        timezone="UTC",
    )
    assert [(p.session_date, p.start_time, p.slot_id) for p in planned] == [
        (date(2030, 4, 2), time(10), 7)
    ]


def test_course_without_slots_meets_once_on_its_start_date_at_its_start_time() -> None:
    planned = plan_sessions(
        slots=[],
        starts_at=datetime(2030, 3, 4, 9, 30, tzinfo=UTC),
        ends_at=datetime(2030, 3, 4, 15, tzinfo=UTC),
        course_location="Town Hall",
        timezone="UTC",
    )
    assert [(p.session_date, p.start_time, p.end_time, p.location) for p in planned] == [
        (date(2030, 3, 4), time(9, 30), time(15), "Town Hall")
    ]


def test_course_dates_are_taken_in_the_studio_time_zone() -> None:
    # 02:00 UTC on the 5th is still the evening of the 4th in New York.
    starts = datetime(2030, 3, 5, 2, 0, tzinfo=UTC)
    assert local_date(starts, "America/New_York") == date(2030, 3, 4)
    planned = plan_sessions(
        slots=[],
        starts_at=starts,
        ends_at=None,
        course_location="",
        timezone="America/New_York",
    )
    assert [(p.session_date, p.start_time) for p in planned] == [(date(2030, 3, 4), time(21))]


def test_two_slots_at_the_same_date_and_time_make_one_session() -> None:
    planned = plan_sessions(
        slots=[weekly(0, slot_id=1), weekly(0, slot_id=2)],
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 3, 11, tzinfo=UTC),
        course_location="",
        timezone="UTC",
    )
    assert [(p.session_date, p.slot_id) for p in planned] == [
        (date(2030, 3, 4), 1),
        (date(2030, 3, 11), 1),
    ]


def test_sessions_come_in_date_then_time_order() -> None:
    planned = plan_sessions(
        slots=[
            weekly(2, time(20), slot_id=1),
            weekly(0, time(19), slot_id=2),
            weekly(0, time(17), slot_id=3),
        ],
        starts_at=datetime(2030, 3, 4, tzinfo=UTC),
        ends_at=datetime(2030, 3, 6, tzinfo=UTC),
        course_location="",
        timezone="UTC",
    )
    assert [(p.session_date.day, p.start_time) for p in planned] == [
        (4, time(17)),
        (4, time(19)),
        (6, time(20)),
    ]
