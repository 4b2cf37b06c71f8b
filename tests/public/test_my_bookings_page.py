"""The signed-in student's page: every booking with its state, waitlist places, next classes."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.db.database import Database
from domain.model import ClassSession, Registration
from domain.services.payments import cancel_registration, confirm_payment
from domain.services.registration import StudentDetails, register_student
from domain.services.settings import update_setting
from domain.services.waitlist import join_waitlist
from tests.public.factories import STAFF, make_course, set_payment_settings
from tests.public.my_bookings_seed import book, sign_in, two_students
from tests.public.test_booking_cost import statements


def _text(html: str) -> str:
    """The page's words, tags and extra spaces removed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return _text(html[start : end if end != -1 else len(html)])


def test_the_page_lists_each_booking_with_its_payment_state_and_how_to_pay(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    maya_salsa, maya_tango, _bo = two_students(db)
    confirm_payment(db, registration_id=maya_tango, method="cash", reference="desk", actor=STAFF)
    sign_in(client, db, "maya@example.com")
    page = client.get("/my-bookings/").text
    booked = _section(page, "current-heading")

    salsa = booked[booked.index("Salsa Beginners") : booked.index("Tango Nights")]
    assert "Pending" in salsa
    assert f"Reference #{maya_salsa}" in salsa and "Amount $120.00" in salsa
    assert f"Rollbook #{maya_salsa} Salsa Beginners" in salsa  # the payment note
    # The note breaks between words, never inside a date ("6\u201327 Dec 2026").
    note = re.search(r'<p class="payment-note"><code>(.*?)</code></p>', page)
    assert note and re.search(r'<span class="nowrap">[^<]*\d [A-Z][a-z]{2} \d{4}</span>', note[1])
    assert "Pay with the Venmo app" in salsa and "Rollbook Studio LLC" in salsa
    assert "We hold your seat until" in salsa
    tango = booked[booked.index("Tango Nights") :]
    assert "Paid" in tango and "How to pay" not in tango
    # Times read in the organisation's zone, in the site's words.
    with db.read() as session:
        starts = session.get(Registration, maya_salsa).course.starts_at  # type: ignore[union-attr]
    local = starts.astimezone(ZoneInfo("America/New_York"))
    assert f"Starts {local:%a} {local.day} {local:%b %Y}, {local:%H:%M}" in salsa
    assert "pending" not in page and "completed" not in page  # no stored values


def test_the_page_lists_waitlist_places_with_their_position(
    client: TestClient, db: Database
) -> None:
    full = make_course(db, title="Full House", capacity=1)
    book(db, full, "first@example.com", first_name="First")
    for email in ("bo@example.com", "maya@example.com"):
        join_waitlist(
            db,
            course_id=full,
            student=StudentDetails(email=email, first_name=email[:2]),
            actor=Actor.public("192.0.2.4"),
        )
    sign_in(client, db, "maya@example.com")
    waiting = _section(client.get("/my-bookings/").text, "waiting-heading")
    assert "Full House" in waiting and "You are number 2 in line" in waiting


def test_the_page_lists_the_next_classes_of_bookings_that_hold_a_seat(
    client: TestClient, db: Database
) -> None:
    maya_salsa, _tango, _bo = two_students(db)
    with db.read() as session:
        salsa_days = list(
            session.scalars(select(ClassSession.session_date).order_by(ClassSession.session_date))
        )
    assert len(salsa_days) == 4
    sign_in(client, db, "maya@example.com")
    classes = _section(client.get("/my-bookings/").text, "sessions-heading")
    for day in salsa_days:
        when = f"{day:%a} {day.day} {day:%b %Y}, 18:00\u201319:30"
        assert f"{when} Salsa Beginners · Studio A" in classes
    cancel_registration(db, registration_id=maya_salsa, reason="test", actor=STAFF)
    page = client.get("/my-bookings/").text
    assert "No classes are planned for your bookings yet." in page
    earlier = _section(page, "earlier-heading")
    assert "Cancelled Salsa Beginners" in earlier


def test_a_student_sees_only_their_own_bookings(client: TestClient, db: Database) -> None:
    two_students(db)
    book(db, make_course(db, title="Bachata Basics"), "bo@example.com", first_name="Bo")
    sign_in(client, db, "maya@example.com")
    page = client.get("/my-bookings/").text
    assert "Bachata Basics" not in page and "bo@example.com" not in page


def test_cancelling_asks_first_then_cancels_through_the_cancel_rules(
    client: TestClient, db: Database
) -> None:
    maya_salsa, maya_tango, _bo = two_students(db)
    sign_in(client, db, "maya@example.com")
    confirm = client.get(f"/my-bookings/cancel/{maya_salsa}")
    assert confirm.status_code == 200
    assert "Cancel this booking?" in confirm.text and "Salsa Beginners" in confirm.text
    with db.read() as session:
        assert session.get(Registration, maya_salsa).cancelled_at is None  # type: ignore[union-attr]

    response = client.post(
        f"/my-bookings/cancel/{maya_salsa}", data={"csrf_token": _csrf(confirm.text)}
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Your booking is cancelled. We have emailed you a confirmation." in page
    with db.read() as session:
        salsa = session.get(Registration, maya_salsa)
        tango = session.get(Registration, maya_tango)
        assert salsa is not None and tango is not None
        assert salsa.cancelled_at is not None and tango.cancelled_at is None
        assert salsa.cancellation_reason == "Cancelled by the student on their bookings page."
    assert "Cancelled Salsa Beginners" in _section(page, "earlier-heading")
    assert "Salsa Beginners" not in _section(page, "current-heading")
    # Cancelling again is refused by the rules, with the reason, nothing changed.
    again = client.post(
        f"/my-bookings/cancel/{maya_salsa}", data={"csrf_token": _csrf(confirm.text)}
    )
    assert again.status_code == 400 and "already cancelled" in again.text


def test_a_student_cannot_cancel_another_students_booking(client: TestClient, db: Database) -> None:
    _salsa, _tango, bo_salsa = two_students(db)
    sign_in(client, db, "maya@example.com")
    token = _csrf(client.get("/my-bookings/").text)
    page = client.get(f"/my-bookings/cancel/{bo_salsa}")
    response = client.post(f"/my-bookings/cancel/{bo_salsa}", data={"csrf_token": token})
    assert page.status_code == response.status_code == 404
    assert "You have no such booking" in response.text
    assert client.get(f"/my-bookings/calendar/{bo_salsa}.ics").status_code == 404
    with db.read() as session:
        bo = session.get(Registration, bo_salsa)
        assert bo is not None and bo.cancelled_at is None


def test_without_signing_in_nothing_can_be_cancelled(client: TestClient, db: Database) -> None:
    maya_salsa, _tango, _bo = two_students(db)
    token = _csrf(client.get("/my-bookings/").text)
    response = client.post(f"/my-bookings/cancel/{maya_salsa}", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/my-bookings/"
    assert client.get(f"/my-bookings/calendar/{maya_salsa}.ics").status_code == 303
    with db.read() as session:
        assert session.get(Registration, maya_salsa).cancelled_at is None  # type: ignore[union-attr]


def test_the_signed_in_student_changes_their_details(client: TestClient, db: Database) -> None:
    two_students(db)
    sign_in(client, db, "maya@example.com")
    form = client.get("/my-bookings/profile")
    assert 'value="Lopez"' in form.text
    response = client.post(
        "/my-bookings/profile",
        data={
            "csrf_token": _csrf(form.text),
            "first_name": "Maya",
            "last_name": "Lopez-Diaz",
            "phone": "555-0777",
        },
    )
    assert response.status_code == 303
    assert "Your details are saved." in client.get(response.headers["location"]).text
    bad = client.post(
        "/my-bookings/profile", data={"csrf_token": _csrf(form.text), "first_name": ""}
    )
    assert bad.status_code == 400 and "Please enter your first name." in bad.text
    with db.read() as session:
        rows = {
            r.student.email: (r.student.last_name, r.student.phone)  # type: ignore[union-attr]
            for r in session.scalars(select(Registration))
        }
    assert rows == {"maya@example.com": ("Lopez-Diaz", "555-0777"), "bo@example.com": ("Lopez", "")}


def test_the_page_costs_the_same_statements_however_many_bookings(
    client: TestClient, db: Database
) -> None:
    book(db, make_course(db, title="Course 0", sessions=True), "maya@example.com")
    sign_in(client, db, "maya@example.com")
    costs = []
    for n in range(1, 4):
        with statements(db) as sent:
            assert client.get("/my-bookings/").status_code == 200
        costs.append(len(sent))
        for extra in range(3):
            title = f"Course {n}-{extra}"
            course = make_course(db, title=title, sessions=True, package_price=Decimal(0))
            book(db, course, "maya@example.com")
    assert costs[0] == costs[1] == costs[2], costs


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_a_drop_in_whose_class_has_passed_is_listed_as_earlier(
    client: TestClient, db: Database
) -> None:
    course = make_course(db, title="Hip-Hop Drop-in", sessions=True, drop_in_price=Decimal(20))
    with db.write() as session:
        first, second = session.scalars(
            select(ClassSession).order_by(ClassSession.session_date).limit(2)
        ).all()
        ids = (first.id, second.id)
    for session_id in ids:
        register_student(
            db,
            course_id=course,
            student=StudentDetails(email="maya@example.com", first_name="Maya"),
            pricing_type="drop_in",
            drop_in_session_id=session_id,
            actor=Actor.public("192.0.2.5"),
        )
    with db.write() as session:
        past = session.get(ClassSession, ids[0])
        assert past is not None
        past.session_date = past.session_date - timedelta(days=30)
        session.commit()
    sign_in(client, db, "maya@example.com")
    page = client.get("/my-bookings/").text
    booked, earlier = _section(page, "current-heading"), _section(page, "earlier-heading")
    assert len(re.findall(r"Class \w{3} \d+ \w{3} \d{4}, 18:00", booked)) == 1
    assert "Hip-Hop Drop-in, class on" in earlier


def test_only_a_published_course_is_linked(client: TestClient, db: Database) -> None:
    maya_salsa, _tango, _bo = two_students(db)
    hidden = make_course(db, title="Staff Only Workshop", published=False)
    with db.write() as session:
        registration = session.get(Registration, maya_salsa)
        assert registration is not None
        registration.course_id = hidden
        session.commit()
    sign_in(client, db, "maya@example.com")
    page = client.get("/my-bookings/").text
    assert "Staff Only Workshop" in page and f'href="/courses/{hidden}"' not in page
    assert "Tango Nights</a>" in page
