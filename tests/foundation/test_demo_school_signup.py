"""The demo's teacher workshops are open to school sign-up; its dance classes are not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.demo import load_demo
from domain.enums import CourseKind

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_demo_opens_the_teacher_workshops_to_school_sign_up_and_nothing_else(
    db: Database,
) -> None:
    load_demo(db, now=NOW)
    with db.read() as session:
        c = t.courses.c
        rows = session.execute(select(c.kind, c.open_to_school_signup)).all()
    assert {kind for kind, open_to_schools in rows if open_to_schools} == {CourseKind.WORKSHOP}
    workshops = [open_to_schools for kind, open_to_schools in rows if kind == CourseKind.WORKSHOP]
    assert workshops and all(workshops)
