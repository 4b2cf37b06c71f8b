"""Emails and the payment page write dates as the site does, in the studio's time zone:
no ISO date, no "UTC", and the payment note still starts "Rollbook #<id>"."""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from starlette.testclient import TestClient

from domain import formatting
from domain.db.database import Database
from domain.model import Course, Registration
from tests.public.factories import (
    emails,
    link_in,
    make_course,
    register_via_site,
    set_payment_settings,
)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_the_payment_page_and_its_email_write_dates_in_words(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    course_id = make_course(db, title="Salsa Series", weeks=6)
    assert register_via_site(client, course_id).status_code == 303
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None
        days = formatting.course_dates(course.starts_at, course.ends_at, "UTC")
        registration_id = session.scalars(select(Registration.id)).one()

    (received,) = emails(db)
    page = html.unescape(
        re.sub(r"<[^>]+>", "", client.get(link_in(received, "/registrations/")).text)
    )

    note = f"Rollbook #{registration_id} Salsa Series {days}"
    for text in (received.body_text, received.body_html or "", page):
        assert not ISO_DATE.search(text), ISO_DATE.search(text)
        assert "UTC" not in text
    assert note in received.body_text
    assert note in " ".join(page.split())
    assert f"When: {days}" in received.body_text
