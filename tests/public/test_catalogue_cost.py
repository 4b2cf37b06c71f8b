"""The catalogue and a course page cost the same statements however many courses are on.

Seats are counted for every listed course in one batch, and a course's slots,
prices and drop-in classes come in fixed statements, not one per course or slot.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PricingType, RegistrationSource
from domain.model import Course, CourseSlot, Price
from domain.services.catalogue import catalogue_entries
from domain.services.registration import StudentDetails, register_student
from domain.services.sessions import generate_sessions
from tests.public.factories import STAFF
from tests.public.test_booking_cost import statements

SIZES = (1, 5, 50)

#: The courses with their slots and prices, their drop-in classes, and every
#: course's seat count.
DOMAIN_STATEMENTS = 3
#: The domain's three, the settings, and the site name the page layout shows.
PAGE_STATEMENTS = DOMAIN_STATEMENTS + 2


def _add_course(db: Database, n: int) -> int:
    """Course ``n``: every other one a running series sold by the class; each has
    three weekly slots, its classes, and one student booked."""
    running = n % 2 == 1
    starts_at = datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0) + (
        timedelta(days=-15) if running else timedelta(days=7)
    )
    with db.write() as session:
        course = Course(
            title=f"Course {n:02d}",
            location="Studio A",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(weeks=7, hours=2),
            capacity=20,
            is_published=True,
        )
        for day in range(3):
            slot = CourseSlot(
                name=f"Class {day}",
                day_of_week=(starts_at.weekday() + day) % 7,
                start_time=time(18, 0),
                end_time=time(19, 30),
            )
            slot.prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=Decimal(40)))
            slot.prices.append(Price(pricing_type=PricingType.DROP_IN, amount=Decimal(15)))
            course.slots.append(slot)
        session.add(course)
        session.commit()
        course_id = course.id
    assert course_id is not None
    generate_sessions(db, course_id=course_id, actor=STAFF)
    drop_in = None
    if running:
        cs = t.class_sessions.c
        with db.read() as session:
            drop_in = session.scalars(
                select(cs.id)
                .where(cs.course_id == course_id, cs.session_date > datetime.now(UTC).date())
                .order_by(cs.session_date)
                .limit(1)
            ).one()
    register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email=f"student{n}@example.com", first_name="Student"),
        pricing_type=PricingType.DROP_IN if running else PricingType.FULL_PACKAGE,
        drop_in_session_id=drop_in,
        actor=STAFF,
        source=RegistrationSource.SCRIPT,
    )
    return course_id


def _grow_to(db: Database, courses: list[int], size: int) -> None:
    while len(courses) < size:
        courses.append(_add_course(db, len(courses)))


def test_catalogue_page_costs_the_same_statements_for_1_5_and_50_courses(
    client: TestClient, db: Database
) -> None:
    courses: list[int] = []
    for size in SIZES:
        _grow_to(db, courses, size)
        with statements(db) as sent:
            page = client.get("/")
        assert page.status_code == 200
        assert page.text.count('class="card course-card"') == size
        assert len(sent) == PAGE_STATEMENTS, (size, "\n".join(s.split("\n")[0] for s in sent))


def test_course_page_costs_the_same_statements_for_1_5_and_50_courses(
    client: TestClient, db: Database
) -> None:
    courses: list[int] = []
    for size in SIZES:
        _grow_to(db, courses, size)
        for course_id in (courses[0], courses[-1]):
            with statements(db) as sent:
                page = client.get(f"/courses/{course_id}")
            assert page.status_code == 200
            assert len(sent) == PAGE_STATEMENTS, (size, "\n".join(s.split("\n")[0] for s in sent))


def test_domain_catalogue_costs_the_same_statements_for_1_5_and_50_courses(
    db: Database,
) -> None:
    courses: list[int] = []
    for size in SIZES:
        _grow_to(db, courses, size)
        with statements(db) as sent, db.read() as session:
            entries = catalogue_entries(session)
        assert sorted(e.course_id for e in entries) == courses
        # The settings are read once, when the caller does not pass them.
        assert len(sent) == DOMAIN_STATEMENTS + 1, "\n".join(s.split("\n")[0] for s in sent)


def test_a_narrowed_catalogue_costs_the_same_statements_for_5_and_50_courses(
    client: TestClient, db: Database
) -> None:
    courses: list[int] = []
    counts = []
    for size in (5, 50):
        _grow_to(db, courses, size)
        with statements(db) as sent:
            page = client.get("/?q=course&kind=workshop&level=beginner")
        assert page.status_code == 200
        assert page.text.count('class="card course-card"') == size
        counts.append(len(sent))
    assert counts == [PAGE_STATEMENTS, PAGE_STATEMENTS]


def test_the_school_sign_up_page_costs_the_same_statements_for_5_and_50_courses(
    client: TestClient, db: Database
) -> None:
    courses: list[int] = []
    counts = []
    for size in (5, 50):
        _grow_to(db, courses, size)
        with db.write() as session:
            session.execute(t.courses.update().values(open_to_school_signup=True))
            session.commit()
        with statements(db) as sent:
            page = client.get("/signup/")
        assert page.status_code == 200
        # The courses not started yet: every other one, from the first.
        assert page.text.count("seats left)") == (size + 1) // 2
        counts.append(len(sent))
    assert counts[0] == counts[1], counts
