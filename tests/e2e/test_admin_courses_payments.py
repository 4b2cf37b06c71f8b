"""In Chromium: create a course with a slot and a price, then confirm a payment."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.db.tables import course_slots, courses, prices
from domain.enums import PaymentStatus
from domain.model import StaffUser
from tests.admin.a3_factories import add_course, add_registration, add_student, registration
from tests.e2e.conftest import LiveServer


def _pick(page: Page, field_id: str, search: str, option: str) -> None:
    """Choose in a search-as-you-type picker (select2 over SQLAdmin's ajax lookup)."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_create_a_course_with_a_slot_and_a_price(
    signed_in_page: Page, live_server: LiveServer
) -> None:
    page, base = signed_in_page, live_server.url
    page.goto(f"{base}/admin/course/create")
    page.locator("#title").fill("Salsa Nights")
    page.locator("#kind").select_option("series")
    page.locator("#starts_at").fill("2030-05-06 18:00:00")
    page.keyboard.press("Escape")
    page.locator("#ends_at").fill("2030-06-24 20:00:00")
    page.keyboard.press("Escape")
    page.locator("#capacity").fill("12")
    page.locator("input[type=submit][value='Save']").click()
    expect(page.get_by_text("Salsa Nights").first).to_be_visible()

    page.goto(f"{base}/admin/course-slot/create")
    _pick(page, "course", "Salsa", "Salsa Nights")
    page.locator("#name").fill("Monday evenings")
    page.locator("#day_of_week").fill("0")
    page.locator("#start_time").fill("18:00")
    page.locator("#end_time").fill("19:30")
    page.locator("input[type=submit][value='Save']").click()
    expect(page.get_by_text("Monday evenings").first).to_be_visible()

    page.goto(f"{base}/admin/price/create")
    _pick(page, "slot", "Monday", "Monday evenings")
    page.locator("#pricing_type").select_option("full_package")
    page.locator("#amount").fill("120")
    page.locator("input[type=submit][value='Save']").click()
    expect(page.locator("text=120").first).to_be_visible()

    c, s, p = courses.c, course_slots.c, prices.c
    with live_server.db.read() as session:
        rows = session.execute(
            select(c.title, c.capacity, s.name, s.day_of_week, p.pricing_type, p.amount)
            .join(course_slots, s.course_id == c.id)
            .join(prices, p.slot_id == s.id)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("Salsa Nights", 12, "Monday evenings", 0, "full_package", Decimal("120.00"))
    ]


def test_confirm_a_payment_from_the_registration_page(
    signed_in_page: Page, live_server: LiveServer, staff_user: StaffUser
) -> None:
    db = live_server.db
    course = add_course(db, "Bachata Series", price=Decimal("80.00"))
    student = add_student(db, "Ann", "Lee")
    pk = add_registration(
        db, student_id=student, course_id=course, amount=Decimal("80.00"), status="pending"
    )
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/registration/details/{pk}")
    page.get_by_role("link", name="Confirm payment").click()
    expect(page.get_by_role("heading", name="Confirm payment")).to_be_visible()
    page.get_by_label("Payment method").select_option("zelle")
    page.get_by_label("Payment reference").fill("ZL-2201")
    page.get_by_label("The money has arrived.").check()
    page.get_by_role("button", name="Confirm payment").click()
    expect(page.locator("#action-message")).to_have_text(
        f"Payment for registration #{pk} confirmed."
    )
    stored = registration(db, pk)
    assert stored.payment_status == PaymentStatus.COMPLETED
    assert (stored.payment_method, stored.payment_reference) == ("zelle", "ZL-2201")
    assert stored.payment_confirmed_by_id == staff_user.id


def test_confirm_the_payments_chosen_on_the_registration_list(
    signed_in_page: Page, live_server: LiveServer
) -> None:
    db = live_server.db
    course = add_course(db, "Bachata Series", price=Decimal("80.00"))
    pks = [
        add_registration(
            db,
            student_id=add_student(db, first, "Lee"),
            course_id=course,
            amount=Decimal("80.00"),
            status="pending",
        )
        for first in ("Ann", "Bea")
    ]
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/registration/list")
    for pk in pks:
        page.locator(f"tr:has(a[href$='/registration/details/{pk}']) input.select-box").check()
    page.get_by_role("button", name="Actions").click()
    page.locator("#action-custom-confirm-payments").click()
    expect(page.get_by_role("heading", name="Confirm payments")).to_be_visible()
    for n, pk in enumerate(pks):
        page.locator(f"#field-method-{pk}").select_option("cash")
        page.locator(f"#field-reference-{pk}").fill(f"R-{n + 1}")
    page.get_by_label("The money for each of these registrations has arrived.").check()
    page.get_by_role("button", name="Confirm payments").click()
    expect(page.locator("#action-message")).to_have_text("Payment confirmed for 2 registrations.")
    assert [registration(db, pk).payment_reference for pk in pks] == ["R-1", "R-2"]
