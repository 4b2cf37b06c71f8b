"""Detail pages are read-only and show each entity's related rows."""

from __future__ import annotations

import re

from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.formatting import local_date
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import (
    START,
    add_contact,
    add_course,
    add_school,
    add_student,
    add_waitlist,
    mark,
    register,
)


def section(html: str, title: str) -> str:
    """The HTML of the related table titled ``title`` on a detail page."""
    found = re.search(rf"<h3[^>]*>\s*{re.escape(title)}\b(.*?)</section>", html, re.S)
    assert found, f"no '{title}' section on the page"
    return found.group(1)


def test_school_detail_shows_contact_history_and_sign_ups(
    staff_client: AdminClient, db: Database
) -> None:
    hill, lake = add_school(db, "Hill"), add_school(db, "Lake")
    add_contact(db, hill, "Asked about spring workshop")
    add_contact(db, lake, "Lake only call")
    course = add_course(db, "Salsa Basics")
    register(db, add_student(db, "Ada", last_name="King"), course, school=hill)
    register(db, add_student(db, "Bo", last_name="Lake"), course, school=lake)
    page = staff_client.get(f"/admin/school/details/{hill.id}").text
    contacts = section(page, "Contact history")
    assert "Asked about spring workshop" in contacts
    assert "Lake only call" not in contacts
    signups = section(page, "Sign-ups")
    assert "Ada King" in signups
    assert "Salsa Basics" in signups
    assert "Bo Lake" not in signups


def test_course_detail_shows_slots_prices_sessions_registrations_and_waitlist(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics")
    ada = add_student(db, "Ada", last_name="King")
    register(db, ada, course, payment_status=PaymentStatus.COMPLETED)
    add_waitlist(db, add_student(db, "Wes", last_name="Wait"), course, 1)
    page = staff_client.get(f"/admin/course/details/{course.id}").text
    assert "Monday" in section(page, "Slots")
    assert "$120.00" in section(page, "Prices")
    assert local_date(START.date()) in section(page, "Sessions")
    registrations = section(page, "Registrations")
    assert "Ada King" in registrations
    assert "Paid" in registrations
    assert "Wes Wait" in section(page, "Waitlist")
    assert f"/admin/course/attendance-export/{course.id}" in page


def test_student_detail_shows_registrations_and_attendance(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics")
    ada = add_student(db, "Ada")
    mark(db, register(db, ada, course), "late")
    page = staff_client.get(f"/admin/student/details/{ada.id}").text
    assert "Salsa Basics" in section(page, "Registrations")
    attendance = section(page, "Attendance")
    assert "Late" in attendance
    assert local_date(START.date()) in attendance
