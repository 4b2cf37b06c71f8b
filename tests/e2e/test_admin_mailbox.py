"""In Chromium: a newcomer on the embedded default reads a booking's email in the
admin's mailbox and follows its cancel link from the rendered HTML."""

from __future__ import annotations

from collections.abc import Callable

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from domain.actors import Actor
from domain.outbox.worker import send_due_emails
from domain.services.registration import StudentDetails, register_student
from tests.e2e.conftest import LiveServer
from tests.public.browser import PHONE
from tests.public.factories import make_course


def test_the_cancel_link_of_a_delivered_email_opens_the_cancel_page(
    signed_in_page: Page,
    live_server: LiveServer,
    new_page: Callable[..., Page],
) -> None:
    assert live_server.config.uses_local_mailbox
    course_id = make_course(live_server.db, title="Salsa Beginners")
    register_student(
        live_server.db,
        course_id=course_id,
        student=StudentDetails(email="maya@example.org", first_name="Maya"),
        actor=Actor.public("198.51.100.7"),
    )
    assert send_due_emails(live_server.db, live_server.config) == 1

    page = signed_in_page
    page.get_by_role("link", name="Mailbox").click()
    page.wait_for_load_state()
    _assert_accessible_content(page)
    page.get_by_role("link", name="Registration received: Salsa Beginners").click()
    page.wait_for_load_state()
    _assert_accessible_content(page)
    frame = page.frame_locator("iframe[title='The email as HTML']")
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name="Cancel your registration").click()
    cancel_page = opened.value
    cancel_page.wait_for_load_state()
    assert cancel_page.url.startswith(f"{live_server.url}/registrations/cancel/")
    assert cancel_page.get_by_role("heading", name="Cancel your registration?").is_visible()

    phone = new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the message is {width}px wide on a phone"


def _assert_accessible_content(page: Page) -> None:
    # The page body only: SQLAdmin's own menu and sign-out button are not ours to fix here.
    results = Axe().run(page, context=".page-body")
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"accessibility violations on {page.url}: {bad}"
