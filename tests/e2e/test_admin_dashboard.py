"""In Chromium: the dashboard's charts draw inside the admin's CSP, fit a phone,
and pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page

from domain.clock import utcnow
from domain.enums import PaymentStatus
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.e2e.conftest import LiveServer
from tests.public.browser import PHONE


def test_the_dashboard_draws_its_charts_on_a_desktop_and_a_phone(
    signed_in_page: Page, live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    db = live_server.db
    course = add_course(db, "Salsa Nights", starts_at=utcnow() + timedelta(days=4), capacity=6)
    for n in range(3):
        add_registration(
            db,
            student_id=add_student(db, f"Sam{n}", "Known"),
            course_id=course,
            amount=Decimal("1250.00"),
            status=PaymentStatus.COMPLETED,
        )
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        # A CSP refusal (inline style, outside host) is reported on the console.
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    for page in (signed_in_page, new_page(viewport=PHONE)):
        if page is not signed_in_page:
            page.context.add_cookies(signed_in_page.context.cookies())
        page.on("console", watch)
        page.goto(f"{live_server.url}/admin/")
        page.wait_for_load_state()
        for title in (
            "Sign-ups per week",
            "Revenue confirmed per month",
            "Fill rate of the next courses",
            "Attendance rate per week",
        ):
            assert page.get_by_role("img", name=title).is_visible(), title
        width = page.evaluate("document.documentElement.scrollWidth")
        window = page.evaluate("window.innerWidth")
        assert width <= window, f"the dashboard is {width}px wide in a {window}px window"
        figure = page.locator('[data-figure="revenue-confirmed"]')
        box = figure.bounding_box()
        assert figure.inner_text() == "$3,750.00"
        assert box and box["height"] < 50, "the revenue figure wraps"
        results = Axe().run(page, context=".page-body")
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not bad, bad
    assert not refused, refused
