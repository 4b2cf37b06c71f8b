"""The "Register a student" form: a student search as you type, a drop-in session list."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import course_slots, registrations
from domain.enums import PricingType
from domain.model import ClassSession, Price
from tests.admin.a3_factories import add_course, add_session, add_student
from tests.admin.conftest import AdminClient
from tests.factories import insert

SEARCH = "/admin/search/students"


def _search(client: AdminClient, text: str) -> list[dict[str, object]]:
    response = client.page(f"{SEARCH}?q={text}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    results: list[dict[str, object]] = response.json()["results"]
    return results


def _drop_in_course(db: Database) -> tuple[int, int, int, int]:
    """A drop-in course: (course, a past session, the next session, a later session)."""
    course = add_course(db, "Open Floor", price=Decimal("80.00"))
    with db.read() as s:
        slot = s.scalar(select(course_slots.c.id).where(course_slots.c.course_id == course))
    insert(db, Price(slot_id=slot, pricing_type=PricingType.DROP_IN, amount=Decimal("15.00")))
    today = date.today()
    past, soon, later = (
        insert(
            db, ClassSession(course_id=course, slot_id=slot, session_date=today + timedelta(days))
        )
        for days in (-7, 7, 14)
    )
    # A session outside the drop-in slots is not sold as a drop-in.
    add_session(db, course, today + timedelta(days=10))
    return course, past, soon, later


def test_the_search_answers_at_most_ten_matches_by_name_or_email(
    db: Database, staff_client: AdminClient
) -> None:
    for n in range(15):
        add_student(db, "Ann", f"Lee{n:02d}")
    add_student(db, "Zed", "Quill", email="zq@dance.example")
    found = _search(staff_client, "ann")
    assert len(found) == 10
    assert {row["name"] for row in found} <= {f"Ann Lee{n:02d}" for n in range(15)}
    assert [row["name"] for row in _search(staff_client, "ann lee07")] == ["Ann Lee07"]
    by_email = _search(staff_client, "dance.example")
    assert by_email == [
        {
            "id": by_email[0]["id"],
            "name": "Zed Quill",
            "email": "zq@dance.example",
            "value": "zq@dance.example",
        }
    ]
    # Too short to be worth a search, and LIKE wildcards are taken literally.
    assert _search(staff_client, "a") == []
    assert _search(staff_client, "%25") == []


def test_the_search_requires_sign_in(db: Database, anonymous_client: AdminClient) -> None:
    add_student(db, "Ann", "Lee")
    response = anonymous_client.page(f"{SEARCH}?q=ann")
    assert response.status_code in (302, 303)
    assert "/admin/login" in response.headers["location"]
    assert "Ann" not in response.text


def test_the_form_offers_a_student_search_and_the_coming_sessions_only(
    db: Database, staff_client: AdminClient
) -> None:
    course, past, soon, later = _drop_in_course(db)
    page = staff_client.get(f"/admin/actions/register-student/?pks={course}").text
    assert 'data-student-search="http://testserver/admin/search/students"' in page
    assert "/rollbook-static/student-search.js" in page
    select_html = re.search(r'<select[^>]*name="drop_in_session_id".*?</select>', page, re.S)
    assert select_html is not None
    offered = re.findall(r'<option value="(\d+)"', select_html.group(0))
    assert offered == [str(soon), str(later)]
    assert str(past) not in offered


def test_a_course_without_drop_in_prices_has_no_session_list(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Series Only", price=Decimal("80.00"))
    add_session(db, course, date.today() + timedelta(days=3))
    page = staff_client.get(f"/admin/actions/register-student/?pks={course}").text
    assert 'name="drop_in_session_id"' not in page
    assert 'name="student"' in page


def test_the_form_registers_the_picked_student_for_the_picked_session(
    db: Database, staff_client: AdminClient
) -> None:
    course, _past, _soon, later = _drop_in_course(db)
    student = add_student(db, "Maya", "Ortiz", email="maya@example.org")
    (match,) = _search(staff_client, "maya ort")
    done = staff_client.submit(
        "/admin/actions/register-student/",
        {
            "pks": str(course),
            "student": str(match["value"]),
            "pricing_type": "drop_in",
            "drop_in_session_id": str(later),
            "override_reason": "walk-in",
        },
    )
    assert done.status_code == 200, re.findall(r"action-error\">([^<]*)", done.text)
    assert "Registered: registration #" in done.text
    r = registrations.c
    with db.read() as s:
        row = s.execute(
            select(r.student_id, r.pricing_type, r.drop_in_session_id).where(r.course_id == course)
        ).one()
    assert tuple(row) == (student, "drop_in", later)


def test_a_session_of_another_course_or_the_past_is_refused(
    db: Database, staff_client: AdminClient
) -> None:
    course, past, _soon, _later = _drop_in_course(db)
    add_student(db, "Maya", "Ortiz", email="maya@example.org")
    refused = staff_client.submit(
        "/admin/actions/register-student/",
        {
            "pks": str(course),
            "student": "maya@example.org",
            "pricing_type": "drop_in",
            "drop_in_session_id": str(past),
            "override_reason": "walk-in",
        },
    )
    assert refused.status_code == 400
    assert "Choose one of the options for Drop-in session." in refused.text
    with db.read() as s:
        assert s.scalars(select(registrations.c.id)).all() == []


def test_the_search_script_is_a_static_file_the_policy_allows(
    db: Database, staff_client: AdminClient
) -> None:
    course, *_ = _drop_in_course(db)
    page = staff_client.get(f"/admin/actions/register-student/?pks={course}")
    src = re.search(r'<script src="([^"]*student-search\.js)"', page.text)
    assert src is not None
    script = staff_client.get(src.group(1))
    assert script.status_code == 200 and "data-student-search" in script.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text
