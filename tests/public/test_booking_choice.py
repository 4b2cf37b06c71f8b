"""The booking form: what to book, which class, and what it costs, before booking."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.enums import DifficultyLevel, PricingType
from domain.model import ClassSession, Course, CourseSlot, Price, Registration
from domain.rules.pricing import SlotPrice, amount_due
from domain.services.sessions import generate_sessions
from tests.public.factories import STAFF, make_course, register_via_site

_LINE = re.compile(
    r'class="amount-due-line[^"]*" data-pricing="([a-z_]+)" data-session="(\d*)">'
    r"Amount due: <strong>([^<]+)</strong>"
)


def _two_slot_course(db: Database) -> int:
    """A course of two weekly slots: drop-ins at $22.00 (Tuesday) and $30.00 (Thursday)."""
    course_id = make_course(db, title="Salsa", package_price=Decimal("70.00"))
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        course.slots[0].prices.append(Price(pricing_type=PricingType.DROP_IN, amount=22))
        slot = CourseSlot(
            name="Weekend practice",
            difficulty_level=DifficultyLevel.BEGINNER,
            day_of_week=(course.starts_at.weekday() + 2) % 7,
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


def _rule_prices(db: Database, course_id: int) -> tuple[list[SlotPrice], dict[int, int]]:
    """The course's prices as the price rule takes them, and each class's slot."""
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None
        prices = [
            SlotPrice(slot.id or 0, price.pricing_type, price.amount)
            for slot in course.slots
            for price in slot.prices
        ]
        classes = session.execute(
            select(ClassSession.id, ClassSession.slot_id).where(ClassSession.course_id == course_id)
        )
        return prices, {session_id: slot_id for session_id, slot_id in classes}


def test_every_choice_shows_the_amount_the_price_rule_gives_it(
    client: TestClient, db: Database
) -> None:
    course_id = _two_slot_course(db)
    page = client.get(f"/courses/{course_id}").text
    shown = {(pricing, session): amount for pricing, session, amount in _LINE.findall(page)}

    prices, slot_of = _rule_prices(db, course_id)
    package = amount_due(prices, pricing_type=PricingType.FULL_PACKAGE)
    assert package == Decimal("120.00")
    assert shown.pop(("full_package", "")) == "$120.00"
    # Before a class is chosen, a drop-in says its range; then each class its own price.
    assert shown.pop(("drop_in", "")) == "from $22.00, as shown next to the class you choose"
    assert len(shown) == len(slot_of) > 4
    for session_id, slot_id in slot_of.items():
        price = amount_due(prices, pricing_type=PricingType.DROP_IN, drop_in_slot_id=slot_id)
        assert shown[("drop_in", str(session_id))] == f"${price}"
    assert {shown[key] for key in shown} == {"$22.00", "$30.00"}
    assert "shown on the next page with how to pay" not in page


def test_the_booking_charges_the_amount_the_form_showed_for_the_class(
    client: TestClient, db: Database
) -> None:
    course_id = _two_slot_course(db)
    page = client.get(f"/courses/{course_id}").text
    shown = {session: amount for pricing, session, amount in _LINE.findall(page) if session}
    session_id, amount = next((s, a) for s, a in shown.items() if a == "$30.00")

    response = register_via_site(
        client, course_id, pricing_type="drop_in", drop_in_session=session_id, amount_due="1"
    )

    assert response.status_code == 303
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert f"${registration.amount_due}" == amount == "$30.00"


def test_drop_downs_are_native_selects_with_their_arrow(client: TestClient, db: Database) -> None:
    course_id = make_course(db, drop_in_price=Decimal("22.00"), sessions=True)
    course_page = client.get(f"/courses/{course_id}").text
    assert re.search(r'<select [^>]*class="form-select" id="drop_in_session"', course_page)
    signup = client.get("/signup/").text
    assert re.search(r'<select [^>]*class="form-select" id="course"', signup)
    assert "form-control" not in re.findall(r"<select [^>]*>", course_page + signup)[0]


def test_no_class_is_chosen_until_the_visitor_chooses_one(client: TestClient, db: Database) -> None:
    course_id = make_course(db, drop_in_price=Decimal("22.00"), sessions=True)
    page = client.get(f"/courses/{course_id}").text
    select_html = page[page.index('class="form-select" id="drop_in_session"') :]
    select_html = select_html[: select_html.index("</select>")]
    assert re.search(
        r'^[^>]*><option selected value="">Choose a class</option><optgroup', select_html
    )
    assert select_html.count("selected") == 1
    # The full course is the choice made; the class question sits apart, asked for drop-ins.
    assert re.search(r'checked[^>]*value="full_package"|value="full_package"[^>]*checked', page)
    assert '<div class="drop-in-choice">' in page
    # Each class reads day, time and price, short enough for a phone; the year heads its month.
    assert re.search(r'<optgroup label="[A-Z][a-z]+ \d{4}"><option value="\d+">', select_html)
    options = re.findall(r'<option value="\d+">([^<]+)</option>', select_html)
    label = re.compile(r"\w{3} \d{1,2} \w{3}, 18:00 · \$22\.00")
    assert options and all(label.fullmatch(option) for option in options)
    # The seats left in a class are said with its amount.
    assert "(10 seats left in this class)" in page


def test_a_full_course_booking_ignores_a_class_sent_with_it(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, drop_in_price=Decimal("22.00"), sessions=True)
    with db.read() as session:
        session_id = session.scalars(select(ClassSession.id)).first()

    response = register_via_site(
        client, course_id, pricing_type="full_package", drop_in_session=str(session_id)
    )

    assert response.status_code == 303
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.drop_in_session_id is None
        assert registration.amount_due == Decimal("120.00")


def test_a_drop_in_without_a_class_asks_for_one(client: TestClient, db: Database) -> None:
    course_id = make_course(db, drop_in_price=Decimal("22.00"), sessions=True)

    response = register_via_site(client, course_id, pricing_type="drop_in", drop_in_session="")

    assert response.status_code == 400
    assert "Please choose the class you want to drop in to." in response.text
    assert re.search(r'checked[^>]*value="drop_in"|value="drop_in"[^>]*checked', response.text)
    with db.read() as session:
        assert session.scalars(select(Registration)).first() is None


def test_a_drop_in_only_course_asks_for_the_class_and_shows_its_price(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, package_price=None, drop_in_price=Decimal("18.50"), sessions=True)
    page = client.get(f"/courses/{course_id}").text
    assert '<input type="hidden" name="pricing_type" value="drop_in">' in page
    lines = _LINE.findall(page)
    assert ("drop_in", "", "$18.50") in lines
    assert all(amount == "$18.50" for _, _, amount in lines)
