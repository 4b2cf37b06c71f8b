"""A course page says what to bring when the course says so, and nothing when it does not."""

from __future__ import annotations

from sqlalchemy import update
from starlette.testclient import TestClient

from domain.db import tables as t
from domain.db.database import Database
from tests.public.factories import make_course


def test_the_course_page_says_what_to_bring(client: TestClient, db: Database) -> None:
    course_id = make_course(db, title="Tango Basics")
    plain = client.get(f"/courses/{course_id}")
    assert plain.status_code == 200 and "What to bring" not in plain.text
    with db.write() as session:
        session.execute(
            update(t.courses)
            .where(t.courses.c.id == course_id)
            .values(what_to_bring="Soft-soled shoes & water")
        )
        session.commit()
    page = client.get(f"/courses/{course_id}").text
    assert "<strong>What to bring:</strong> Soft-soled shoes &amp; water" in page
