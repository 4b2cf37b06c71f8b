"""In Chromium: a detail page's bar of actions wraps on a phone, nothing cut off, and its
Delete asks first, naming the row (issue 12, point 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from domain.model import StaffUser
from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.test_admin_layout import serious_findings
from tests.integration.w_factories import add_course


@pytest.mark.parametrize("width", [1280, 375])
def test_the_bar_of_actions_fits_the_window_and_delete_asks_first(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser, width: int
) -> None:
    course = add_course(live_server.db, title="Contemporary Technique", capacity=20)
    page = new_page(viewport={"width": width, "height": 800})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/course/details/{course}")
    bar = page.locator("nav.detail-actions")
    expect(bar.get_by_role("link", name="Register a student")).to_be_visible()
    # No page wider than the window; every button of the bar inside it, whole.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for handle in bar.locator("a.btn, button.btn").all():
        box = handle.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            handle.inner_text()
        )
    assert serious_findings(page) == []
    # The exports fold into one menu.
    bar.get_by_role("button", name="Export to Excel").click()
    expect(bar.get_by_role("link", name="Export registrations to Excel")).to_be_visible()
    page.keyboard.press("Escape")
    # Delete asks first, naming the course, and nothing is deleted until confirmed.
    bar.get_by_role("link", name="Delete").click()
    expect(page.locator("#modal-delete-text")).to_have_text(
        "This will permanently delete course Contemporary Technique?"
    )
    page.locator("#modal-delete").get_by_role("link", name="Cancel").click()
    page.reload()
    expect(page.get_by_role("heading", name="Contemporary Technique")).to_be_visible()
