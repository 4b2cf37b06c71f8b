"""Browser: a school signs up its participants at /signup/ (seed 000 §4.3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.model import Registration, School
from tests.e2e.conftest import LiveServer
from tests.public.browser import (
    assert_accessible,
    assert_fits_phone,
    deliver_emails,
    message_to,
    text_of,
)
from tests.public.factories import make_course, make_school
from tests.smtp_fixtures import SmtpServer, smtp_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("e2e_backend", ["sqlite", "postgresql"], indirect=True),
]


def test_new_school_signs_up_two_participants_and_the_contact_is_emailed(
    live_server: LiveServer,
    page: Page,
    new_page: Callable[..., Page],
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = live_server.db
    make_course(db, school_signup=True, title="Teacher training", package_price=None)
    page.goto(live_server.url + "/signup/")
    assert_accessible(page)
    # Nothing is chosen for the visitor: the first choice asks them to.
    expect(page.get_by_label("Course")).to_have_value("")
    page.get_by_label("Course").select_option(index=1)
    page.get_by_label("My school is not listed").check()
    page.get_by_label("School name").fill("Lincoln High")
    page.get_by_label("School location").fill("Springfield")
    page.get_by_label("Contact name").fill("Pat Principal")
    page.get_by_label("Contact email").fill("pat@lincoln.example")
    names = page.get_by_label("Participant name")
    titles = page.get_by_label("Job title or role")
    names.nth(0).fill("Ada Teacher")
    titles.nth(0).fill("Maths teacher")
    names.nth(1).fill("Bob Coach")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(live_server.url + "/signup/success/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("sign-up is received")
    assert_accessible(page)
    with db.read() as session:
        assert session.scalars(select(School.name)).all() == ["Lincoln High"]
        assert len(session.scalars(select(Registration)).all()) == 2
    deliver_emails(db, smtp_server, tmp_path)
    confirmation = text_of(message_to(smtp_server, "pat@lincoln.example", "Sign-up confirmed"))
    assert "Ada Teacher" in confirmation and "Bob Coach" in confirmation
    assert_fits_phone(new_page, live_server.url + "/signup/")


def test_school_is_found_as_you_type_and_rows_can_be_added(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    make_course(db, school_signup=True, title="Teacher training", package_price=None)
    school_id = make_school(db, "Roosevelt Elementary", "Shelbyville")
    for n in range(12):
        make_school(db, f"Other School {n}")
    page.goto(live_server.url + "/signup/")
    with page.expect_response(lambda r: "/signup/schools?q=" in r.url) as searched:
        page.get_by_label("School name").press_sequentially("Roosev")
    assert searched.value.json() == [
        {"id": school_id, "name": "Roosevelt Elementary", "location": "Shelbyville"}
    ]
    expect(page.locator("#school-options option")).to_have_count(1)
    page.get_by_label("School name").fill("Roosevelt Elementary")
    expect(page.locator("#school_id")).to_have_value(str(school_id))

    expect(page.get_by_label("Participant name")).to_have_count(3)
    page.get_by_role("button", name="Add another participant").click()
    expect(page.get_by_label("Participant name")).to_have_count(4)
    expect(page.get_by_label("Participant name").nth(3)).to_be_focused()
    page.get_by_label("Participant name").nth(3).fill("Dee Fourth")
    page.get_by_label("Course").select_option(index=1)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(live_server.url + "/signup/success/")
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.school_id == school_id
