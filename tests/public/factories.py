"""Courses, schools and forms for the public site's tests (HTTP and browser)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import DifficultyLevel, PricingType
from domain.model import Course, CourseSlot, OutgoingEmail, Price, School
from domain.services.payments import cancel_registration
from domain.services.registration import StudentDetails, register_student
from domain.services.sessions import generate_sessions
from domain.services.settings import update_setting
from domain.services.waitlist import join_waitlist
from domain.services.waitlist_offers import offer_next_seat

if TYPE_CHECKING:
    from starlette.testclient import TestClient

STAFF = Actor.script("public-site tests")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_course(
    db: Database,
    *,
    title: str = "Salsa Beginners",
    capacity: int = 10,
    published: bool = True,
    starts_in: timedelta = timedelta(days=7),
    weeks: int = 4,
    required_student_type: str | None = None,
    package_price: Decimal | None = Decimal("120.00"),
    drop_in_price: Decimal | None = None,
    level: str = DifficultyLevel.BEGINNER,
    sessions: bool = False,
    school_signup: bool = False,
    kind: str = "series",
) -> int:
    """A weekly course with one slot and its prices; returns its id."""
    starts_at = (datetime.now(UTC) + starts_in).replace(hour=18, minute=0, second=0, microsecond=0)
    ends_at = starts_at + timedelta(weeks=weeks - 1, hours=1, minutes=30)
    with db.write() as session:
        course = Course(
            title=title,
            kind=kind,
            location="Studio A",
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            required_student_type=required_student_type,
            is_published=published,
            open_to_school_signup=school_signup,
            instructor="Ana",
        )
        slot = CourseSlot(
            name="Evening class",
            difficulty_level=level,
            day_of_week=starts_at.weekday(),
            start_time=time(18, 0),
            end_time=time(19, 30),
            location="Studio A",
        )
        if package_price is not None:
            slot.prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=package_price))
        if drop_in_price is not None:
            slot.prices.append(Price(pricing_type=PricingType.DROP_IN, amount=drop_in_price))
        course.slots.append(slot)
        session.add(course)
        session.commit()
        course_id = course.id
    assert course_id is not None
    if sessions:
        generate_sessions(db, course_id=course_id, actor=STAFF)
    return course_id


def full_course_with_offer(
    db: Database, *, title: str = "Salsa Beginners", waiting_email: str = "wait@example.com"
) -> tuple[int, str]:
    """A full course, a student waiting, a seat freed by staff and offered; returns the token."""
    update_setting(db, "automatic_offers", "false", actor=STAFF)
    course_id = make_course(db, title=title, capacity=1)
    first = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email=waiting_email, first_name="Wanda"),
        actor=Actor.public("198.51.100.2"),
    )
    cancel_registration(db, registration_id=first.registration_id, reason="Ill", actor=STAFF)
    token = offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert token is not None
    return course_id, token


def make_school(db: Database, name: str, location: str = "Springfield") -> int:
    with db.write() as session:
        school = School(name=name, location=location, contact_email="office@example.org")
        session.add(school)
        session.commit()
        assert school.id is not None
        return school.id


def set_payment_settings(db: Database) -> None:
    update_setting(db, "venmo_handle", "rollbook-studio", actor=STAFF)
    update_setting(db, "zelle_recipient_name", "Rollbook Studio LLC", actor=STAFF)
    update_setting(db, "zelle_phone", "555-0100", actor=STAFF)


def csrf_token(client: TestClient, page: str = "/") -> str:
    """The token of the first form on ``page`` (getting it also sets the CSRF cookie)."""
    response = client.get(page)
    match = _CSRF.search(response.text)
    assert match, f"no form with a CSRF token on {page}"
    return match.group(1)


def post(client: TestClient, url: str, data: dict[str, Any], *, page: str = "/") -> Any:
    """Send a form as a browser would: with the CSRF token from ``page``."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def student_form(**overrides: str) -> dict[str, str]:
    form = {
        "email": "maya@example.com",
        "first_name": "Maya",
        "last_name": "Lopez",
        "phone": "555-0199",
        "emergency_contact": "Leo Lopez 555-0198",
        "experience": "Two years of salsa",
        "pricing_type": "full_package",
        "special_requests": "",
    }
    form.update(overrides)
    return form


def register_via_site(client: TestClient, course_id: int, **overrides: str) -> Any:
    """Post the course's registration form, filled by ``student_form(**overrides)``."""
    return post(
        client,
        f"/courses/{course_id}/register",
        student_form(**overrides),
        page=f"/courses/{course_id}",
    )


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def emails(db: Database) -> list[OutgoingEmail]:
    with db.read() as session:
        rows = list(session.scalars(select(OutgoingEmail).order_by(t.outgoing_emails.c.id)))
        session.expunge_all()  # keep the loaded values readable after the session ends
        return rows


def link_in(email: OutgoingEmail, path_pattern: str) -> str:
    """The path of the first link in ``email`` matching ``path_pattern`` (a regex)."""
    match = re.search(path_pattern + r"[A-Za-z0-9_\-]+(?:/[a-z]+)?", email.body_text)
    assert match, f"no link like {path_pattern} in {email.kind} email"
    return match.group(0)
