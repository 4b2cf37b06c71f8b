"""Browser: on a phone, a student signs in by the emailed link and cancels one of two bookings."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.model import Registration
from tests.e2e.conftest import LiveServer
from tests.public.browser import PHONE, assert_accessible, deliver_emails, link_path, message_to
from tests.public.factories import set_payment_settings
from tests.public.my_bookings_seed import two_students
from tests.smtp_fixtures import SmtpServer, smtp_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def _sign_in_email(live_server: LiveServer, smtp: SmtpServer, data_dir: Path) -> EmailMessage:
    # The link is looked up and queued after the answer went out: wait for it.
    deadline = time.monotonic() + 10
    while True:
        deliver_emails(live_server.db, smtp, data_dir)
        if any("maya@example.com" in str(m["To"]) for m in smtp.messages):
            return message_to(smtp, "maya@example.com", "Your bookings")
        assert time.monotonic() < deadline, "no sign-in email arrived"
        time.sleep(0.1)


def test_student_signs_in_by_link_and_cancels_one_of_two_bookings_on_a_phone(
    live_server: LiveServer,
    new_page: Callable[..., Page],
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = live_server.db
    set_payment_settings(db)
    maya_salsa, maya_tango, bo_salsa = two_students(db)
    deliver_emails(db, smtp_server, tmp_path)  # the booking confirmations
    smtp_server.messages.clear()
    page = new_page(viewport=PHONE)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="My bookings").click()
    expect(page.get_by_role("heading", name="My bookings")).to_be_visible()
    assert_accessible(page)
    _fits(page)
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = link_path(
        _sign_in_email(live_server, smtp_server, tmp_path), r"/my-bookings/sign-in/\S+"
    )
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_role("button", name="Continue to my bookings").click()
    expect(page.get_by_text("Signed in as")).to_contain_text("Maya Lopez")
    bookings = page.locator(".my-booking")
    expect(bookings).to_have_count(2)
    expect(bookings.first).to_contain_text("Salsa Beginners")
    expect(bookings.first).to_contain_text("Pending")
    expect(bookings.first.locator(".payment-note")).to_contain_text(f"#{maya_salsa}")
    expect(page.locator(".my-sessions li")).to_have_count(4)
    assert_accessible(page)
    _fits(page)
    page.screenshot(path=str(tmp_path / "my-bookings-phone.png"), full_page=True)

    page.get_by_role("link", name="Cancel this booking (Salsa Beginners)").click()
    expect(page.get_by_role("heading", name="Cancel this booking?")).to_be_visible()
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Yes, cancel this booking").click()

    expect(page.get_by_role("status")).to_have_text(
        "Your booking is cancelled. We have emailed you a confirmation."
    )
    expect(bookings).to_have_count(1)
    expect(bookings.first).to_contain_text("Tango Nights")
    expect(page.locator(".my-earlier")).to_contain_text("Salsa Beginners")
    expect(page.locator(".my-earlier")).to_contain_text("Cancelled")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Change my details").click()
    expect(page.get_by_label("Last name")).to_have_value("Lopez")
    assert_accessible(page)
    _fits(page)
    with db.read() as session:
        rows = session.scalars(select(Registration)).all()
        cancelled = {r.id: r.cancelled_at is not None for r in rows}
    assert cancelled == {maya_salsa: True, maya_tango: False, bo_salsa: False}
