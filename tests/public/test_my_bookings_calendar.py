"""A booking's classes as a calendar file, at the studio's wall-clock times."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.model import ClassSession
from domain.services.settings import update_setting
from tests.public.factories import STAFF, make_course
from tests.public.my_bookings_seed import book, sign_in, two_students


def test_a_booking_downloads_as_a_calendar_of_its_classes_in_the_studios_zone(
    client: TestClient, db: Database
) -> None:
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    maya_salsa, _tango, _bo = two_students(db)
    sign_in(client, db, "maya@example.com")
    assert f'href="/my-bookings/calendar/{maya_salsa}.ics"' in client.get("/my-bookings/").text

    response = client.get(f"/my-bookings/calendar/{maya_salsa}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    with db.read() as session:
        days = list(
            session.scalars(select(ClassSession.session_date).order_by(ClassSession.session_date))
        )
    zone = ZoneInfo("America/New_York")
    assert [e.decoded("dtstart") for e in events] == [
        datetime.combine(day, time(18, 0), tzinfo=zone) for day in days
    ]
    assert all(e.decoded("dtend").time() == time(19, 30) for e in events)
    assert {str(e["summary"]) for e in events} == {"Salsa Beginners (Rollbook)"}
    assert {str(e["location"]) for e in events} == {"Studio A"}
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert "TZID=America/New_York" in response.text


def test_a_booking_without_planned_classes_gives_its_start(
    client: TestClient, db: Database
) -> None:
    course = make_course(db, title="Bachata Basics")
    registration = book(db, course, "maya@example.com")
    sign_in(client, db, "maya@example.com")
    calendar = Calendar.from_ical(client.get(f"/my-bookings/calendar/{registration}.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Bachata Basics (Rollbook)"
