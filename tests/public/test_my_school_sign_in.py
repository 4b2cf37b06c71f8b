"""My school: a school's contact asks for a sign-in link, opens it, and signs out."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.model import (
    AuditEntry,
    LinkToken,
    OutgoingEmail,
)
from domain.services.school_sign_in import request_school_links
from public_site.visitor_session import VISITOR_COOKIE
from tests.abuse.hostile import growth, row_counts
from tests.public.factories import count, emails, post
from tests.public.my_school_setup import (
    CONTACT,
    ask_for_link,
    make_contact_school,
    school_course,
    sign_in,
    sign_in_link,
    sign_up,
)


def _written(db: Database) -> tuple[int, int, int]:
    return count(db, LinkToken), count(db, AuditEntry), count(db, OutgoingEmail)


# --- Asking for a link ---------------------------------------------------------------


def test_unknown_address_gets_the_same_answer_and_nothing_is_written(
    client: TestClient, db: Database
) -> None:
    make_contact_school(db)
    before = row_counts(db)  # every table but the rate limit's
    unknown = ask_for_link(client, "nobody@example.com")
    assert growth(before, row_counts(db)) == {}
    known = ask_for_link(client, CONTACT)
    assert unknown.status_code == known.status_code == 303
    assert unknown.headers["location"] == known.headers["location"] == "/my-school/sent"
    sent = [(e.kind, e.to_address) for e in emails(db)]
    assert sent == [("school_sign_in_link", CONTACT)]
    assert "If this address is a school's contact" in client.get("/my-school/sent").text


def test_a_contact_of_two_schools_gets_one_link_per_school(
    client: TestClient, db: Database
) -> None:
    make_contact_school(db, "Lincoln High")
    make_contact_school(db, "Roosevelt Elementary", email=CONTACT.upper())
    ask_for_link(client, CONTACT)
    subjects = sorted(e.subject for e in emails(db))
    assert len(subjects) == 2
    assert "Lincoln High" in subjects[0] and "Roosevelt Elementary" in subjects[1]


def test_a_malformed_address_is_refused_on_the_form(client: TestClient, db: Database) -> None:
    response = ask_for_link(client, "not an address")
    assert response.status_code == 400
    assert "email address" in response.text


# --- Opening the link ----------------------------------------------------------------


def test_opening_the_link_asks_to_continue_and_spends_it_only_then(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    sign_up(db, school_id, school_course(db), "Ada Teacher")
    ask_for_link(client)
    path = sign_in_link(db)
    for _ in range(2):  # a mail scanner opening the link spends nothing
        page = client.get(path)
        assert page.status_code == 200
        assert "Continue" in page.text and "Lincoln High" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
    response = post(client, path, {}, page=path)
    assert response.status_code == 303
    assert response.headers["location"] == "/my-school/"
    assert VISITOR_COOKIE in response.cookies
    home = client.get("/my-school/")
    assert "Ada Teacher" in home.text and "Lincoln High" in home.text
    used = client.get(path)
    assert used.status_code == 410
    assert "already been used" in used.text


def test_a_used_link_cannot_sign_in_again(client: TestClient, db: Database) -> None:
    make_contact_school(db)
    ask_for_link(client)
    path = sign_in_link(db)
    assert post(client, path, {}, page=path).status_code == 303
    client.cookies.delete(VISITOR_COOKIE)
    again = post(client, path, {}, page="/my-school/")
    assert again.status_code == 410
    assert "already been used" in again.text
    assert VISITOR_COOKIE not in again.cookies


def test_an_expired_link_shows_a_friendly_page(client: TestClient, db: Database) -> None:
    make_contact_school(db)
    request_school_links(
        db, email=CONTACT, actor=Actor.public("192.0.2.1"), now=utcnow() - timedelta(days=2)
    )
    path = sign_in_link(db)
    page = client.get(path)
    assert page.status_code == 410
    assert "This link has expired" in page.text
    assert post(client, path, {}, page="/my-school/").status_code == 410


def test_a_mistyped_link_is_not_found(client: TestClient, db: Database) -> None:
    page = client.get("/my-school/sign-in/not-a-real-token")
    assert page.status_code == 404
    assert "This link cannot be used" in page.text


def test_without_signing_in_the_page_asks_for_an_email(client: TestClient, db: Database) -> None:
    school_id = make_contact_school(db)
    sign_up(db, school_id, school_course(db), "Ada Teacher")
    page = client.get("/my-school/")
    assert "Email me a sign-in link" in page.text and "Ada Teacher" not in page.text
    assert client.get("/my-school/participants/1/replace").headers["location"] == "/my-school/"


def test_signing_out_forgets_the_school(client: TestClient, db: Database) -> None:
    school_id = make_contact_school(db)
    sign_up(db, school_id, school_course(db), "Ada Teacher")
    sign_in(client, db)
    assert "Ada Teacher" in client.get("/my-school/").text
    post(client, "/my-school/sign-out", {}, page="/my-school/")
    assert "Ada Teacher" not in client.get("/my-school/").text
