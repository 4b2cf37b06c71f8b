"""Calendar feeds, parsed back as a calendar app reads them: a published course's, a
student's private one (which follows their bookings) and the staff's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import event, select, update
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.clock import utcnow
from domain.config import Config
from domain.db import tables as t
from domain.db.database import Database
from domain.model import ClassSession
from domain.services.calendar_feeds import renew_staff_feed
from domain.services.courses import update_class_session
from domain.services.my_bookings import cancel_my_registration
from domain.services.settings import update_setting
from tests.public.factories import STAFF, make_course, post
from tests.public.my_bookings_seed import book, sign_in

FEED_LINK = re.compile(
    r'id="feed-url" type="text" readonly value="http://[^/"]+(/calendar/classes/[^"]+)"'
)


def _events(response: Any) -> list[Event]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "set-cookie" not in response.headers
    calendar = Calendar.from_ical(response.content)
    return sorted(calendar.walk("VEVENT"), key=lambda e: (e.decoded("dtstart"), str(e["uid"])))


def _sessions(db: Database, course_id: int) -> list[ClassSession]:
    with db.read() as session:
        rows = list(
            session.scalars(
                select(ClassSession)
                .where(t.class_sessions.c.course_id == course_id)
                .order_by(t.class_sessions.c.session_date)
            )
        )
        session.expunge_all()
        return rows


def _cancel_session(db: Database, session_id: int) -> None:
    """What staff cancelling a session leaves in the database (issue 15, point 5)."""
    with db.write() as session:
        session.execute(
            update(t.class_sessions)
            .where(t.class_sessions.c.id == session_id)
            .values(cancelled_at=utcnow(), updated_at=utcnow())
        )
        session.commit()


def _my_feed(client: TestClient, db: Database, email: str) -> str:
    sign_in(client, db, email)
    match = FEED_LINK.search(client.get("/my-bookings/").text)
    assert match, "no calendar link on my bookings"
    return match.group(1)


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(*args: Any) -> None:
        if not str(args[2]).startswith("BEGIN"):
            sent.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_published_courses_feed_lists_its_classes_in_the_studios_zone(
    client: TestClient, db: Database
) -> None:
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    course = make_course(db, title="Salsa Beginners", sessions=True)
    assert f'href="/courses/{course}/calendar.ics"' in client.get(f"/courses/{course}").text
    response = client.get(f"/courses/{course}/calendar.ics")
    events = _events(response)
    assert response.headers["cache-control"] == "public, max-age=300"

    zone = ZoneInfo("America/New_York")
    meetings = _sessions(db, course)
    assert len(events) == len(meetings) == 4
    assert [e.decoded("dtstart") for e in events] == [
        datetime.combine(m.session_date, time(18, 0), tzinfo=zone) for m in meetings
    ]
    assert [e.decoded("dtend") for e in events] == [
        datetime.combine(m.session_date, time(19, 30), tzinfo=zone) for m in meetings
    ]
    assert [str(e["uid"]) for e in events] == [f"session-{m.id}@localhost" for m in meetings]
    assert {str(e["status"]) for e in events} == {"CONFIRMED"}
    assert {str(e["summary"]) for e in events} == {"Salsa Beginners (Rollbook)"}
    assert {str(e["location"]) for e in events} == {"Studio A"}
    assert "TZID=America/New_York" in response.text
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    # Asked again, the same events keep their UIDs and versions: a calendar replaces them.
    again = _events(client.get(f"/courses/{course}/calendar.ics"))
    assert [(str(e["uid"]), e["sequence"]) for e in again] == [
        (str(e["uid"]), e["sequence"]) for e in events
    ]


def test_an_unpublished_or_unknown_course_has_no_feed(client: TestClient, db: Database) -> None:
    hidden = make_course(db, title="Draft", published=False, sessions=True)
    assert client.get(f"/courses/{hidden}/calendar.ics").status_code == 404
    assert client.get("/courses/999999/calendar.ics").status_code == 404


def test_a_moved_or_cancelled_session_shows_as_changed_or_cancelled(
    client: TestClient, db: Database
) -> None:
    course = make_course(db, sessions=True)
    first, second, *_ = _sessions(db, course)
    before = {str(e["uid"]): e for e in _events(client.get(f"/courses/{course}/calendar.ics"))}

    update_class_session(
        db, first.id or 0, {"start_time": time(19, 0), "end_time": time(20, 0)}, actor=STAFF
    )
    _cancel_session(db, second.id or 0)

    after = {str(e["uid"]): e for e in _events(client.get(f"/courses/{course}/calendar.ics"))}
    assert after.keys() == before.keys()
    moved, cancelled = (
        after[f"session-{first.id}@localhost"],
        after[f"session-{second.id}@localhost"],
    )
    assert moved.decoded("dtstart").time() == time(19, 0)
    assert moved["sequence"] > before[f"session-{first.id}@localhost"]["sequence"]
    assert str(moved["status"]) == "CONFIRMED"
    assert str(cancelled["status"]) == "CANCELLED"
    assert cancelled["sequence"] > before[f"session-{second.id}@localhost"]["sequence"]


def test_a_students_feed_follows_their_bookings_and_stops_when_renewed(
    client: TestClient, db: Database
) -> None:
    salsa = make_course(db, title="Salsa Beginners", sessions=True)
    tango = make_course(db, title="Tango Nights", sessions=True, starts_in=timedelta(days=9))
    make_course(db, title="Not booked", sessions=True)
    salsa_booking = book(db, salsa, "maya@example.com")
    book(db, tango, "maya@example.com")
    book(db, salsa, "bo@example.com", first_name="Bo")

    feed = _my_feed(client, db, "maya@example.com")
    page = client.get("/my-bookings/").text
    assert "Copy link" in page and "Stop this link and make a new one" in page
    # The feed needs no cookie: a calendar app has none.
    anonymous = TestClient(client.app)
    response = anonymous.get(feed)
    events = _events(response)
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert {str(e["summary"]) for e in events} == {
        "Salsa Beginners (Rollbook)",
        "Tango Nights (Rollbook)",
    }
    assert len(events) == 8 and {str(e["status"]) for e in events} == {"CONFIRMED"}
    uids = [str(e["uid"]) for e in events]
    assert uids == [str(e["uid"]) for e in _events(anonymous.get(feed))]

    cancel_my_registration(
        db,
        student_id=_student_id(db, "maya@example.com"),
        registration_id=salsa_booking,
        actor=Actor.public("198.51.100.7"),
    )
    after = {str(e["uid"]): e for e in _events(anonymous.get(feed))}
    assert list(after) == uids
    salsa_events = [e for e in after.values() if str(e["summary"]).startswith("Salsa")]
    assert len(salsa_events) == 4
    assert {str(e["status"]) for e in salsa_events} == {"CANCELLED"}
    assert all(e["sequence"] > 0 for e in salsa_events)

    # "Stop this link": the old address is gone, the page shows a working new one.
    response = post(client, "/my-bookings/calendar-feed", {}, page="/my-bookings/")
    assert response.status_code == 303
    assert anonymous.get(feed).status_code == 404
    new_feed = FEED_LINK.search(client.get("/my-bookings/?done=feed").text)
    assert new_feed and new_feed.group(1) != feed
    assert len(_events(anonymous.get(new_feed.group(1)))) == 8


def test_a_made_up_feed_token_is_not_found(client: TestClient, db: Database) -> None:
    response = client.get("/calendar/classes/" + "A" * 43 + ".ics")
    assert response.status_code == 404
    assert response.headers["cache-control"] == "private, no-store"
    assert client.get("/calendar/staff/" + "A" * 43 + ".ics").status_code == 404


def test_the_staff_feed_lists_every_session_and_a_renewed_token_stops_the_old_one(
    client: TestClient, db: Database, config: Config
) -> None:
    make_course(db, title="Salsa Beginners", sessions=True)
    make_course(db, title="Draft", published=False, sessions=True)
    token = renew_staff_feed(db, actor=STAFF, secret_key=config.secret_key)
    events = _events(client.get(f"/calendar/staff/{token}.ics"))
    assert len(events) == 8
    assert {str(e["summary"]) for e in events} == {"Salsa Beginners (Rollbook)", "Draft (Rollbook)"}
    # A student's token is not the staff's, nor the other way round.
    assert client.get(f"/calendar/classes/{token}.ics").status_code == 404

    renewed = renew_staff_feed(db, actor=STAFF, secret_key=config.secret_key)
    assert client.get(f"/calendar/staff/{token}.ics").status_code == 404
    assert len(_events(client.get(f"/calendar/staff/{renewed}.ics"))) == 8


def test_a_feed_costs_the_same_statements_whatever_the_number_of_sessions(
    client: TestClient, db: Database, config: Config
) -> None:
    short = make_course(db, title="Short", sessions=True, weeks=2)
    long = make_course(db, title="Long", sessions=True, weeks=12)
    book(db, short, "maya@example.com")
    feed = _my_feed(client, db, "maya@example.com")
    token = renew_staff_feed(db, actor=STAFF, secret_key=config.secret_key)

    def cost(url: str) -> int:
        with _statements(db) as sent:
            assert client.get(url).status_code == 200
        return len(sent)

    assert cost(f"/courses/{short}/calendar.ics") == cost(f"/courses/{long}/calendar.ics")
    small_student, small_staff = cost(feed), cost(f"/calendar/staff/{token}.ics")
    book(db, long, "maya@example.com")
    make_course(db, title="More", sessions=True, weeks=10)
    assert cost(feed) == small_student
    assert cost(f"/calendar/staff/{token}.ics") == small_staff


def _student_id(db: Database, email: str) -> int:
    with db.read() as session:
        found = session.scalar(select(t.students.c.id).where(t.students.c.email == email))
    assert found is not None
    return int(found)
