"""Class sessions as iCalendar events: the one rule for every .ics Rollbook sends.

An event's UID is the session's ("session-<id>@<host>"), the same in an emailed
file, a student's feed, a course's feed and the staff feed, so a calendar that
sees it again replaces it instead of adding a copy. Its SEQUENCE counts up with
the session's last change (or the booking's cancellation), so the newer copy
wins; a cancelled session or booking stays in the feed as STATUS:CANCELLED, which
removes it from a subscriber's calendar. Times are the studio's wall-clock times
in the organisation's zone, sent with that zone's VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//Rollbook//Class calendar//EN"
#: SEQUENCE is the number of seconds from this moment to the last change: it only
#: grows, needs no counter to keep, and fits a 32-bit integer until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
#: A session without a start time is an all-day event; one without an end lasts this long.
DEFAULT_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class SessionEvent:
    """One class session as a calendar shows it."""

    session_id: int
    course_title: str
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    #: The session, or (in a student's feed) their booking of it, is cancelled.
    cancelled: bool = False
    #: When the event last changed (the session's edit, the booking's cancellation).
    changed_at: datetime | None = None


def event_uid(session_id: int, host: str) -> str:
    """The session's UID, stable across files and feeds."""
    return f"session-{session_id}@{host or 'rollbook'}"


def sequence(changed_at: datetime | None) -> int:
    """The event's SEQUENCE: 0 until it changes, then larger after every change."""
    if changed_at is None:
        return 0
    return max(int((changed_at - SEQUENCE_EPOCH).total_seconds()), 0)


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of ``moments`` that are set."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def calendar_file(
    events: Iterable[SessionEvent],
    *,
    name: str,
    organisation: str,
    timezone: str,
    host: str,
    now: datetime,
) -> bytes:
    """A calendar (VCALENDAR, with the zone's VTIMEZONE) holding ``events``."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    for item in events:
        calendar.add_component(
            _event(item, organisation=organisation, zone=zone, host=host, now=now)
        )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(
    item: SessionEvent, *, organisation: str, zone: ZoneInfo, host: str, now: datetime
) -> Event:
    event = Event()
    event.add("uid", event_uid(item.session_id, host))
    event.add("dtstamp", now)
    event.add("sequence", sequence(item.changed_at))
    event.add(
        "summary", f"{item.course_title} ({organisation})" if organisation else item.course_title
    )
    if item.start_time is None:
        event.add("dtstart", item.session_date)
    else:
        start = datetime.combine(item.session_date, item.start_time, tzinfo=zone)
        event.add("dtstart", start)
        if item.end_time is not None and item.end_time > item.start_time:
            event.add("dtend", datetime.combine(item.session_date, item.end_time, tzinfo=zone))
        else:
            event.add("duration", DEFAULT_LENGTH)
    if item.location:
        event.add("location", item.location)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event
