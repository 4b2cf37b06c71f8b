"""A known student changes their details only through a link emailed to them."""

from __future__ import annotations

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.model import Student
from tests.public.factories import (
    emails,
    link_in,
    make_course,
    post,
    register_via_site,
)


def _known_student(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    register_via_site(client, course_id)


def test_asking_for_a_link_answers_the_same_for_unknown_addresses(
    client: TestClient, db: Database
) -> None:
    _known_student(client, db)
    before = len(emails(db))
    unknown = post(client, "/profile/", {"email": "nobody@example.com"}, page="/profile/")
    known = post(client, "/profile/", {"email": "maya@example.com"}, page="/profile/")
    assert unknown.status_code == known.status_code == 303
    assert unknown.headers["location"] == known.headers["location"] == "/profile/sent"
    sent = emails(db)[before:]
    assert [(e.kind, e.to_address) for e in sent] == [("profile_link", "maya@example.com")]


def test_profile_link_shows_and_changes_the_details_once(client: TestClient, db: Database) -> None:
    _known_student(client, db)
    post(client, "/profile/", {"email": "maya@example.com"}, page="/profile/")
    path = link_in(emails(db)[-1], "/profile/")
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="555-0199"' in page.text  # the owner sees their stored details
    assert page.headers["referrer-policy"] == "no-referrer"
    response = post(
        client,
        path,
        {"first_name": "Maya", "last_name": "Lopez-Diaz", "phone": "555-0777"},
        page=path,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/profile/updated"
    with db.read() as session:
        student = session.scalars(select(Student)).one()
        assert (student.last_name, student.phone) == ("Lopez-Diaz", "555-0777")
    assert client.get(path).status_code == 410


def test_profile_form_refuses_control_characters(client: TestClient, db: Database) -> None:
    _known_student(client, db)
    post(client, "/profile/", {"email": "maya@example.com"}, page="/profile/")
    path = link_in(emails(db)[-1], "/profile/")
    response = post(client, path, {"first_name": "Maya\r\nX"}, page=path)
    assert response.status_code == 400
    with db.read() as session:
        assert session.scalars(select(Student.first_name)).one() == "Maya"
