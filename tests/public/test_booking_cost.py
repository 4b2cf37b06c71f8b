"""A booking's database work is small and does not grow with the course.

Every booking of a popular course waits for the one before it (the capacity
lock), so each statement a booking sends is paid by everyone queueing behind
it: docs/benchmarks.md has the figures. These tests keep the count where it was
measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from starlette.applications import Starlette
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.services.rate_limits import Limits
from domain.services.settings import update_setting
from tests.public.factories import STAFF, csrf_token, make_course, student_form

#: Rate-limit count (1), then settings, student look-up and insert, its audit entry,
#: the course lock, the seat count, the visitor's unpaid bookings, the registration,
#: its audit entry, its links, its calendar's sessions (one statement, however many
#: sessions) and its email (12); on PostgreSQL also the lock on the visitor's address
#: (SQLite's write lock is held already).
STATEMENTS_PER_BOOKING = {"sqlite": 13, "postgresql": 14}


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(*args: Any) -> None:
        statement = str(args[2])
        # SQLite's BEGIN IMMEDIATE opens the transaction, as psycopg's BEGIN does unseen.
        if not statement.startswith("BEGIN"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def book(client: TestClient, db: Database, course_id: int, email: str) -> list[str]:
    token = csrf_token(client, f"/courses/{course_id}")
    form = {"csrf_token": token, **student_form(email=email)}
    with statements(db) as sent:
        response = client.post(f"/courses/{course_id}/register", data=form)
    assert response.status_code == 303, response.text
    return sent


def test_a_new_student_books_with_thirteen_statements(
    client: TestClient, db: Database, backend: str
) -> None:
    course_id = make_course(db, capacity=100)
    sent = book(client, db, course_id, "first@example.com")
    expected = STATEMENTS_PER_BOOKING[backend]
    assert len(sent) == expected, "\n".join(s.split("\n")[0] for s in sent)


def test_booking_costs_the_same_on_a_course_with_many_registrations(
    app: Starlette, client: TestClient, db: Database
) -> None:
    app.state.limits = Limits(submissions=100)
    # Every booking comes from the test client's one address: lift its unpaid cap
    # (the count of the address's unpaid bookings still runs for each).
    update_setting(db, "unpaid_bookings_per_address", "1000", actor=STAFF)
    course_id = make_course(db, capacity=100)
    first = book(client, db, course_id, "early@example.com")
    for n in range(30):
        book(client, db, course_id, f"s{n}@example.com")
    late = book(client, db, course_id, "late@example.com")
    assert len(late) == len(first)
