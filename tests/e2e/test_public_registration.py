"""Browser: a student finds a course, registers, and sees how to pay."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.public.browser import (
    assert_accessible,
    assert_fits_phone,
    assert_no_foreign_assets,
)
from tests.public.factories import make_course, set_payment_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def test_student_registers_and_sees_the_payment_instructions(
    live_server: LiveServer, page: Page, new_page: Callable[..., Page]
) -> None:
    db = live_server.db
    set_payment_settings(db)
    course_id = make_course(db, title="Salsa Beginners", package_price=Decimal("120.00"))
    page.goto(live_server.url + "/")
    assert_accessible(page)
    assert_no_foreign_assets(page, live_server.url)
    expect(page.get_by_role("heading", name="Courses", exact=True)).to_be_visible()
    expect(page.get_by_text("10 seats left")).to_be_visible()
    page.get_by_role("link", name="Salsa Beginners", exact=True).click()
    expect(page.get_by_role("heading", name="Book a place")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Phone", exact=True).fill("555-0199")
    page.get_by_role("button", name="Book my place").click()

    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    expect(page.locator(".amount-due")).to_have_text("$120.00")
    venmo_app = page.get_by_role("link", name="Pay with the Venmo app").get_attribute("href")
    assert venmo_app and venmo_app.startswith("venmo://paycharge?") and "amount=120.00" in venmo_app
    venmo_web = page.get_by_role("link", name="Pay with Venmo on the web").get_attribute("href")
    assert venmo_web and venmo_web.startswith("https://venmo.com/rollbook-studio?")
    expect(page.locator(".zelle")).to_contain_text("Rollbook Studio LLC")
    expect(page.locator(".zelle")).to_contain_text("555-0100")
    expect(page.locator(".payment-note")).to_contain_text("Salsa Beginners")
    assert_accessible(page)
    assert_fits_phone(new_page, page.url)
    assert_fits_phone(new_page, f"{live_server.url}/courses/{course_id}")
    assert_fits_phone(new_page, live_server.url + "/")


def test_errors_stand_next_to_their_fields_and_keep_what_was_typed(
    live_server: LiveServer, page: Page
) -> None:
    course_id = make_course(live_server.db, title="Bachata")
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.get_by_label("Email").fill("maya@example")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("button", name="Book my place").click()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#first_name-error")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Lopez")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_booking_works_with_the_keyboard_alone(live_server: LiveServer, page: Page) -> None:
    course_id = make_course(live_server.db, title="Tango", package_price=None)
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email").focus()
    page.keyboard.type("kai@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="ask for a link by email")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("First name")).to_be_focused()
    page.keyboard.type("Kai")
    page.get_by_role("button", name="Book my place").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    expect(page.locator(".registration-status")).to_contain_text("nothing to pay")
