"""One date format across the site: a class's day and time, and the days a course runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from domain import formatting


def test_a_class_reads_as_weekday_day_month_year_and_time() -> None:
    assert formatting.day_and_time(date(2026, 12, 1), time(19, 0)) == "Tue 1 Dec 2026, 19:00"
    assert formatting.day_and_time(date(2026, 12, 1), None) == "Tue 1 Dec 2026"


def test_a_class_day_and_time_read_as_a_stored_moment_does() -> None:
    moment = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert formatting.local_datetime(moment, "America/New_York") == formatting.day_and_time(
        date(2026, 12, 1), time(19, 0)
    )


def test_a_date_span_names_the_year_once_and_the_month_once_when_it_can() -> None:
    assert formatting.date_span(date(2026, 11, 3), date(2026, 12, 24)) == "3 Nov \u2013 24 Dec 2026"
    assert formatting.date_span(date(2026, 11, 3), date(2026, 11, 24)) == "3\u201324 Nov 2026"
    assert (
        formatting.date_span(date(2026, 12, 28), date(2027, 1, 4))
        == "28 Dec 2026 \u2013 4 Jan 2027"
    )


def test_a_one_day_course_shows_one_date() -> None:
    assert formatting.date_span(date(2026, 11, 3), date(2026, 11, 3)) == "3 Nov 2026"
    assert formatting.date_span(date(2026, 11, 3), None) == "3 Nov 2026"


def test_course_dates_are_the_days_in_the_organisations_zone() -> None:
    # 19:00 in New York on 3 Nov is 00:00 UTC on 4 Nov.
    starts = datetime(2026, 11, 4, 0, 0, tzinfo=UTC)
    ends = datetime(2026, 12, 25, 1, 30, tzinfo=UTC)
    assert formatting.course_dates(starts, ends, "America/New_York") == "3 Nov \u2013 24 Dec 2026"
    assert formatting.course_dates(starts, None, "UTC") == "4 Nov 2026"


def test_a_time_span_joins_start_and_end() -> None:
    assert formatting.time_span(time(19), time(20, 15)) == "19:00\u201320:15"
    assert formatting.time_span(time(19), None) == "19:00"
    assert formatting.time_span(None, None) == ""
