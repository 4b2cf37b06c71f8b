"""A calendar file (.ics) of one booking's class sessions, for the student's own calendar.

Times are the studio's wall-clock times in the organisation's time zone, sent
with that zone's definition, so a phone in another zone shows the right hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.errors import NotFound
from domain.rules.settings import Settings
from domain.services.calendar_feeds import booking_attachment
from domain.services.my_bookings import (
    BookedSession,
    Booking,
    booked_sessions,
    my_booking,
)
from domain.services.settings import load_settings

PRODUCT_ID = "-//Rollbook//My bookings//EN"


@dataclass(frozen=True)
class CalendarFile:
    filename: str
    content: bytes


def booking_calendar(
    session: Session, *, student_id: int, registration_id: int, now: datetime | None = None
) -> CalendarFile:
    """The .ics of one of the student's current bookings; ``NotFound`` for any other."""
    now = now or utcnow()
    booking = my_booking(session, student_id, registration_id, now=now)
    if not booking.is_current:
        raise NotFound("This booking is cancelled or over, so it has nothing to add to a calendar.")
    filename = f"booking-{registration_id}.ics"
    # The sessions' events are the feeds' own (same UIDs), so a file imported
    # before a subscription does not leave copies behind.
    attachment = booking_attachment(session, registration_id, now=now)
    if attachment is not None:
        return CalendarFile(filename=filename, content=attachment.content.encode("utf-8"))
    sessions = booked_sessions(session, student_id, now=now, registration_id=registration_id)
    settings = load_settings(session)
    return CalendarFile(
        filename=filename, content=calendar_of(booking, sessions, settings, now=now)
    )


def calendar_of(
    booking: Booking, sessions: list[BookedSession], settings: Settings, *, now: datetime
) -> bytes:
    """The booking's sessions as calendar events; the course's start when none are planned."""
    zone = ZoneInfo(settings.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", booking.course_title)
    organisation = settings.organisation_name or "Rollbook"
    for meeting in sessions:
        event = _event(booking, f"session-{meeting.session_id}", organisation, now)
        if meeting.start_time is None:
            event.add("dtstart", meeting.session_date)
        else:
            start = datetime.combine(meeting.session_date, meeting.start_time, tzinfo=zone)
            event.add("dtstart", start)
            if meeting.end_time is not None:
                event.add(
                    "dtend", datetime.combine(meeting.session_date, meeting.end_time, tzinfo=zone)
                )
        event.add("location", meeting.location)
        calendar.add_component(event)
    if not sessions:
        event = _event(booking, "course", organisation, now)
        start = booking.course_starts_at.astimezone(zone)
        event.add("dtstart", start)
        end = booking.course_ends_at.astimezone(zone) if booking.course_ends_at else None
        if end is not None and end.date() == start.date():
            event.add("dtend", end)
        elif end is None:
            event.add("duration", timedelta(hours=1))
        event.add("location", booking.location)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(booking: Booking, part: str, organisation: str, now: datetime) -> Event:
    event = Event()
    # Stable per booking and session, so importing the file again updates the events.
    event.add("uid", f"rollbook-booking-{booking.registration_id}-{part}")
    event.add("dtstamp", now)
    event.add("summary", f"{booking.course_title} ({organisation})")
    return event
