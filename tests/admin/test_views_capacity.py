"""Capacity edited in the admin goes through the domain: new seats go to the waitlist."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import (
    audit_entries,
    course_slots,
    courses,
    outgoing_emails,
    registrations,
    waitlist_entries,
)
from domain.services.registration import StudentDetails
from domain.services.waitlist import join_waitlist
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import AdminClient

PUBLIC = Actor.public("203.0.113.9")


def _full_course_with_a_waiting_student(db: Database, *, capacity: int = 2) -> int:
    course = add_course(db, "Crew Practice", capacity=capacity)
    for n in range(capacity):
        add_registration(db, student_id=add_student(db, f"Seat{n}", "Holder"), course_id=course)
    details = StudentDetails(email="wait@example.org", first_name="Wanda")
    join_waitlist(db, course_id=course, student=details, actor=PUBLIC)
    return course


def _edit_course(client: AdminClient, course_id: int, capacity: str) -> httpx.Response:
    return client.submit(
        f"/admin/course/edit/{course_id}",
        {
            "title": "Crew Practice",
            "kind": "crew_practice",
            "description": "",
            "instructor": "",
            "location": "",
            "starts_at": "2030-03-01 18:00:00",
            "ends_at": "2030-03-01 19:00:00",
            "capacity": capacity,
            "required_student_type": "",
            "is_published": "y",
            "comment": "",
            "save": "Save",
        },
    )


def _waitlist_statuses(db: Database, course_id: int) -> list[str]:
    w = waitlist_entries.c
    with db.read() as s:
        return list(s.scalars(select(w.status).where(w.course_id == course_id)))


def _offer_emails(db: Database) -> list[str]:
    o = outgoing_emails.c
    with db.read() as s:
        return list(s.scalars(select(o.to_address).where(o.kind == "waitlist_offer")))


def _capacity(db: Database, course_id: int) -> int:
    with db.read() as s:
        return int(s.scalar(select(courses.c.capacity).where(courses.c.id == course_id)) or 0)


def test_raising_course_capacity_in_the_admin_offers_the_seat_to_the_waitlist(
    db: Database, staff_client: AdminClient
) -> None:
    course = _full_course_with_a_waiting_student(db)
    assert _waitlist_statuses(db, course) == ["waiting"]
    response = _edit_course(staff_client, course, "3")
    assert response.status_code == 200, response.text[-1500:]
    assert _capacity(db, course) == 3
    assert _waitlist_statuses(db, course) == ["offered"]
    assert _offer_emails(db) == ["wait@example.org"]
    # One entry for the whole edit, in the same transaction as the offer it caused.
    a = audit_entries.c
    with db.read() as s:
        entries = s.execute(
            select(a.action, a.changes).where(a.entity_type == "Course", a.action != "create")
        ).all()
    assert [(action, changes["capacity"]) for action, changes in entries] == [("update", [2, 3])]


def test_lowering_capacity_below_taken_seats_keeps_every_registration(
    db: Database, staff_client: AdminClient
) -> None:
    course = _full_course_with_a_waiting_student(db)
    response = _edit_course(staff_client, course, "1")
    assert response.status_code == 200, response.text[-1500:]
    # The service allows it: nobody is cancelled, new registrations simply stop.
    assert _capacity(db, course) == 1
    r = registrations.c
    with db.read() as s:
        active = s.scalar(
            select(func.count()).where(r.course_id == course, r.cancelled_at.is_(None))
        )
    assert active == 2
    assert _waitlist_statuses(db, course) == ["waiting"]
    assert _offer_emails(db) == []


def test_a_negative_capacity_is_refused_with_a_clear_message(
    db: Database, staff_client: AdminClient
) -> None:
    course = _full_course_with_a_waiting_student(db)
    response = _edit_course(staff_client, course, "-1")
    assert response.status_code == 400
    assert "The capacity must be between 0 and 100000." in response.text
    assert _capacity(db, course) == 2


def test_raising_a_slot_capacity_offers_the_freed_seat(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Slot Limited", capacity=10, slot_capacity=1)
    add_registration(db, student_id=add_student(db, "Seat", "Holder"), course_id=course)
    details = StudentDetails(email="wait@example.org", first_name="Wanda")
    join_waitlist(db, course_id=course, student=details, actor=PUBLIC)
    with db.read() as s:
        slot = s.scalar(select(course_slots.c.id).where(course_slots.c.course_id == course))
    response = staff_client.submit(
        f"/admin/course-slot/edit/{slot}",
        {
            "course": str(course),
            "name": "Main",
            "difficulty_level": "all_levels",
            "day_of_week": "2",
            "practice_date": "",
            "start_time": "18:00",
            "end_time": "19:00",
            "location": "",
            "capacity": "2",
            "save": "Save",
        },
    )
    assert response.status_code == 200, response.text[-1500:]
    with db.read() as s:
        assert s.scalar(select(course_slots.c.capacity).where(course_slots.c.id == slot)) == 2
    assert _waitlist_statuses(db, course) == ["offered"]
    assert _offer_emails(db) == ["wait@example.org"]
