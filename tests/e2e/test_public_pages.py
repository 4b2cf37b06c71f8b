"""Browser: every other public page passes axe-core and fits a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from domain.actors import Actor
from domain.services.registration import StudentDetails, register_student
from tests.e2e.conftest import LiveServer
from tests.public.browser import assert_accessible, assert_fits_phone
from tests.public.factories import emails, full_course_with_offer, link_in, make_course

pytestmark = pytest.mark.browser

SIMPLE_PAGES = [
    "/registrations/received",
    "/registrations/cancelled",
    "/offers/declined",
    "/signup/success/",
    "/no-such-page",
    "/registrations/not-a-token",
    "/profile/",
    "/profile/sent",
    "/profile/updated",
]


def test_simple_pages_are_accessible_and_fit_a_phone(
    live_server: LiveServer, page: Page, new_page: Callable[..., Page]
) -> None:
    for path in SIMPLE_PAGES:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        assert_fits_phone(new_page, live_server.url + path)


def test_signup_form_with_errors_is_accessible(live_server: LiveServer, page: Page) -> None:
    make_course(live_server.db, school_signup=True, title="Workshop", package_price=None)
    page.goto(live_server.url + "/signup/")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#school_name-error")).to_be_visible()
    assert_accessible(page)


def test_declining_an_offer_in_the_browser(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    _course_id, token = full_course_with_offer(
        db, title="Tiny class", waiting_email="wanda@example.com"
    )
    page.goto(f"{live_server.url}/offers/{token}/decline")
    expect(page.get_by_role("heading", name="Decline the seat?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Decline the seat").click()
    expect(page.get_by_role("heading", name="You declined the seat")).to_be_visible()


def test_student_changes_their_details_through_the_emailed_link(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    course_id = make_course(db, title="Salsa")
    register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="maya@example.com", first_name="Maya", phone="555-0199"),
        actor=Actor.public("198.51.100.1"),
    )
    page.goto(live_server.url + "/profile/")
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    path = link_in(emails(db)[-1], "/profile/")
    page.goto(live_server.url + path)
    expect(page.get_by_label("Phone", exact=True)).to_have_value("555-0199")
    assert_accessible(page)
    page.get_by_label("Phone", exact=True).fill("555-0777")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("heading", name="Your details are saved")).to_be_visible()
