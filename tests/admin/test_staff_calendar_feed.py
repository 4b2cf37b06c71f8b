"""A superuser makes, shows and renews the staff calendar link on the settings page."""

from __future__ import annotations

import re

from icalendar import Calendar
from sqlalchemy import func, select
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.config import Config
from domain.db.database import Database
from domain.db.tables import calendar_feeds, outgoing_emails
from domain.services.registration import StudentDetails, register_student
from public_site.app import create_public_app
from tests.admin.conftest import AdminClient
from tests.public.factories import make_course

URL = "/admin/settings/"
FEED = "/admin/settings/calendar-feed"
LINK = re.compile(
    r'id="staff-feed-url" type="text" readonly value="http://[^/"]+(/calendar/staff/[^"]+)"'
)


def _link(client: AdminClient) -> str | None:
    found = LINK.search(client.page(URL).text)
    return found.group(1) if found else None


def test_a_superuser_makes_the_staff_link_and_a_new_one_stops_the_old(
    superuser_client: AdminClient, db: Database, admin_config: Config
) -> None:
    make_course(db, title="Salsa Beginners", sessions=True)
    public = TestClient(create_public_app(admin_config, db))
    assert _link(superuser_client) is None
    assert "There is no link yet." in superuser_client.page(URL).text

    assert superuser_client.submit(FEED, follow_redirects=False).status_code == 303
    first = _link(superuser_client)
    assert first is not None
    feed = public.get(first)
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 4

    superuser_client.submit(FEED, follow_redirects=False)
    second = _link(superuser_client)
    assert second is not None and second != first
    assert public.get(first).status_code == 404
    assert public.get(second).status_code == 200
    assert (
        "A new link is made; the old one no longer works."
        in superuser_client.page(f"{URL}?feed=new").text
    )


def test_staff_who_are_not_superusers_cannot_renew_the_link(
    staff_client: AdminClient, db: Database
) -> None:
    response = staff_client.submit(FEED, follow_redirects=False)
    assert response.status_code in (302, 303, 403)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(calendar_feeds)) == 0


def test_an_outgoing_emails_page_names_its_attached_calendar(
    staff_client: AdminClient, db: Database
) -> None:
    course = make_course(db, title="Salsa Beginners", sessions=True)
    outcome = register_student(
        db,
        course_id=course,
        student=StudentDetails(email="maya@example.com", first_name="Maya"),
        actor=Actor.public("198.51.100.7"),
    )
    with db.read() as session:
        email_id = session.scalar(select(outgoing_emails.c.id))
    page = staff_client.page(f"/admin/outgoing-email/details/{email_id}")
    assert page.status_code == 200
    assert "Attachments" in page.text
    assert f"booking-{outcome.registration_id}.ics" in page.text
    assert "BEGIN:VCALENDAR" not in page.text
