"""In Chromium: the sessions calendar fits a desktop and a phone, and opens the roll call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from domain.model import StaffUser
from tests.e2e.conftest import LiveServer, sign_in
from tests.integration.w_factories import add_course, add_registration, add_session, add_student


@pytest.mark.parametrize("width", [1280, 375])
def test_the_calendar_fits_the_screen_and_a_session_opens_its_roll_call(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser, width: int
) -> None:
    today = datetime.now(UTC).date()  # the organisation's zone is UTC by default
    course = add_course(
        live_server.db, title="Contemporary Technique With A Rather Long Title", capacity=20
    )
    session_id = add_session(live_server.db, course_id=course, day=today, start=time(18))
    add_session(live_server.db, course_id=course, day=today + timedelta(days=1), start=time(9))
    for n in range(2):
        add_registration(
            live_server.db, course_id=course, student_id=add_student(live_server.db, f"S{n}")
        )
    page = new_page(viewport={"width": width, "height": 800})
    sign_in(page, live_server)
    for url in ("/admin/calendar/", "/admin/calendar/month"):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        today_box = page.locator('[aria-current="date"]:visible')
        expect(today_box.first).to_contain_text("Today")
        expect(today_box.first).to_contain_text("2 booked")
        results = Axe().run(page, context=".page-body")
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not bad, f"accessibility violations on {url} at {width} px: {bad}"
    page.goto(live_server.url + "/admin/calendar/")
    page.locator(f'a[data-session-id="{session_id}"]').click()
    expect(page.get_by_role("heading", name="Roll call: Contemporary Technique")).to_be_visible()
