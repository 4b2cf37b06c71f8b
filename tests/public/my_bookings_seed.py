"""Students with bookings, and signing in to "my bookings" as a browser does."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.services.registration import StudentDetails, register_student
from tests.public.factories import emails, link_in, make_course, post

SIGN_IN = "/my-bookings/sign-in/"


def book(db: Database, course_id: int, email: str, first_name: str = "Maya") -> int:
    """Register ``email`` for the course as the public site does; returns the registration id."""
    outcome = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email=email, first_name=first_name, last_name="Lopez"),
        actor=Actor.public("198.51.100.7"),
    )
    return outcome.registration_id


def two_students(db: Database) -> tuple[int, int, int]:
    """Maya with two bookings, Bo with one; returns (maya's first, maya's second, bo's)."""
    salsa = make_course(db, title="Salsa Beginners", sessions=True)
    tango = make_course(db, title="Tango Nights", package_price=Decimal("90.00"))
    maya_salsa = book(db, salsa, "maya@example.com")
    maya_tango = book(db, tango, "maya@example.com")
    bo_salsa = book(db, salsa, "bo@example.com", first_name="Bo")
    return maya_salsa, maya_tango, bo_salsa


def request_link(client: TestClient, email: str) -> Any:
    return post(client, "/my-bookings/", {"email": email}, page="/my-bookings/")


def sign_in_link(client: TestClient, db: Database, email: str) -> str:
    """Ask for a sign-in link for ``email``; returns its path from the email."""
    response = request_link(client, email)
    assert response.status_code == 303
    sent = [e for e in emails(db) if e.to_address == email and e.kind == "student_sign_in_link"]
    assert sent, f"no sign-in email to {email}"
    return link_in(sent[-1], SIGN_IN)


def sign_in(client: TestClient, db: Database, email: str) -> None:
    """Sign ``client`` in as the student with ``email``, through the emailed link."""
    path = sign_in_link(client, db, email)
    response = post(client, path, {}, page=path)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/my-bookings/"


def row_counts(db: Database) -> dict[str, int]:
    """The number of rows in every table."""
    with db.read() as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in t.metadata.sorted_tables
        }
