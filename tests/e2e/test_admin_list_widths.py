"""Every entity list fits its card at 1280 px and the phone at 375 px (issue 12, point 1)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from admin_site.views import ALL_VIEWS
from domain.model import StaffUser
from tests.admin.views_seed import (
    add_contact,
    add_course,
    add_school,
    add_student,
    add_waitlist,
    mark,
    register,
)
from tests.e2e.conftest import LiveServer, sign_in


def _seed(live_server: LiveServer) -> None:
    db = live_server.db
    school = add_school(
        db,
        "Springfield Conservatory of Music and Dance",
        location="North Campus, Building 4",
        contact_name="Maria Fernanda Lopez-Hernandez",
        contact_email="maria.fernanda.lopez@springfield-conservatory.example.org",
    )
    course = add_course(
        db,
        "Contemporary Technique and Improvisation for Intermediate Dancers",
        location="Studio B, Second Floor",
        instructor="Alexandra Konstantinopoulou",
        capacity=24,
    )
    student = add_student(
        db,
        "Maximiliana",
        last_name="Featherstonehaugh",
        email="maximiliana.featherstonehaugh@student.example.org",
        school_id=school.id,
    )
    registration = register(db, student, course, school=school)
    mark(db, registration)
    add_contact(db, school, "Called about the spring term; will send the poster.")
    add_waitlist(db, add_student(db, "Bartholomew", last_name="Okafor"), course, 1)


def test_every_list_fits_its_card_at_1280_and_the_phone_at_375(
    new_page: Callable[..., Page], live_server: LiveServer, staff_user: StaffUser
) -> None:
    _seed(live_server)
    for width in (1280, 375):
        page = new_page(viewport={"width": width, "height": 800})
        sign_in(page, live_server)
        for view in ALL_VIEWS:
            page.goto(f"{live_server.url}/admin/{view.identity}/list")
            table = page.locator(".table-responsive").first
            if width == 1280:
                scroll, client = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
                assert scroll <= client, f"{view.identity}: table {scroll} px in a {client} px card"
            page_width = page.evaluate("document.documentElement.scrollWidth")
            assert page_width <= width, f"{view.identity} at {width} px: page {page_width} px"
