"""The message builders: what each email tells its reader, and that no input breaks out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.emails.compose import Body, one_line
from domain.emails.registration import cancellation, payment_confirmed, registration_received
from domain.emails.school import school_signup_confirmation
from domain.emails.school_portal import participant_replaced, school_sign_in_link
from domain.emails.waitlist import waitlist_joined, waitlist_offer
from domain.enums import PaymentMethod
from domain.formatting import course_dates
from domain.model import Course, Registration, School, Student, WaitlistEntry
from domain.outbox import Email
from domain.rules.payment import payment_instructions
from domain.rules.settings import Settings

SETTINGS = Settings(
    organisation_name="Harbour Dance Studio",
    venmo_handle="harbour-dance",
    zelle_recipient_name="Harbour Dance LLC",
    zelle_phone="555-0100",
    timezone="America/New_York",
    offer_hours=48,
)
VIEW = "https://rollbook.example/r/view-token"
CANCEL = "https://rollbook.example/r/cancel-token"


def make_course(title: str = "Salsa Basics") -> Course:
    return Course(
        title=title,
        location="Studio A, 12 Pier Road",
        starts_at=datetime(2026, 12, 5, 15, 0, tzinfo=UTC),
        ends_at=datetime(2027, 1, 30, 17, 0, tzinfo=UTC),
    )


def make_student(first: str = "Ana", last: str = "Lopez") -> Student:
    return Student(email="ana@example.org", first_name=first, last_name=last)


def make_registration(amount: str = "120.00") -> Registration:
    return Registration(
        id=42,
        amount_due=Decimal(amount),
        hold_expires_at=datetime(2026, 11, 25, 17, 0, tzinfo=UTC),
    )


def received(
    student: Student | None = None, course: Course | None = None, amount: str = "120.00"
) -> Email:
    course = course or make_course()
    instructions = payment_instructions(
        registration_id=42,
        course_title=course.title,
        course_dates=course_dates(course.starts_at, course.ends_at, SETTINGS.timezone),
        amount=Decimal(amount),
        settings=SETTINGS,
    )
    return registration_received(
        registration=make_registration(amount),
        course=course,
        student=student or make_student(),
        instructions=instructions,
        view_url=VIEW,
        cancel_url=CANCEL,
        settings=SETTINGS,
    )


def test_registration_received_tells_amount_due_and_every_way_to_pay() -> None:
    email = received()
    for body in (email.body_text, email.body_html):
        assert "$120.00" in body
        assert "venmo://paycharge?" in body
        assert "https://venmo.com/harbour-dance?" in body
        assert "Harbour Dance LLC" in body
        assert "555-0100" in body
        assert "Harbour Dance Studio #42 Salsa Basics 5 Dec 2026 \u2013 30 Jan 2027" in body
        assert VIEW in body
        assert CANCEL in body
    assert email.to_address == "ana@example.org"
    assert email.to_name == "Ana Lopez"
    assert email.kind == "registration_received"
    assert email.subject == "Registration received: Salsa Basics - Harbour Dance Studio"


def test_registration_received_shows_the_seat_hold_in_the_studio_time_zone() -> None:
    # 17:00 UTC on 25 November is noon in New York (EST).
    assert "Wed 25 Nov 2026, 12:00" in received().body_text


def test_free_registration_says_no_payment_is_needed() -> None:
    email = received(amount="0.00")
    assert "No payment is needed" in email.body_text
    assert "venmo" not in email.body_text.lower()


def test_names_with_line_breaks_cannot_start_a_header() -> None:
    email = received(
        student=make_student("Eve\r\nBcc: evil@example.com", "X"),
        course=make_course("Salsa\nBcc: evil@example.com"),
    )
    for header_value in (email.to_name, email.subject, email.to_address):
        assert "\r" not in header_value
        assert "\n" not in header_value
    assert email.to_name == "Eve Bcc: evil@example.com X"


def test_one_line_removes_every_control_and_line_separator_character() -> None:
    assert one_line("a\x00b\tc\u2028d\u2029e\x85f\x1bg") == "a b c d e f g"


def test_html_part_escapes_names_and_titles() -> None:
    email = received(
        student=make_student("<script>alert(1)</script>", "Lopez"),
        course=make_course("O'Neil & Co <img src=x onerror=alert(1)>"),
    )
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.body_html
    assert "O&#x27;Neil &amp; Co &lt;img src=x onerror=alert(1)&gt;" in email.body_html
    assert "<img" not in email.body_html
    # The plain-text part shows what people typed, as typed.
    assert "<script>alert(1)</script>" in email.body_text


def test_links_only_take_web_or_venmo_addresses() -> None:
    with pytest.raises(ValueError, match="non-http link"):
        Body("Hi").link("Click", "javascript:alert(1)")


def test_payment_confirmed_repeats_amount_method_and_reference() -> None:
    registration = make_registration()
    registration.payment_method = PaymentMethod.VENMO
    registration.payment_reference = "VEN-9981"
    email = payment_confirmed(
        registration=registration,
        course=make_course(),
        student=make_student(),
        view_url=VIEW,
        settings=SETTINGS,
    )
    assert "Amount: $120.00" in email.body_text
    assert "Paid by: Venmo" in email.body_text
    assert "Reference: VEN-9981" in email.body_text
    assert email.subject.startswith("Payment confirmed: Salsa Basics")


def test_waitlist_joined_tells_the_place_in_line() -> None:
    email = waitlist_joined(
        entry=WaitlistEntry(position=3),
        course=make_course(),
        student=make_student(),
        settings=SETTINGS,
    )
    assert "Your place in line: 3" in email.body_text
    assert "open for 48 hours" in email.body_text
    assert email.kind == "waitlist_joined"


def test_waitlist_offer_has_claim_and_decline_links_and_local_deadline() -> None:
    email = waitlist_offer(
        course=make_course(),
        student=make_student(),
        claim_url="https://rollbook.example/offer/claim?t=abc",
        decline_url="https://rollbook.example/offer/decline?t=abc",
        expires_at=datetime(2026, 12, 1, 17, 30, tzinfo=UTC),
        settings=SETTINGS,
    )
    assert "Claim before: Tue 1 Dec 2026, 12:30" in email.body_text
    assert "https://rollbook.example/offer/claim?t=abc" in email.body_text
    assert 'href="https://rollbook.example/offer/decline?t=abc"' in email.body_html


def test_cancellation_gives_the_reason_and_mentions_a_refund_when_paid() -> None:
    registration = make_registration()
    registration.payment_confirmed_at = datetime(2026, 11, 20, tzinfo=UTC)
    email = cancellation(
        registration=registration,
        course=make_course(),
        student=make_student(),
        settings=SETTINGS,
        reason="Moved away",
    )
    assert "Reason: Moved away" in email.body_text
    assert "refund" in email.body_text
    assert email.subject.startswith("Registration cancelled: Salsa Basics")


def test_school_signup_confirmation_goes_to_the_contact_and_lists_participants() -> None:
    school = School(name="Bayside High", contact_name="Mr Park", contact_email="park@bayside.edu")
    participants = [
        Student(first_name="Lee", last_name="Kim", title="Teacher"),
        Student(first_name="Sam", last_name="Ortiz"),
    ]
    email = school_signup_confirmation(
        school=school, course=make_course(), participants=participants, settings=SETTINGS
    )
    assert email.to_address == "park@bayside.edu"
    assert email.to_name == "Mr Park"
    assert "- Lee Kim (Teacher)" in email.body_text
    assert "- Sam Ortiz" in email.body_text
    assert "2 participants from Bayside High" in email.body_text
    assert "Where: Studio A, 12 Pier Road" in email.body_text
    assert "When: 5 Dec 2026 \u2013 30 Jan 2027" in email.body_text
    assert "<li>Lee Kim (Teacher)</li>" in email.body_html


def test_every_message_is_signed_with_the_organisation_name() -> None:
    email = received()
    assert email.body_text.rstrip().endswith("Harbour Dance Studio")
    assert "<p>Harbour Dance Studio</p>" in email.body_html


def test_amounts_in_emails_carry_the_currency_setting() -> None:
    email = payment_confirmed(
        registration=make_registration(),
        course=make_course(),
        student=make_student(),
        view_url=VIEW,
        settings=Settings(currency="EUR", timezone="Europe/Berlin"),
    )
    assert "Amount: €120.00" in email.body_text


def test_school_sign_in_link_names_the_school_and_how_long_it_works() -> None:
    school = School(name="Lincoln High", contact_name="Pat", contact_email="pat@lincoln.example")
    email = school_sign_in_link(
        school=school,
        url="https://rollbook.example/my-school/sign-in/tok",
        ttl=timedelta(hours=24),
        settings=SETTINGS,
    )
    assert email.to_address == "pat@lincoln.example"
    assert "Lincoln High" in email.subject
    assert "https://rollbook.example/my-school/sign-in/tok" in email.body_text
    assert "works once, for 24 hours" in email.body_text


def test_participant_replaced_says_who_took_whose_place_and_why() -> None:
    school = School(name="Lincoln High", contact_name="Pat", contact_email="pat@lincoln.example")
    email = participant_replaced(
        school=school,
        course=make_course("Teacher training"),
        replaced=Student(first_name="Ada", last_name="Teacher"),
        replacement=Student(first_name="Cleo", last_name="New", title="Art teacher"),
        reason="Ada is on leave",
        settings=SETTINGS,
    )
    text = " ".join(email.body_text.split())
    assert "Cleo New (Art teacher) has taken the place of Ada Teacher" in text
    assert "Reason: Ada is on leave" in email.body_text
