"""/signup/ offers only the courses open to school sign-up, chooses none for the visitor,
and its success page repeats what was signed up (both databases)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.db.database import Database
from domain.errors import ValidationError
from domain.model import Registration, School
from domain.services.registration import StudentDetails, register_student
from domain.services.school_signup import NewSchool, Participant, sign_up_school
from tests.public.factories import count, make_course, post

_OPTIONS = re.compile(r'<option([^>]*)value="([^"]*)"([^>]*)>([^<]*)</option>')


def _options(page: str) -> list[tuple[str, str, bool, bool]]:
    """(value, text, selected, disabled) of each course choice."""
    select = page.split('id="course"')[1].split("</select>")[0]
    return [
        (value, text, "selected" in a + b, "disabled" in a + b)
        for a, value, b, text in _OPTIONS.findall(select)
    ]


def _new_school(course: str, **extra: str) -> dict[str, str]:
    return {
        "course": course,
        "school_choice": "new",
        "school_name": "Lincoln High",
        "location": "Springfield",
        "contact_name": "Pat Principal",
        "contact_email": "pat@lincoln.example",
        "participants-0-name": "Ada Teacher",
        "participants-1-name": "Bob Coach",
        **extra,
    }


def test_only_courses_open_to_school_sign_up_are_offered(client: TestClient, db: Database) -> None:
    make_course(db, title="Teacher workshop", school_signup=True)
    make_course(db, title="Salsa series")
    texts = [text for _, text, _, _ in _options(client.get("/signup/").text)]
    assert texts[0] == "Choose a course"
    assert len(texts) == 2 and texts[1].startswith("Teacher workshop — ")


def test_no_course_is_chosen_for_the_visitor_and_a_full_one_cannot_be_chosen(
    client: TestClient, db: Database
) -> None:
    full = make_course(db, title="Full workshop", capacity=1, school_signup=True)
    make_course(db, title="Open workshop", capacity=5, school_signup=True)
    register_student(
        db,
        course_id=full,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    options = _options(client.get("/signup/").text)
    assert options[0] == ("", "Choose a course", True, False)
    by_title = {
        text.split(" — ")[0]: (text, selected, disabled) for _, text, selected, disabled in options
    }
    full_text, full_selected, full_disabled = by_title["Full workshop"]
    assert full_text.endswith("(full)") and full_disabled and not full_selected
    open_text, _, open_disabled = by_title["Open workshop"]
    assert open_text.endswith("(5 seats left)") and not open_disabled


def test_an_empty_course_choice_is_refused_with_a_clear_message(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Teacher workshop", school_signup=True)
    response = post(client, "/signup/", _new_school(""), page="/signup/")
    assert response.status_code == 400
    assert "Please choose a course." in response.text
    assert 'id="course-error"' in response.text
    assert (count(db, School), count(db, Registration)) == (0, 0)


def test_a_course_not_open_to_schools_is_refused_on_the_form(
    client: TestClient, db: Database
) -> None:
    dance = make_course(db, title="Salsa series", package_price=None)
    response = post(client, "/signup/", _new_school(str(dance)), page="/signup/")
    assert response.status_code == 400
    assert (count(db, School), count(db, Registration)) == (0, 0)


def test_the_sign_up_service_refuses_a_course_not_open_to_schools(db: Database) -> None:
    dance = make_course(db, title="Salsa series", package_price=None)
    school = NewSchool("Lincoln High", "Springfield", "Pat", "pat@lincoln.example")
    with pytest.raises(ValidationError, match="Schools cannot sign up for this course"):
        sign_up_school(
            db,
            course_id=dance,
            school_id=None,
            new_school=school,
            participants=[Participant("Ada Teacher")],
            actor=Actor.public("198.51.100.1"),
        )
    assert (count(db, School), count(db, Registration)) == (0, 0)


def test_the_new_school_fields_come_with_my_school_is_not_listed(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Teacher workshop", school_signup=True)
    page = client.get("/signup/").text
    assert re.search(r'value="new"[^>]*>\s*<label[^>]*>My school is not listed</label>', page)
    form = page.split('class="card signup-form"')[1]
    assert '<div class="new-school">' in form
    # Without JavaScript, the stylesheet hides them until that choice is checked.
    css = client.get("/static/site/site.css").text
    assert ".signup-form .new-school { display: none; }" in css
    assert ':has(input[name="school_choice"][value="new"]:checked) .new-school' in css


def test_the_success_page_repeats_the_course_and_the_participants(
    client: TestClient, db: Database
) -> None:
    course = make_course(db, title="Teacher workshop", school_signup=True, package_price=None)
    response = post(client, "/signup/", _new_school(str(course)), page="/signup/")
    assert response.status_code == 303
    page = client.get("/signup/success/").text
    assert "Lincoln High is signed up for <strong>Teacher workshop</strong>" in page
    assert "<li>Ada Teacher</li>" in page and "<li>Bob Coach</li>" in page
    # Another browser, or a forged cookie, learns nothing.
    with TestClient(client.app, base_url="http://testserver") as stranger:
        assert "Ada Teacher" not in stranger.get("/signup/success/").text
        stranger.cookies.set("rollbook_signed_up", "[1, 2]", path="/signup/")
        assert "Ada Teacher" not in stranger.get("/signup/success/").text
