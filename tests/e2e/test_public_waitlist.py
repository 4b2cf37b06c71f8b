"""Browser: a full course's waitlist, offers claimed by email, self-service cancellation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.actors import Actor
from domain.model import Registration, WaitlistEntry
from domain.services.payments import cancel_registration
from domain.services.registration import StudentDetails, register_student
from domain.services.settings import update_setting
from domain.services.waitlist import join_waitlist
from domain.services.waitlist_offers import offer_next_seat
from tests.e2e.conftest import LiveServer
from tests.public.browser import assert_accessible, deliver_emails, link_path, message_to
from tests.public.factories import STAFF, make_course
from tests.smtp_fixtures import SmtpServer, smtp_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def test_full_course_waitlist_offer_claimed_through_the_emailed_link(
    live_server: LiveServer,
    page: Page,
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = live_server.db
    update_setting(db, "automatic_offers", "false", actor=STAFF)
    course_id = make_course(db, title="Tiny class", capacity=1)
    first = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    page.goto(live_server.url + "/")
    expect(page.locator(".course-card .status-full")).to_have_text("Full")
    page.get_by_role("link", name="Join waitlist").click()
    expect(page.get_by_role("heading", name="Join the waitlist")).to_be_visible()
    page.get_by_label("Email").fill("wanda@example.com")
    page.get_by_label("First name").fill("Wanda")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("heading", name="You are on the waitlist")).to_be_visible()
    assert_accessible(page)

    cancel_registration(db, registration_id=first.registration_id, reason="Moved away", actor=STAFF)
    assert offer_next_seat(db, course_id=course_id, actor=STAFF) is not None
    deliver_emails(db, smtp_server, tmp_path)
    offer = message_to(smtp_server, "wanda@example.com", "A seat is free")
    page.goto(live_server.url + link_path(offer, r"/offers/[^/\s]+/claim"))
    expect(page.get_by_role("heading", name="A seat is free for you")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Claim my seat").click()
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    expect(page.locator(".amount-due")).to_have_text("$120.00")
    with db.read() as session:
        claimed = session.scalars(select(Registration).where(Registration.from_waitlist)).one()
        assert claimed.cancelled_at is None

    page.goto(live_server.url + link_path(offer, r"/offers/[^/\s]+/claim"))
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    assert_accessible(page)


def test_student_cancels_through_the_emailed_link_and_the_next_in_line_is_offered(
    live_server: LiveServer,
    page: Page,
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = live_server.db
    course_id = make_course(db, title="Salsa", capacity=1)
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("First name").fill("Maya")
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email="next@example.com", first_name="Nia"),
        actor=Actor.public("198.51.100.7"),
    )
    deliver_emails(db, smtp_server, tmp_path)
    received = message_to(smtp_server, "maya@example.com", "Registration received")
    cancel_path = link_path(received, r"/registrations/cancel/[^/\s]+")

    page.goto(live_server.url + cancel_path)
    expect(page.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_role("heading", name="Your registration is cancelled")).to_be_visible()
    assert_accessible(page)

    with db.read() as session:
        entry = session.scalars(select(WaitlistEntry)).one()
        assert entry.status == "offered"
    deliver_emails(db, smtp_server, tmp_path)
    message_to(smtp_server, "next@example.com", "A seat is free")

    page.goto(live_server.url + cancel_path)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.get_by_text("already been used")).to_be_visible()
