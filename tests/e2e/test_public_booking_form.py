"""Browser: on a phone, the booking form asks for a class only for a drop-in, shows what the
choice costs, and the payment page says how long the seat is held — with and without
JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from domain.db.database import Database
from domain.enums import DifficultyLevel, PricingType
from domain.model import Course, CourseSlot, Price
from domain.services.sessions import generate_sessions
from domain.services.settings import update_setting
from tests.e2e.conftest import LiveServer
from tests.public.browser import PHONE, assert_accessible
from tests.public.factories import STAFF, make_course, set_payment_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]

#: Whether each option of a select, once chosen, fits the box beside the arrow.
_OPTIONS_FIT = """select => {
  const style = getComputedStyle(select);
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  return [...select.options].map(o => [o.text, Math.ceil(context.measureText(o.text).width), room]);
}"""


def _course(db: Database) -> int:
    """A package of $120.00, drop-ins at $22.00 (weekday class) and $30.00 (weekend one)."""
    course_id = make_course(db, title="Contemporary Technique", package_price=Decimal("70.00"))
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        course.slots[0].prices.append(Price(pricing_type=PricingType.DROP_IN, amount=22))
        slot = CourseSlot(
            name="Weekend practice",
            difficulty_level=DifficultyLevel.BEGINNER,
            day_of_week=(course.starts_at.weekday() + 3) % 7,
            start_time=time(10, 0),
            end_time=time(11, 0),
            location="Studio B",
        )
        slot.prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=50))
        slot.prices.append(Price(pricing_type=PricingType.DROP_IN, amount=30))
        course.slots.append(slot)
        session.commit()
    generate_sessions(db, course_id=course_id, actor=STAFF)
    return course_id


def _amount(page: Page) -> str:
    shown = page.locator(".amount-due-line:visible")
    expect(shown).to_have_count(1)
    return shown.inner_text()


def _choose_the_weekend_class(page: Page) -> None:
    select = page.get_by_label("Which class?")
    label = next(t for t in select.locator("option").all_inner_texts() if "$30.00" in t)
    select.select_option(label=label)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_class_is_asked_for_a_drop_in_only_and_the_amount_follows_the_choice(
    live_server: LiveServer, new_page: Callable[..., Page], javascript: bool
) -> None:
    course_id = _course(live_server.db)
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/courses/{course_id}")

    class_choice = page.get_by_label("Which class?")
    expect(page.get_by_label("The full course ($120.00)")).to_be_checked()
    expect(class_choice).to_be_hidden()
    assert _amount(page) == "Amount due: $120.00"

    page.get_by_label("One class (drop-in)").check()
    expect(class_choice).to_be_visible()
    expect(class_choice).to_have_value("")
    assert _amount(page) == "Amount due: from $22.00, as shown next to the class you choose"
    _choose_the_weekend_class(page)
    expected = "Amount due: $30.00" if javascript else "Amount due: from $22.00"
    assert _amount(page).startswith(expected)

    page.get_by_label("The full course ($120.00)").check()
    expect(class_choice).to_be_hidden()
    assert _amount(page) == "Amount due: $120.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_class_drop_down_is_a_native_select_whose_text_is_never_cut_on_a_phone(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    course_id = _course(live_server.db)
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.get_by_label("One class (drop-in)").check()
    select = page.get_by_label("Which class?")
    arrow = select.evaluate("s => getComputedStyle(s).backgroundImage")
    assert "url(" in arrow, "the select draws no arrow"
    options = select.evaluate(_OPTIONS_FIT)
    assert len(options) > 4
    cut = [(text, width, room) for text, width, room in options if width > room]
    assert not cut, f"cut on a 375-px phone: {cut}"
    assert_accessible(page)


def test_the_payment_page_says_until_when_the_seat_is_held_and_keeps_dates_whole(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    db = live_server.db
    set_payment_settings(db)
    update_setting(db, "contact_email", "hello@studio.example", actor=STAFF)
    update_setting(db, "postal_address", "12 Pier Road, Springfield", actor=STAFF)
    course_id = _course(db)
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("First name").fill("Maya")
    page.get_by_role("button", name="Book my place").click()

    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    expect(page.locator(".hold-until")).to_contain_text("We hold your seat until ")
    # Every piece of the reference (a date such as "3 Dec 2026" among them) sits on one line.
    lines_per_word = page.locator(".payment-note .nowrap").evaluate_all(
        "words => words.map(w => [w.textContent, w.getClientRects().length])"
    )
    assert any(re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", text) for text, _ in lines_per_word)
    assert all(lines == 1 for _, lines in lines_per_word), lines_per_word
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="hello@studio.example")).to_be_visible()
    expect(footer).to_contain_text("12 Pier Road, Springfield")
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
    assert icon == 200
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
    assert_accessible(page)
