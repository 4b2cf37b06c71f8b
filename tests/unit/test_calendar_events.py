"""The calendar event rule: stable UIDs, SEQUENCE that only grows, cancelled status, zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from domain.rules.calendar_events import SessionEvent, calendar_file, event_uid, latest, sequence

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _parse(*events: SessionEvent, timezone: str = "Europe/Berlin") -> list:  # type: ignore[type-arg]
    content = calendar_file(
        events,
        name="Salsa",
        organisation="Studio",
        timezone=timezone,
        host="dance.example",
        now=NOW,
    )
    return list(Calendar.from_ical(content).walk("VEVENT"))


def _session(**changes: object) -> SessionEvent:
    fields: dict[str, object] = {
        "session_id": 7,
        "course_title": "Salsa",
        "session_date": date(2027, 3, 28),
        "start_time": time(19, 0),
        "end_time": time(20, 30),
        "location": "Hall",
    }
    fields.update(changes)
    return SessionEvent(**fields)  # type: ignore[arg-type]


def test_the_uid_names_the_session_and_the_host() -> None:
    assert event_uid(7, "dance.example") == "session-7@dance.example"
    (event,) = _parse(_session())
    assert str(event["uid"]) == "session-7@dance.example"


def test_sequence_is_zero_until_a_change_and_grows_with_each_later_change() -> None:
    first = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert sequence(None) == 0
    assert 0 < sequence(first) < sequence(first + timedelta(seconds=1)) < 2**31
    assert sequence(datetime(2088, 1, 1, tzinfo=UTC)) < 2**31
    assert latest(None, first, first - timedelta(days=1)) == first
    assert latest(None, None) is None


def test_times_are_the_studios_wall_clock_across_a_daylight_saving_change() -> None:
    # Berlin moves its clocks on 28 March 2027: 19:00 stays 19:00 there.
    before, after = _parse(
        _session(session_id=1, session_date=date(2027, 3, 27)),
        _session(session_id=2, session_date=date(2027, 3, 28)),
    )
    zone = ZoneInfo("Europe/Berlin")
    assert before.decoded("dtstart") == datetime(2027, 3, 27, 19, 0, tzinfo=zone)
    assert after.decoded("dtstart") == datetime(2027, 3, 28, 19, 0, tzinfo=zone)
    assert after.decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert before.decoded("dtstart").utcoffset() == timedelta(hours=1)


def test_a_cancelled_session_stays_in_the_calendar_marked_cancelled() -> None:
    changed = datetime(2026, 11, 1, tzinfo=UTC)
    (event,) = _parse(_session(cancelled=True, changed_at=changed))
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == sequence(changed)


def test_a_session_without_times_is_a_whole_day_and_one_without_an_end_lasts_an_hour() -> None:
    whole_day, no_end = _parse(
        _session(session_id=1, start_time=None, end_time=None),
        _session(session_id=2, session_date=date(2027, 3, 29), end_time=None),
    )
    assert whole_day.decoded("dtstart") == date(2027, 3, 28)
    assert no_end.decoded("duration") == timedelta(hours=1)
