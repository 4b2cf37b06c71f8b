"""The dashboard is the admin home page and shows the figures, next courses and activity."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import PaymentStatus
from tests.admin.a3_factories import (
    add_contact,
    add_course,
    add_registration,
    add_school,
    add_student,
)
from tests.admin.conftest import AdminClient


def _figure(html: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert found, f"no {key} card"
    return found.group(1).strip()


def test_the_admin_home_is_the_dashboard_with_its_figures(
    db: Database, staff_client: AdminClient
) -> None:
    school = add_school(db, "Elm High")
    course = add_course(db, "Knife Skills", capacity=8, starts_at=utcnow() + timedelta(days=2))
    paid = add_student(db, "Ann", "Lee", school_id=school)
    owing = add_student(db, "Bob", "Ray", school_id=school)
    add_registration(
        db, student_id=paid, course_id=course, amount=Decimal("40"), status=PaymentStatus.COMPLETED
    )
    add_registration(
        db, student_id=owing, course_id=course, amount=Decimal("25"), status=PaymentStatus.PENDING
    )
    add_contact(db, school, "Asked about spring dates", utcnow() - timedelta(days=1))

    page = staff_client.get("/admin/")
    assert page.status_code == 200
    html = page.text
    assert _figure(html, "enrolled-schools") == "1"
    assert _figure(html, "pending-signups") == "2"
    assert _figure(html, "revenue-confirmed") == "$40.00"
    assert _figure(html, "payments-pending") == "$25.00"
    assert "1 registration awaiting payment" in html
    assert "Knife Skills" in html and "2 / 8" in html
    assert 'value="25"' in html  # the progress bar: 2 of 8 seats
    assert "Asked about spring dates" in html
    assert "Ann Lee" in html and "Bob Ray" in html


def test_the_dashboard_needs_a_signed_in_user(anonymous_client: AdminClient) -> None:
    response = anonymous_client.get("/admin/", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert "/admin/login" in response.headers["location"]


def test_an_empty_programme_shows_zeros_and_friendly_empty_lists(
    staff_client: AdminClient,
) -> None:
    html = staff_client.get("/admin/").text
    # No school: the card a studio reads instead of "0 schools".
    assert 'data-figure="enrolled-schools"' not in html
    assert _figure(html, "seats-taken") == "0 of 0"
    assert _figure(html, "revenue-confirmed") == "$0.00"
    assert "No upcoming courses." in html and "No registrations yet." in html
