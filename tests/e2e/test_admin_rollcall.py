"""In Chromium: sign in, the dashboard, roll call on a phone-sized screen, the sign-in sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.db.tables import attendance
from domain.model import StaffUser
from tests.admin.a3_factories import add_registration, add_session, add_student, roll_call_class
from tests.e2e.conftest import LiveServer, sign_in

PHONE = {"width": 375, "height": 640}


def _marks(live_server: LiveServer, session_id: int) -> dict[int, tuple[str, int | None]]:
    a = attendance.c
    with live_server.db.read() as s:
        rows = s.execute(
            select(a.registration_id, a.status, a.marked_by_id).where(a.session_id == session_id)
        )
        return {rid: (status, by) for rid, status, by in rows}


def test_staff_sign_in_and_land_on_the_dashboard(
    page: Page, live_server: LiveServer, staff_user: StaffUser
) -> None:
    sign_in(page, live_server)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    # A programme without schools sees its seats taken rather than a schools count.
    expect(page.locator('[data-figure="participants-trained"]')).to_have_text("0")
    expect(page.get_by_role("heading", name="Next courses", exact=True)).to_be_visible()


@pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True)
def test_roll_call_on_a_phone_saves_each_tap_without_reloading(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser
) -> None:
    klass = roll_call_class(live_server.db)
    # Enough students that the page scrolls on a phone.
    extra = [
        add_registration(
            live_server.db,
            student_id=add_student(live_server.db, f"Pupil{n}", "Long-Surname-Example"),
            course_id=klass.course_id,
        )
        for n in range(12)
    ]
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/sessions/{klass.session_id}/rollcall/")
    expect(page.get_by_role("heading", name="Elm High")).to_be_visible()
    page.evaluate("window.__rollcallMarker = 'still here'")

    row = page.locator(f"#student-{klass.ann}")
    row.get_by_role("button", name="Present").click()
    expect(row.get_by_role("button", name="Present")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('[data-count="present"]')).to_have_text("1")
    expect(page.locator('[data-count="unmarked"]')).to_have_text("14")

    last = page.locator(f"#student-{extra[-1]}")
    last.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    last.get_by_role("button", name="Late").click()
    expect(page.locator('[data-count="late"]')).to_have_text("1")
    assert page.evaluate("window.scrollY") == scrolled
    assert page.evaluate("window.__rollcallMarker") == "still here"

    page.get_by_role("button", name="Mark all present").click()
    expect(page.locator('[data-count="unmarked"]')).to_have_text("0")
    expect(page.locator('[data-count="present"]')).to_have_text("14")
    expect(
        page.locator(f"#student-{klass.cy}").get_by_role("button", name="Present")
    ).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__rollcallMarker") == "still here"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the roll call is {overflow}px wider than the phone"
    for button in row.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44

    marks = _marks(live_server, klass.session_id)
    assert marks[klass.ann] == ("present", staff_user.id)
    assert marks[extra[-1]] == ("late", staff_user.id)
    assert len(marks) == 15 and all(by == staff_user.id for _, by in marks.values())


def _serious_violations(page: Page, context: str) -> list[str]:
    results = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_front_desk_chooses_today_on_a_phone_and_prints_the_sign_in_sheet(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser
) -> None:
    klass = roll_call_class(live_server.db)
    add_session(live_server.db, klass.course_id, date.today() + timedelta(days=7))
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/courses/{klass.course_id}/rollcall/")
    today = page.locator(f'[data-session="{klass.session_id}"]')
    expect(today.locator("[data-today]")).to_have_text("Today")
    expect(today.locator("[data-marks]")).to_have_text("0 of 3 marked")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not _serious_violations(page, ".page-body")

    page.get_by_role("link", name="Take today's roll call").click()
    expect(page.get_by_role("link", name="Next →")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not _serious_violations(page, ".page-body")
    page.get_by_role("link", name="Sign-in sheet").click()
    expect(page.get_by_role("columnheader", name="Signature")).to_be_visible()
    assert not _serious_violations(page, "body")

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    names = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["Bob Ray", "Ann Lee", "Cy Dee"]
    signatures = page.locator("td[data-signature]").all_inner_texts()
    assert signatures == ["", "", ""]
    assert page.pdf(format="A4")[:4] == b"%PDF"
