"""Signing in to "my bookings": a single-use link emailed to the student, nothing to others."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import LinkPurpose
from domain.link_tokens import hash_token, issue_link
from domain.model import AuditEntry, LinkToken, Student
from domain.services.rate_limits import Limits
from domain.services.student_sign_in import SIGN_IN_LINK_TTL
from public_site import my_bookings
from tests.public.factories import emails, link_in, make_course, post
from tests.public.my_bookings_seed import (
    SIGN_IN,
    book,
    request_link,
    row_counts,
    sign_in,
    sign_in_link,
)


def _maya(db: Database) -> None:
    book(db, make_course(db), "maya@example.com")


def test_asking_for_a_link_for_an_unknown_address_changes_nothing_and_looks_the_same(
    client: TestClient, db: Database
) -> None:
    _maya(db)
    client.get("/my-bookings/")
    before = row_counts(db)
    unknown = request_link(client, "nobody@example.com")
    after_unknown = row_counts(db)
    known = request_link(client, "Maya@Example.com")

    assert unknown.status_code == known.status_code == 303
    assert unknown.headers["location"] == known.headers["location"] == "/my-bookings/sent"
    assert unknown.content == known.content
    sent_page = client.get("/my-bookings/sent").text
    assert "If we have bookings for this address" in sent_page
    assert "The link works once, for 1 hour." in sent_page
    # The unknown address wrote nothing but its count against the rate limit.
    changed = {name for name in before if before[name] != after_unknown[name]}
    assert changed <= {"rate_limit_buckets"}
    sent = [(e.kind, e.to_address) for e in emails(db) if e.kind == "student_sign_in_link"]
    assert sent == [("student_sign_in_link", "maya@example.com")]


def test_the_answer_is_sent_before_the_address_is_looked_up(
    app: Starlette, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So a known address (link issued, email queued) takes no longer to answer."""
    events: list[str] = []

    def lookup(*_args: object, **_kwargs: object) -> bool:
        events.append("looked up")
        return False

    monkeypatch.setattr(my_bookings, "request_sign_in_link", lookup)

    async def watching(scope: Scope, receive: Receive, send: Send) -> None:
        async def watched_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("answered")

        await app(scope, receive, watched_send)

    with TestClient(watching, follow_redirects=False) as client:
        response = request_link(client, "maya@example.com")
    assert response.status_code == 303
    assert events[-2:] == ["answered", "looked up"]


def test_the_link_is_long_random_stored_as_a_hash_and_short_lived(
    client: TestClient, db: Database
) -> None:
    _maya(db)
    token = sign_in_link(client, db, "maya@example.com").removeprefix(SIGN_IN)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    with db.read() as session:
        link = session.scalars(
            select(LinkToken).where(LinkToken.purpose == LinkPurpose.STUDENT_SIGN_IN)
        ).one()
        assert link.token_hash == hash_token(token) != token
        assert link.expires_at - link.created_at == SIGN_IN_LINK_TTL == timedelta(hours=1)
    email = [e for e in emails(db) if e.kind == "student_sign_in_link"][-1]
    assert "works once, for 1 hour" in email.body_text


def test_opening_the_link_asks_first_then_signs_in_once(client: TestClient, db: Database) -> None:
    _maya(db)
    path = sign_in_link(client, db, "maya@example.com")
    # A mail scanner fetching the link twice does not use it up.
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200
        assert "Continue to my bookings" in page.text
        assert "signed in on this device for 2 hours" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
    assert "Signed in as" not in client.get("/my-bookings/").text

    response = post(client, path, {}, page=path)
    assert response.status_code == 303
    assert response.headers["location"] == "/my-bookings/"
    page = client.get("/my-bookings/")
    assert "Signed in as <strong>Maya Lopez</strong>" in page.text
    assert page.headers["cache-control"] == "no-store"
    with db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
        assert "student.sign_in" in actions and "student.sign_in_link" in actions

    used = client.get(path)
    assert used.status_code == 410
    assert "already been used" in used.text
    again = post(client, path, {}, page="/my-bookings/")
    assert again.status_code == 410


def test_an_expired_or_mistyped_link_shows_the_link_problem_page(
    client: TestClient, db: Database
) -> None:
    _maya(db)
    with db.write() as session:
        student_id = session.scalars(select(Student.id)).one()
        token = issue_link(
            session,
            purpose=LinkPurpose.STUDENT_SIGN_IN,
            student_id=student_id,
            ttl=timedelta(hours=1),
            now=utcnow() - timedelta(hours=2),
        )
        session.commit()
    expired = client.get(SIGN_IN + token)
    assert expired.status_code == 410
    assert "This link cannot be used" in expired.text and "expired" in expired.text
    assert post(client, SIGN_IN + token, {}, page="/my-bookings/").status_code == 410
    mistyped = client.get(SIGN_IN + "not-a-real-token")
    assert mistyped.status_code == 404
    assert "This link cannot be used" in mistyped.text
    assert mistyped.headers["referrer-policy"] == "no-referrer"
    assert "Signed in as" not in client.get("/my-bookings/").text


def test_a_link_for_another_purpose_does_not_sign_in(client: TestClient, db: Database) -> None:
    _maya(db)
    cancel_path = link_in(emails(db)[0], "/registrations/cancel/")
    token = cancel_path.removeprefix("/registrations/cancel/")
    assert client.get(SIGN_IN + token).status_code == 404
    assert post(client, SIGN_IN + token, {}, page="/my-bookings/").status_code == 404


def test_signing_out_forgets_the_student(client: TestClient, db: Database) -> None:
    _maya(db)
    sign_in(client, db, "maya@example.com")
    response = post(client, "/my-bookings/sign-out", {}, page="/my-bookings/")
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "You are signed out." in page.text
    assert "Signed in as" not in page.text and "Email me a sign-in link" in page.text


def test_asking_for_links_is_rate_limited(app: Starlette, db: Database) -> None:
    app.state.limits = Limits(submissions=2)
    with TestClient(app, follow_redirects=False) as client:
        statuses = [request_link(client, "nobody@example.com").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]


def test_a_malformed_address_is_refused_next_to_the_field(client: TestClient, db: Database) -> None:
    response = request_link(client, "maya@example")
    assert response.status_code == 400
    assert 'id="email-error"' in response.text


def test_the_header_links_to_my_bookings(client: TestClient, db: Database) -> None:
    assert 'href="/my-bookings/">My bookings</a>' in client.get("/").text


def test_the_registration_email_points_to_my_bookings(client: TestClient, db: Database) -> None:
    _maya(db)
    received = [e for e in emails(db) if e.kind == "registration_received"][-1]
    assert re.search(r"See all your bookings:\nhttps?://[^/\s]+/my-bookings/\n", received.body_text)
