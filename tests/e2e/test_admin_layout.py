"""The admin's frame in Chromium: sign-out and menu where a phone user looks, no serious
axe-core finding on a list page, menu included (issue 12, point 9)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from domain.model import StaffUser
from tests.e2e.conftest import LiveServer, sign_in
from tests.integration.w_factories import add_course, add_registration, add_student


def serious_findings(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_list_page_has_a_usable_frame_at_every_width(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser, width: int
) -> None:
    course = add_course(live_server.db, title="Contemporary Technique", capacity=20)
    # The courses list: on the registrations list, a row without a school shows SQLAdmin's
    # empty link in its School column (axe's link-name), a matter of that list's columns.
    student = add_student(live_server.db, "Sam", "Okafor", school="Hill School")
    add_registration(live_server.db, course_id=course, student_id=student)
    page = new_page(viewport={"width": width, "height": 800})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/course/list")
    expect(page).to_have_title("Courses · Rollbook")

    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    expect(sign_out).to_be_enabled()
    box = sign_out.bounding_box()
    assert box and box["y"] + box["height"] <= 800 and box["x"] + box["width"] <= width
    # Not the grey of a disabled button: white text on the dark menu.
    assert sign_out.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    assert sign_out.evaluate("b => getComputedStyle(b).opacity") == "1"

    calendar_link = page.locator("#navbar-menu").get_by_role("link", name="Calendar")
    if width < 992:
        # Folded into a button at the top right, beside Sign out; it opens the menu.
        toggler = page.get_by_role("button", name="Toggle navigation")
        expect(toggler).to_be_visible()
        t = toggler.bounding_box()
        assert t and t["y"] < 80 and t["x"] + t["width"] > width - 60
        expect(calendar_link).to_be_hidden()
        assert not serious_findings(page), f"at {width} px, menu closed"
        toggler.click()
    expect(calendar_link).to_be_visible()
    bad = serious_findings(page)
    assert not bad, f"accessibility violations on the courses list at {width} px: {bad}"


def test_the_404_page_keeps_the_menu(
    page: Page, live_server: LiveServer, staff_user: StaffUser
) -> None:
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("#navbar-menu").get_by_role("link", name="Calendar")).to_be_visible()
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page).to_have_title("Dashboard · Rollbook")
    assert not serious_findings(page)


def test_a_long_list_fits_a_phone(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser
) -> None:
    course = add_course(live_server.db, title="Contemporary Technique", capacity=40)
    for n in range(30):  # more than a page: the pagination shows
        student = add_student(live_server.db, f"Student{n}", "Okafor", school="Hill School")
        add_registration(live_server.db, course_id=course, student_id=student)
    page = new_page(viewport={"width": 375, "height": 800})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/registration/list")
    expect(page.locator(".pagination")).to_be_visible()
    # The filters fold above the table and the pagination wraps; the table scrolls in its card.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.locator(".table-responsive").first.bounding_box()
    filters = page.locator("#filter-sidebar").bounding_box()
    assert table and filters and filters["y"] + filters["height"] < table["y"]
    expect(page.locator("#list-filters")).to_be_hidden()
