"""Every public page is well formed: each tag opened is closed by its own end tag, in order."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from domain.db import tables as t
from domain.db.database import Database
from domain.services.settings import update_setting
from tests.public import my_bookings_seed as my_bookings
from tests.public import my_school_setup as my_school
from tests.public.factories import (
    STAFF,
    csrf_token,
    emails,
    full_course_with_offer,
    link_in,
    make_course,
    post,
    register_via_site,
    set_payment_settings,
    student_form,
)
from tests.public.html_check import markup_problems


def _heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def _every_page(client: TestClient, db: Database) -> dict[str, str]:
    """The text of every kind of public page, by a name saying which page it is."""
    set_payment_settings(db)
    pages: dict[str, str] = {"empty catalogue": client.get("/").text}
    course_id = make_course(db, title="Salsa", drop_in_price=Decimal("22.00"), sessions=True)
    full_id, offer_token = full_course_with_offer(db, title="Tango")
    pages["catalogue"] = client.get("/").text
    pages["course with booking form"] = client.get(f"/courses/{course_id}").text
    pages["full course with waitlist form"] = client.get(f"/courses/{full_id}").text
    pages["booking form with errors"] = register_via_site(client, course_id, email="x").text
    booked = register_via_site(client, course_id)
    pages["payment instructions"] = client.get(booked.headers["location"]).text
    received = emails(db)[-1]
    pages["cancel page"] = client.get(link_in(received, "/registrations/cancel/")).text
    pages["registration received"] = client.get("/registrations/received").text
    pages["cancelled"] = client.get("/registrations/cancelled").text
    pages["offer claim"] = client.get(f"/offers/{offer_token}/claim").text
    pages["offer decline"] = client.get(f"/offers/{offer_token}/decline").text
    pages["offer declined"] = client.get("/offers/declined").text
    pages["waitlist joined"] = client.get(f"/courses/{full_id}/waitlist/joined").text
    pages["profile request"] = client.get("/profile/").text
    post(client, "/profile/", {"email": "maya@example.com"}, page="/profile/")
    pages["profile sent"] = client.get("/profile/sent").text
    pages["profile edit"] = client.get(link_in(emails(db)[-1], "/profile/")).text
    pages["profile updated"] = client.get("/profile/updated").text
    pages["school sign-up"] = client.get("/signup/").text
    pages["school sign-up with errors"] = post(client, "/signup/", {}, page="/signup/").text
    pages["school sign-up received"] = client.get("/signup/success/").text
    pages["page not found"] = client.get("/no-such-page").text
    pages["link problem"] = client.get("/registrations/not-a-real-token").text
    update_setting(db, "unpaid_bookings_per_address", "1", actor=STAFF)
    token = csrf_token(client, f"/courses/{course_id}")
    pages["unpaid limit"] = client.post(
        f"/courses/{course_id}/register",
        data={"csrf_token": token, **student_form(email="second@example.com")},
    ).text
    return pages | _signed_in_pages(client, db)


def _signed_in_pages(client: TestClient, db: Database) -> dict[str, str]:
    """The pages of a student's "my bookings" and of a school contact's "my school"."""
    pages = {"my bookings request": client.get("/my-bookings/").text}
    continue_path = my_bookings.sign_in_link(client, db, "maya@example.com")
    pages["my bookings sent"] = client.get("/my-bookings/sent").text
    pages["my bookings continue"] = client.get(continue_path).text
    assert post(client, continue_path, {}, page=continue_path).status_code == 303
    pages["my bookings"] = client.get("/my-bookings/").text
    with db.read() as session:
        booking = session.scalar(
            select(func.min(t.registrations.c.id))
            .join(t.students, t.students.c.id == t.registrations.c.student_id)
            .where(t.students.c.email == "maya@example.com")
        )
    pages["my bookings cancel confirmation"] = client.get(f"/my-bookings/cancel/{booking}").text
    pages["my bookings details"] = client.get("/my-bookings/profile").text
    client.cookies.clear()

    school_id = my_school.make_contact_school(db)
    course_id = my_school.school_course(db)
    (teacher,) = my_school.sign_up(db, school_id, course_id, "Ada Teacher")
    pages["my school request"] = client.get("/my-school/").text
    my_school.ask_for_link(client)
    pages["my school sent"] = client.get("/my-school/sent").text
    continue_path = my_school.sign_in_link(db)
    pages["my school continue"] = client.get(continue_path).text
    assert post(client, continue_path, {}, page=continue_path).status_code == 303
    pages["my school"] = client.get("/my-school/").text
    pages["my school add"] = client.get(f"/my-school/courses/{course_id}/add").text
    pages["my school replace"] = client.get(f"/my-school/participants/{teacher}/replace").text
    return pages


def test_every_public_page_is_well_formed(client: TestClient, db: Database) -> None:
    pages = _every_page(client, db)
    # Each page is the one it is named after, not an error page in its place.
    assert "Unpaid bookings waiting" in pages["unpaid limit"]
    assert "such as name@example.com" in pages["booking form with errors"]
    assert "How to pay" in pages["payment instructions"]
    assert "Your details" in pages["profile edit"]
    assert "A seat is free for you" in pages["offer claim"]
    assert {name: _heading(text) for name, text in pages.items() if "my " in name} == {
        "my bookings request": "My bookings",
        "my bookings sent": "Check your email",
        "my bookings continue": "Sign in to my bookings",
        "my bookings": "My bookings",
        "my bookings cancel confirmation": "Cancel this booking?",
        "my bookings details": "Your details",
        "my school request": "My school",
        "my school sent": "Check your email",
        "my school continue": "Sign in to Lincoln High",
        "my school": "Lincoln High",
        "my school add": "Add a teacher to Teacher training",
        "my school replace": "Replace Ada Teacher",
    }
    # Signed in, not the request form again: the student's booking and the school's teacher.
    assert "Salsa" in pages["my bookings"] and "Ada Teacher" in pages["my school"]
    problems = {name: markup_problems(text) for name, text in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ('<section class="card"><div class="card-body"><p>x</p></div></div>', "</div>"),
        ("<div><p>one<div>two</div></p></div>", "<div> inside <p>"),
        ("<ul><li>one</ul>", "</ul>"),
        ('<p id="a"></p><p id="a"></p>', "used twice"),
        ("<main><div></main>", "</main>"),
    ],
)
def test_the_check_finds_a_broken_page(markup: str, problem: str) -> None:
    assert any(problem in found for found in markup_problems(markup))


def test_the_check_accepts_void_elements_and_text() -> None:
    page = '<!doctype html><html><head><meta charset="utf-8"></head><body><p>a<br>b</p>'
    assert markup_problems(page + '<input type="text"><img src="x" alt=""></body></html>') == []
