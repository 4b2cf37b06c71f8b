"""School sign-up at /signup/ (seed 000 §4.3)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.model import Registration, School, Student
from domain.services.school_signup import MAX_PARTICIPANTS
from tests.public.factories import count, emails, make_course, make_school, post


def _signup(client: TestClient, data: dict[str, str]) -> object:
    return post(client, "/signup/", data, page="/signup/")


def _new_school(course_id: int, **extra: str) -> dict[str, str]:
    return {
        "course": str(course_id),
        "school_choice": "new",
        "school_name": "Lincoln High",
        "location": "Springfield",
        "contact_name": "Pat Principal",
        "contact_email": "pat@lincoln.example",
        "contact_phone": "555-0142",
        "participants-0-name": "Ada Teacher",
        "participants-0-title": "Maths teacher",
        "participants-1-name": "Bob Coach",
        "participants-1-title": "",
        **extra,
    }


def test_signup_lists_only_published_future_courses(client: TestClient, db: Database) -> None:
    make_course(db, school_signup=True, title="Open workshop", package_price=None)
    make_course(db, school_signup=True, title="Draft workshop", published=False)
    make_course(db, school_signup=True, title="Old workshop", starts_in=timedelta(days=-3))
    text = client.get("/signup/").text
    assert "Open workshop" in text
    assert "Draft workshop" not in text and "Old workshop" not in text


def test_new_school_signs_up_two_participants_and_its_contact_gets_one_email(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, school_signup=True, title="Teacher training", package_price=None)
    response = _signup(client, _new_school(course_id))
    assert response.status_code == 303
    assert response.headers["location"] == "/signup/success/"
    assert "sign-up is received" in client.get("/signup/success/").text
    with db.read() as session:
        school = session.scalars(select(School)).one()
        assert (school.name, school.contact_email) == ("Lincoln High", "pat@lincoln.example")
        names = sorted(s.full_name for s in session.scalars(select(Student)))
        assert names == ["Ada Teacher", "Bob Coach"]
    assert count(db, Registration) == 2
    sent = emails(db)
    assert [(e.kind, e.to_address) for e in sent] == [
        ("school_signup_confirmation", "pat@lincoln.example")
    ]


def test_replayed_signup_creates_nothing_new(client: TestClient, db: Database) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    _signup(client, _new_school(course_id))
    assert _signup(client, _new_school(course_id)).status_code == 303
    assert count(db, Registration) == 2 and count(db, School) == 1
    assert len(emails(db)) == 1


def test_existing_school_is_found_by_its_exact_name_without_javascript(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    school_id = make_school(db, "Roosevelt Elementary")
    data = {
        "course": str(course_id),
        "school_choice": "existing",
        "school_name": "roosevelt elementary",
        "participants-0-name": "Cy Teacher",
    }
    assert _signup(client, data).status_code == 303
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.school_id == school_id
    assert count(db, School) == 1


def test_existing_school_picked_from_the_search_by_id(client: TestClient, db: Database) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    make_school(db, "Lakeside Academy", "North")
    chosen = make_school(db, "Lakeside Academy", "South")
    data = {
        "course": str(course_id),
        "school_choice": "existing",
        "school_name": "Lakeside Academy",
        "school_id": str(chosen),
        "participants-0-name": "Di Teacher",
    }
    assert _signup(client, data).status_code == 303
    with db.read() as session:
        assert session.scalars(select(Registration)).one().school_id == chosen


def test_unknown_school_in_existing_mode_is_an_error_next_to_the_field(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    data = {
        "course": str(course_id),
        "school_choice": "existing",
        "school_name": "Nowhere High",
        "participants-0-name": "Ed Teacher",
    }
    response = _signup(client, data)
    assert response.status_code == 400
    assert 'id="school_name-error"' in response.text
    assert 'value="Nowhere High"' in response.text and 'value="Ed Teacher"' in response.text
    assert count(db, Registration) == 0


def test_new_school_needs_location_and_contact(client: TestClient, db: Database) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    response = _signup(client, _new_school(course_id, location="", contact_email=""))
    assert response.status_code == 400
    assert "location for the new school" in response.text
    assert "contact email for the new school" in response.text
    assert count(db, School) == 0


def test_course_not_on_the_list_is_refused(client: TestClient, db: Database) -> None:
    draft = make_course(db, school_signup=True, published=False, package_price=None)
    response = _signup(client, _new_school(draft))
    assert response.status_code == 400
    assert count(db, Registration) == 0


def test_add_participant_button_works_without_javascript(client: TestClient, db: Database) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    response = _signup(client, {**_new_school(course_id), "action": "add_row"})
    assert response.status_code == 200
    assert 'name="participants-3-name"' in response.text
    assert 'value="Ada Teacher"' in response.text
    assert count(db, Registration) == 0


def test_school_search_returns_at_most_ten_matches(client: TestClient, db: Database) -> None:
    for n in range(15):
        make_school(db, f"Oak School {n:02d}")
    make_school(db, "Pine School")
    matches = client.get("/signup/schools", params={"q": "oak"}).json()
    assert len(matches) == 10
    assert all("Oak School" in m["name"] for m in matches)
    assert set(matches[0]) == {"id", "name", "location"}
    assert client.get("/signup/schools", params={"q": "pine"}).json()[0]["name"] == "Pine School"


def test_school_search_never_returns_the_whole_list(client: TestClient, db: Database) -> None:
    make_school(db, "Oak School")
    assert client.get("/signup/schools").json() == []
    assert client.get("/signup/schools", params={"q": "o"}).json() == []
    assert client.get("/signup/schools", params={"q": "%%"}).json() == []


def test_control_characters_in_school_addresses_are_refused(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    response = _signup(client, _new_school(course_id, location="Main St\r\nBcc: x@example.com"))
    assert response.status_code == 400
    assert "single line" in response.text
    assert count(db, School) == 0 and count(db, Registration) == 0


def test_honeypot_signup_pretends_success_and_writes_nothing(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, school_signup=True, package_price=None)
    response = _signup(client, _new_school(course_id, website="spam"))
    assert response.status_code == 303
    assert response.headers["location"] == "/signup/success/"
    assert count(db, School) == 0 and emails(db) == []


def test_more_participants_than_one_signup_takes_are_refused_whole_not_cut_short(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(
        db, school_signup=True, title="Teacher training", capacity=100, package_price=None
    )
    rows = {f"participants-{n}-name": f"Person {n:02d}" for n in range(MAX_PARTICIPANTS + 2)}

    response = _signup(client, {**_new_school(course_id), **rows})

    assert response.status_code == 400
    page = response.text
    assert (
        f"One sign-up takes at most {MAX_PARTICIPANTS} participants and this one lists "
        f"{MAX_PARTICIPANTS + 2}." in page
    )
    # The form comes back with every row typed, the last ones included.
    assert f'value="Person {MAX_PARTICIPANTS + 1:02d}"' in page
    assert (count(db, School), count(db, Student), count(db, Registration)) == (0, 0, 0)


def test_a_full_list_of_participants_is_signed_up(client: TestClient, db: Database) -> None:
    course_id = make_course(
        db, school_signup=True, title="Teacher training", capacity=100, package_price=None
    )
    rows = {f"participants-{n}-name": f"Person {n:02d}" for n in range(MAX_PARTICIPANTS)}

    response = _signup(client, {**_new_school(course_id), **rows})

    assert response.status_code == 303
    assert count(db, Registration) == MAX_PARTICIPANTS
