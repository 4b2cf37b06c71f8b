"""Every kind of email writes moments as the sites do (``domain.formatting``), on the
studio's wall clock: no zone name such as "UTC", no ISO date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.emails.registration import cancellation, payment_confirmed, registration_received
from domain.emails.school import school_signup_confirmation
from domain.emails.school_portal import (
    participant_added,
    participant_replaced,
    school_sign_in_link,
    teacher_place_confirmed,
)
from domain.emails.sign_in import student_sign_in_link
from domain.emails.waitlist import waitlist_joined, waitlist_offer
from domain.formatting import LABELS, course_dates
from domain.model import Course, Registration, School, Student, WaitlistEntry
from domain.outbox import Email
from domain.rules.payment import payment_instructions
from domain.rules.settings import Settings
from domain.services.profiles import profile_link_email

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
URL = "https://rollbook.example/link"
#: 23:30 UTC on 5 December is 18:30 that day in New York; 02:00 UTC on 30 January is
#: still 29 January there.
STARTS = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
ENDS = datetime(2027, 1, 30, 2, 0, tzinfo=UTC)
HOLD = datetime(2026, 11, 26, 3, 15, tzinfo=UTC)


def every_email(settings: Settings) -> list[Email]:
    course = Course(title="Salsa", location="Studio A", starts_at=STARTS, ends_at=ENDS)
    one_day = Course(
        title="Taster", location="Studio A", starts_at=STARTS, ends_at=STARTS + timedelta(hours=2)
    )
    student = Student(email="ana@example.org", first_name="Ana", last_name="Lopez")
    school = School(name="Bayside", contact_name="Mr Park", contact_email="park@bayside.edu")
    registration = Registration(id=42, amount_due=Decimal("120.00"), hold_expires_at=HOLD)
    pay = payment_instructions(
        registration_id=42,
        course_title=course.title,
        course_dates=course_dates(course.starts_at, course.ends_at, settings.timezone),
        amount=Decimal("120.00"),
        settings=settings,
    )
    return [
        registration_received(
            registration=registration,
            course=course,
            student=student,
            instructions=pay,
            view_url=URL,
            cancel_url=URL,
            settings=settings,
        ),
        payment_confirmed(
            registration=registration,
            course=one_day,
            student=student,
            view_url=URL,
            settings=settings,
        ),
        cancellation(registration=registration, course=course, student=student, settings=settings),
        school_signup_confirmation(
            school=school, course=course, participants=[student], settings=settings
        ),
        waitlist_joined(
            entry=WaitlistEntry(position=2), course=course, student=student, settings=settings
        ),
        waitlist_offer(
            course=course,
            student=student,
            claim_url=URL,
            decline_url=URL,
            expires_at=HOLD,
            settings=settings,
        ),
        profile_link_email(student=student, url=URL, settings=settings),
        student_sign_in_link(
            student=student, url=URL, valid_for=timedelta(hours=1), settings=settings
        ),
        school_sign_in_link(school=school, url=URL, ttl=timedelta(hours=24), settings=settings),
        participant_added(school=school, course=course, participant=student, settings=settings),
        participant_replaced(
            school=school,
            course=course,
            replaced=student,
            replacement=Student(first_name="Cleo", last_name="New"),
            reason="On leave",
            settings=settings,
        ),
        teacher_place_confirmed(school=school, course=course, teacher=student, settings=settings),
    ]


def test_every_kind_of_email_is_checked() -> None:
    kinds = {email.kind for email in every_email(Settings())}
    # Every kind the admin's outbox names, but the staff's own message (their words).
    assert kinds == {
        "registration_received",
        "payment_confirmed",
        "cancellation",
        "school_signup_confirmation",
        "waitlist_joined",
        "waitlist_offer",
        "profile_link",
        "student_sign_in_link",
        "school_sign_in_link",
        "school_participant_added",
        "school_participant_replaced",
        "school_teacher_confirmation",
    }
    assert kinds <= set(LABELS)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Europe/Berlin"])
def test_no_email_names_a_time_zone_or_writes_an_iso_date(zone: str) -> None:
    for email in every_email(Settings(timezone=zone, venmo_handle="studio")):
        for text in (email.body_text, email.body_html or "", email.subject):
            assert "UTC" not in text, (email.kind, text)
            assert zone not in text, (email.kind, text)
            assert not ISO_DATE.search(text), (email.kind, ISO_DATE.search(text))


def test_email_dates_are_the_sites_words_on_the_studios_wall_clock() -> None:
    emails = {e.kind: e.body_text for e in every_email(Settings(timezone="America/New_York"))}

    assert "When: 5 Dec 2026 \u2013 29 Jan 2027" in emails["registration_received"]
    assert "#42 Salsa 5 Dec 2026 \u2013 29 Jan 2027" in emails["registration_received"]
    # The hold ends at 03:15 UTC on 26 November: 22:15 the evening before in New York.
    assert "Wed 25 Nov 2026, 22:15" in emails["registration_received"]
    # A course held on one day gives its start, as the catalogue writes a class.
    assert "When: Sat 5 Dec 2026, 18:30" in emails["payment_confirmed"]
    assert "Wed 25 Nov 2026, 22:15" in emails["waitlist_offer"]
