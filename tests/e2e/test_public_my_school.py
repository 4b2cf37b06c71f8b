"""Browser: a school's contact signs in by an emailed link and swaps a participant, on a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.actors import Actor
from domain.services.payments import confirm_payment
from tests.e2e.conftest import LiveServer
from tests.public.browser import (
    PHONE,
    assert_accessible,
    deliver_emails,
    link_path,
    message_to,
    text_of,
)
from tests.public.my_school_setup import (
    CONTACT,
    make_contact_school,
    school_course,
    school_registrations,
    sign_up,
)
from tests.smtp_fixtures import SmtpServer, smtp_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_school_contact_signs_in_by_link_and_swaps_a_participant_on_a_phone(
    live_server: LiveServer,
    new_page: Callable[..., Page],
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = live_server.db
    school_id = make_contact_school(db)
    course_id = school_course(db, capacity=2)
    ada, _bob = sign_up(db, school_id, course_id, "Ada Teacher", "Bob Coach")
    confirm_payment(db, registration_id=ada, method="cash", reference="", actor=Actor.script())
    phone = new_page(viewport=PHONE)

    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="For schools").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My school")
    _fits(phone)
    assert_accessible(phone)
    phone.get_by_label("Email").fill(CONTACT)
    phone.get_by_role("button", name="Email me a sign-in link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your email")

    deliver_emails(db, smtp_server, tmp_path)
    email = message_to(smtp_server, CONTACT, "sign-in link")
    phone.goto(live_server.url + link_path(email, r"/my-school/sign-in/[A-Za-z0-9_\-]+"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in to Lincoln High")
    _fits(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Continue").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Lincoln High")
    expect(phone.get_by_role("heading", name="Teacher training")).to_be_visible()
    expect(phone.locator(".my-school-people li").first).to_contain_text("No sessions held yet")
    _fits(phone)
    assert_accessible(phone)
    phone.get_by_role("link", name="Replace Ada Teacher").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Replace Ada Teacher")
    _fits(phone)
    assert_accessible(phone)
    phone.get_by_label("Teacher's name").fill("Cleo New")
    phone.get_by_label("Job title or role").fill("Art teacher")
    phone.get_by_label("Why is the place passing to someone else?").fill("Ada is on leave")
    phone.get_by_role("button", name="Replace Ada Teacher").click()

    expect(phone.get_by_role("status")).to_contain_text("The place has passed to the new teacher")
    people = phone.locator(".my-school-people li")
    expect(people).to_have_count(2)
    expect(people.filter(has_text="Cleo New")).to_contain_text("Paid")
    _fits(phone)
    assert_accessible(phone)
    assert [n for n, cancelled, _p in school_registrations(db, school_id) if not cancelled] == [
        "Bob Coach",
        "Cleo New",
    ]
    deliver_emails(db, smtp_server, tmp_path)
    confirmation = text_of(message_to(smtp_server, CONTACT, "Participant replaced"))
    assert "Cleo New (Art teacher) has taken the place of Ada Teacher" in " ".join(
        confirmation.split()
    )
