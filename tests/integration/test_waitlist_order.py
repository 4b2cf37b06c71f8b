"""Waitlist order, declared once (``waitlist_order``), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import waitlist_entries
from domain.model import WaitlistEntry
from domain.services.waitlist_line import line, waitlist_order
from tests.integration.w_factories import add_course
from tests.waitlist_seed import IN_ORDER, JOINED, add_line


def _in_order(db: Database, course_id: int) -> list[str]:
    with db.read() as s:
        entries = s.scalars(
            select(WaitlistEntry)
            .where(waitlist_entries.c.course_id == course_id)
            .order_by(*waitlist_order())
        )
        return [e.student.first_name for e in entries if e.student]


def test_waitlist_order_is_line_position_then_those_who_left_by_joining_time(
    db: Database,
) -> None:
    course_id = add_course(db)
    add_line(db, course_id)
    # Ana was moved ahead of Cleo; Ben and Dan left the line (Ben joined first);
    # Eve and Fay left too and joined at the same moment, Eve's entry made first.
    assert _in_order(db, course_id) == IN_ORDER


def test_the_line_is_only_those_still_in_it_in_waitlist_order(db: Database) -> None:
    course_id = add_course(db)
    add_line(db, course_id)
    with db.write() as s:
        assert [(e.position, e.joined_at - JOINED) for e in line(s, course_id)] == [
            (1, timedelta(hours=3)),
            (2, timedelta(hours=1)),
        ]
