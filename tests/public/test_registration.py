"""A student books a course on the public site (seed 003 flow)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.enums import StudentType
from domain.model import ClassSession, Registration, Student, WaitlistEntry
from domain.services.students import classify_students
from tests.public.factories import (
    STAFF,
    count,
    emails,
    make_course,
    post,
    register_via_site,
    set_payment_settings,
    student_form,
)


def test_new_student_registers_and_sees_amount_and_payment_instructions(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    course_id = make_course(db, title="Salsa Beginners", package_price=Decimal("120.00"))
    response = register_via_site(client, course_id)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/registrations/")
    page = client.get(location)
    assert page.status_code == 200
    assert "$120.00" in page.text
    assert "venmo://paycharge" in page.text
    assert "https://venmo.com/rollbook-studio" in page.text
    assert "Rollbook Studio LLC" in page.text and "555-0100" in page.text
    assert "Salsa Beginners" in page.text  # the reference note names the course
    assert page.headers["referrer-policy"] == "no-referrer"
    with db.read() as session:
        student = session.scalars(select(Student)).one()
        assert (student.email, student.first_name, student.phone) == (
            "maya@example.com",
            "Maya",
            "555-0199",
        )
    assert [e.kind for e in emails(db)] == ["registration_received"]


def test_returning_student_keeps_stored_details_and_none_are_shown(
    client: TestClient, db: Database
) -> None:
    first = make_course(db, title="First course")
    second = make_course(db, title="Second course")
    assert register_via_site(client, first, first_name="Maya", phone="555-0199").status_code == 303
    response = register_via_site(
        client,
        second,
        email="MAYA@example.com",
        first_name="Mallory",
        last_name="Intruder",
        phone="555-6666",
        emergency_contact="Evil",
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    for stored in ("Maya", "Lopez", "555-0199", "Leo Lopez"):
        assert stored not in page.text
    with db.read() as session:
        student = session.scalars(select(Student)).one()
        assert (student.first_name, student.last_name, student.phone) == (
            "Maya",
            "Lopez",
            "555-0199",
        )
        assert len(list(session.scalars(select(Registration)))) == 2


def test_double_submission_creates_one_registration_and_one_email(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    first = register_via_site(client, course_id)
    second = register_via_site(client, course_id)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == "/registrations/received"
    assert "already registered" in client.get("/registrations/received").text
    assert count(db, Registration) == 1
    assert len(emails(db)) == 1


def test_drop_in_amount_is_the_session_price_computed_by_the_server(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, drop_in_price=Decimal("25.00"), sessions=True)
    with db.read() as session:
        session_id = session.scalars(
            select(ClassSession.id).where(ClassSession.course_id == course_id)
        ).first()
    response = register_via_site(
        client, course_id, pricing_type="drop_in", drop_in_session=str(session_id)
    )
    assert response.status_code == 303
    assert "$25.00" in client.get(response.headers["location"]).text
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.amount_due == Decimal("25.00")
        assert registration.drop_in_session_id == session_id


def test_extra_fields_never_set_price_status_id_or_student_type(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, package_price=Decimal("120.00"))
    response = post(
        client,
        f"/courses/{course_id}/register",
        {
            **student_form(),
            "amount_due": "0",
            "payment_status": "completed",
            "id": "4242",
            "student_type": "crew_member",
            "admin_classified": "true",
            "course_id": "1",
        },
        page=f"/courses/{course_id}",
    )
    assert response.status_code == 303
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        student = session.scalars(select(Student)).one()
        assert registration.amount_due == Decimal("120.00")
        assert registration.payment_status == "pending"
        assert registration.id != 4242
        assert (student.student_type, student.admin_classified) == ("general", False)


def test_full_course_refuses_booking_and_offers_the_waitlist(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, capacity=1)
    assert register_via_site(client, course_id, email="a@example.com").status_code == 303
    response = register_via_site(client, course_id, email="b@example.com", first_name="Bea")
    assert response.status_code == 400
    assert "full" in response.text and "Join the waitlist" in response.text
    assert 'value="b@example.com"' in response.text  # what was typed is kept
    assert count(db, Registration) == 1


def test_joining_the_waitlist_redirects_to_a_confirmation(client: TestClient, db: Database) -> None:
    course_id = make_course(db, capacity=1)
    register_via_site(client, course_id, email="a@example.com")
    response = post(
        client,
        f"/courses/{course_id}/waitlist",
        student_form(email="b@example.com", first_name="Bea"),
        page=f"/courses/{course_id}",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/courses/{course_id}/waitlist/joined"
    assert "on the waitlist" in client.get(response.headers["location"]).text
    with db.read() as session:
        entry = session.scalars(select(WaitlistEntry)).one()
        assert (entry.position, entry.status) == (1, "waiting")


def test_crew_only_course_refuses_students_not_classified_as_crew(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(
        db, title="Crew practice", required_student_type=StudentType.CREW_MEMBER
    )
    response = register_via_site(client, course_id)
    assert response.status_code == 400
    assert "only for crew members" in response.text
    assert count(db, Registration) == 0


def test_crew_member_classified_by_staff_may_book_a_crew_course(
    client: TestClient, db: Database
) -> None:
    open_course = make_course(db, title="Open course")
    crew_course = make_course(
        db, title="Crew practice", required_student_type=StudentType.CREW_MEMBER
    )
    register_via_site(client, open_course)
    with db.read() as session:
        student_id = session.scalars(select(Student.id)).one()
    classify_students(db, student_ids=[student_id], student_type="crew_member", actor=STAFF)
    assert register_via_site(client, crew_course).status_code == 303
    assert count(db, Registration) == 2


def test_invalid_form_shows_errors_next_to_fields_and_keeps_values(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    response = register_via_site(client, course_id, email="not-an-email", first_name="")
    assert response.status_code == 400
    assert 'id="email-error"' in response.text and 'id="first_name-error"' in response.text
    assert 'value="not-an-email"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert count(db, Registration) == 0 and count(db, Student) == 0


def test_waitlist_for_an_already_registered_address_reveals_nothing(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, capacity=1)
    register_via_site(client, course_id, email="a@example.com")
    response = post(
        client,
        f"/courses/{course_id}/waitlist",
        student_form(email="a@example.com", first_name="Someone"),
        page=f"/courses/{course_id}",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/registrations/received"
    assert count(db, WaitlistEntry) == 0
