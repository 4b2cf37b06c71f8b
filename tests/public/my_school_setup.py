"""Schools, their signed-up teachers and a signed-in contact, for the "my school" tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.model import Registration, School
from domain.services.school_signup import Participant, sign_up_school
from tests.public.factories import emails, link_in, make_course, post

CONTACT = "pat@lincoln.example"


def make_contact_school(db: Database, name: str = "Lincoln High", email: str = CONTACT) -> int:
    with db.write() as session:
        school = School(
            name=name, location="Springfield", contact_name="Pat Principal", contact_email=email
        )
        session.add(school)
        session.commit()
        assert school.id is not None
        return school.id


def sign_up(db: Database, school_id: int, course_id: int, *names: str) -> list[int]:
    """Sign the school's teachers up for the course; their registration ids."""
    outcomes = sign_up_school(
        db,
        course_id=course_id,
        school_id=school_id,
        new_school=None,
        participants=[Participant(name=n, title="Teacher") for n in names],
        actor=Actor.public("192.0.2.10"),
    )
    return [o.registration_id for o in outcomes]


def school_course(
    db: Database,
    *,
    capacity: int = 10,
    price: Decimal | None = Decimal("120.00"),
    title: str = "Teacher training",
) -> int:
    return make_course(
        db, title=title, capacity=capacity, package_price=price, school_signup=True
    )


def start_course(db: Database, course_id: int, *, days_ago: int = 1) -> None:
    """Move the course's start into the past (it has begun)."""
    with db.write() as session:
        session.execute(
            update(t.courses)
            .where(t.courses.c.id == course_id)
            .values(starts_at=utcnow() - timedelta(days=days_ago))
        )
        session.commit()


def ask_for_link(client: TestClient, email: str = CONTACT) -> Any:
    return post(client, "/my-school/", {"email": email}, page="/my-school/")


def sign_in_link(db: Database, school_name: str = "Lincoln High") -> str:
    """The path of the newest sign-in link emailed for ``school_name``."""
    sent = [e for e in emails(db) if e.kind == "school_sign_in_link" and school_name in e.subject]
    assert sent, "no sign-in link was emailed"
    return link_in(sent[-1], "/my-school/sign-in/")


def sign_in(client: TestClient, db: Database, school_name: str = "Lincoln High") -> None:
    """Ask for a link as the contact, open it and press Continue."""
    ask_for_link(client)
    path = sign_in_link(db, school_name)
    response = post(client, path, {}, page=path)
    assert response.status_code == 303, response.text


def registration(db: Database, registration_id: int) -> Registration:
    with db.read() as session:
        found = session.get(Registration, registration_id)
        assert found is not None
        session.expunge(found)
        return found


def school_registrations(db: Database, school_id: int) -> list[tuple[str, bool, str]]:
    """(teacher's name, cancelled, payment status) of the school's registrations, by id."""
    r, s = t.registrations.c, t.students.c
    with db.read() as session:
        rows = session.execute(
            select(s.first_name, s.last_name, r.cancelled_at, r.payment_status)
            .join(t.students, s.id == r.student_id)
            .where(r.school_id == school_id)
            .order_by(r.id)
        ).all()
    return [(f"{f} {la}".strip(), c is not None, p) for f, la, c, p in rows]
