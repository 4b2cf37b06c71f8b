"""Browser: a visitor on a phone narrows the catalogue and books from a card; the
catalogue, course and school sign-up pages fit a phone and pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.enums import CourseKind
from domain.model import Registration
from tests.e2e.conftest import LiveServer
from tests.public.browser import PHONE, assert_accessible, assert_fits_phone
from tests.public.factories import make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_visitor_on_a_phone_filters_the_catalogue_and_books_from_a_card(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    db = live_server.db
    salsa = make_course(db, title="Salsa Beginners", drop_in_price=Decimal("22.00"), sessions=True)
    make_course(db, title="Teacher workshop", kind=CourseKind.WORKSHOP, school_signup=True)
    for n in range(5):
        make_course(db, title=f"Bachata {n}", starts_in=timedelta(days=10 + n))
    phone = new_page(viewport=PHONE)
    phone.goto(live_server.url + "/")
    expect(phone.locator(".course-card")).to_have_count(7)
    # Seven compact cards: far shorter than the 3,900 px the old list took.
    assert phone.evaluate("document.documentElement.scrollHeight") < 2200
    _fits(phone)
    assert_accessible(phone)

    phone.get_by_label("Kind").select_option(label="Series")
    phone.get_by_label("Search").fill("salsa")
    phone.get_by_role("button", name="Show courses").click()
    expect(phone.locator(".course-card")).to_have_count(1)
    expect(phone.get_by_label("Kind")).to_have_value("series")
    expect(phone.get_by_label("Search")).to_have_value("salsa")
    card = phone.locator(".course-card")
    expect(card).to_contain_text("from $22.00")
    expect(card).to_contain_text("10 seats left")
    _fits(phone)
    assert_accessible(phone)

    card.get_by_role("link", name="Book").click()
    phone.wait_for_url(f"{live_server.url}/courses/{salsa}#book")
    expect(phone.get_by_role("heading", name="Schedule")).to_be_visible()
    _fits(phone)
    assert_accessible(phone)
    phone.get_by_label("Email").fill("maya@example.com")
    phone.get_by_label("First name").fill("Maya")
    phone.get_by_label("The full course ($120.00)").check()
    phone.get_by_role("button", name="Book my place").click()
    expect(phone.get_by_role("heading", name="Your registration")).to_be_visible()
    with db.read() as session:
        booked = session.scalars(select(Registration)).one()
        assert booked.course_id == salsa


def test_nothing_matching_says_so_with_a_way_back(
    live_server: LiveServer, page: Page, new_page: Callable[..., Page]
) -> None:
    make_course(live_server.db, title="Salsa Beginners")
    page.goto(live_server.url + "/?q=flamenco")
    expect(page.get_by_role("heading", name="No courses match")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(new_page, live_server.url + "/?q=flamenco")
    page.get_by_role("link", name="show all courses").click()
    expect(page.locator(".course-card")).to_have_count(1)


def test_the_new_school_fields_show_only_for_a_school_not_listed_without_javascript(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    make_course(live_server.db, title="Teacher workshop", school_signup=True)
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(live_server.url + "/signup/")
    expect(page.get_by_label("Course")).to_have_value("")
    expect(page.get_by_label("Contact email")).to_be_hidden()
    page.get_by_label("My school is not listed").check()
    expect(page.get_by_label("Contact email")).to_be_visible()


def test_the_success_page_names_the_course_and_participants_and_fits_a_phone(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    make_course(live_server.db, title="Teacher workshop", school_signup=True, package_price=None)
    page = new_page(viewport=PHONE)
    page.goto(live_server.url + "/signup/")
    page.get_by_label("Course").select_option(index=1)
    page.get_by_label("My school is not listed").check()
    page.get_by_label("School name").fill("Lincoln High")
    page.get_by_label("School location").fill("Springfield")
    page.get_by_label("Contact name").fill("Pat Principal")
    page.get_by_label("Contact email").fill("pat@lincoln.example")
    page.get_by_label("Participant name").nth(0).fill("Ada Teacher")
    page.get_by_label("Participant name").nth(1).fill("Bob Coach")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(live_server.url + "/signup/success/")
    expect(page.locator("main")).to_contain_text("Teacher workshop")
    expect(page.locator(".signed-up li")).to_have_text(["Ada Teacher", "Bob Coach"])
    _fits(page)
    assert_accessible(page)
