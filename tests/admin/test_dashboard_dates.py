"""The dashboard's lists write moments as the rest of the panel does, on the studio's clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.services.settings import update_setting
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import AdminClient


def test_next_courses_and_latest_registrations_are_dated_in_words(
    db: Database, staff_client: AdminClient
) -> None:
    update_setting(db, "timezone", "America/New_York", actor=Actor.script("dates test"))
    # 01:30 UTC on 3 January is 20:30 on 2 January in New York.
    year = utcnow().year + 1
    starts = datetime(year, 1, 3, 1, 30, tzinfo=UTC)
    course = add_course(db, "Late Class", starts_at=starts)
    # 03:00 UTC on 1 January this year was still 31 December in New York.
    this_year = utcnow().year
    booked = datetime(this_year, 1, 1, 3, 0, tzinfo=UTC)
    add_registration(
        db, student_id=add_student(db, "Ivy", "Known"), course_id=course, created_at=booked
    )

    html = staff_client.get("/admin/").text

    upcoming = html[html.index('id="upcoming-courses"') : html.index('id="contacts-heading"')]
    day = datetime(year, 1, 2)
    assert f"<td>{day:%a} 2 Jan {year}, 20:30</td>" in upcoming
    latest = html[html.index('id="recent-registrations"') :]
    eve = datetime(this_year - 1, 12, 31)
    assert f'<span class="text-secondary text-nowrap">{eve:%a} 31 Dec {eve.year}</span>' in latest
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", upcoming + latest)
