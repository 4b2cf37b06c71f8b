"""A list's filters in Chromium: one form, Apply sends only what is set and keeps the search
and the sort; on a phone the form folds behind a Filters button above the list."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page, expect

from domain.enums import PaymentStatus
from domain.model import StaffUser
from tests.admin.views_seed import add_course, add_student, register
from tests.e2e.conftest import LiveServer, sign_in


def _query(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def test_apply_sends_the_filters_set_and_keeps_search_and_sort(
    page: Page, live_server: LiveServer, staff_user: StaffUser
) -> None:
    salsa, tango = add_course(live_server.db, "Salsa"), add_course(live_server.db, "Tango")
    ada = add_student(live_server.db, "Ada", last_name="Lovelace")
    register(live_server.db, ada, salsa)
    register(live_server.db, ada, tango, payment_status=PaymentStatus.COMPLETED)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/registration/list?search=Ada&sortBy=amount_due&sort=desc")
    form = page.locator("#list-filters")
    form.get_by_label("Course").select_option(label="Salsa")
    form.get_by_label("Payment").select_option(label="Pending")
    expect(form.get_by_role("button")).to_have_count(1)
    form.get_by_role("button", name="Apply").click()
    page.wait_for_url("**course_id=*")
    assert _query(page) == {
        "search": "Ada",
        "sortBy": "amount_due",
        "sort": "desc",
        "course_id": str(salsa.id),
        "payment_status": "pending",
    }
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.locator("#filter-sidebar").get_by_role("link", name="Clear").click()
    page.wait_for_url("**sort=desc")
    assert _query(page) == {"search": "Ada", "sortBy": "amount_due", "sort": "desc"}
    expect(page.locator("table tbody tr")).to_have_count(2)


def test_on_a_phone_the_filters_fold_above_the_list(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser
) -> None:
    add_course(live_server.db, "Salsa")
    page = new_page(viewport={"width": 375, "height": 740})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/class-session/list")
    toggle = page.get_by_role("button", name="Filters")
    form = page.locator("#list-filters")
    expect(form).to_be_hidden()
    table = page.locator(".table-responsive").first.bounding_box()
    button = toggle.bounding_box()
    assert table and button and button["y"] + button["height"] < table["y"]
    toggle.click()
    expect(form.get_by_label("Course")).to_be_visible()
    expect(form.get_by_role("button", name="Apply")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    form.get_by_label("On or after").fill("2026-03-01")
    form.get_by_role("button", name="Apply").click()
    page.wait_for_url("**since=*")
    assert _query(page) == {"since": "2026-03-01"}
    expect(page.get_by_role("button", name="Filters (1 applied)")).to_be_visible()
