"""Pages reached by emailed links: view, cancel, claim and decline an offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import LinkPurpose
from domain.link_tokens import issue_link
from domain.model import Registration, WaitlistEntry
from tests.public.factories import (
    emails,
    full_course_with_offer,
    link_in,
    make_course,
    post,
    register_via_site,
)


def _book(client: TestClient, course_id: int, email: str = "maya@example.com") -> str:
    """Register through the site; returns the cancel link path from the email."""
    response = register_via_site(client, course_id, email=email)
    assert response.status_code == 303
    received = [e for e in emails(db_of(client)) if e.to_address == email]
    return link_in(received[-1], "/registrations/cancel/")


def db_of(client: TestClient) -> Database:
    return client.app.state.db  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    "path",
    [
        "/registrations/not-a-real-token",
        "/registrations/cancel/not-a-real-token",
        "/offers/not-a-real-token/claim",
        "/offers/not-a-real-token/decline",
    ],
)
def test_mistyped_link_shows_a_friendly_not_found_page(
    client: TestClient, db: Database, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "This link cannot be used" in response.text
    assert response.headers["referrer-policy"] == "no-referrer"


def test_view_link_shows_the_registration(client: TestClient, db: Database) -> None:
    course_id = make_course(db, title="Salsa")
    _book(client, course_id)
    view = link_in(emails(db)[0], "/registrations/")
    page = client.get(view)
    assert page.status_code == 200
    assert "Salsa" in page.text and "$120.00" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"


def test_expired_link_says_it_has_expired(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    _book(client, course_id)
    with db.write() as session:
        registration_id = session.scalars(select(Registration.id)).one()
        token = issue_link(
            session,
            purpose=LinkPurpose.VIEW_REGISTRATION,
            registration_id=registration_id,
            ttl=timedelta(hours=1),
            now=utcnow() - timedelta(hours=2),
        )
        session.commit()
    response = client.get(f"/registrations/{token}")
    assert response.status_code == 410
    assert "expired" in response.text


def test_cancel_link_asks_first_then_cancels_once(client: TestClient, db: Database) -> None:
    course_id = make_course(db, title="Salsa")
    cancel_path = _book(client, course_id)
    confirm = client.get(cancel_path)
    assert confirm.status_code == 200
    assert "Cancel your registration?" in confirm.text
    assert confirm.headers["referrer-policy"] == "no-referrer"
    with db.read() as session:
        assert session.scalars(select(Registration)).one().cancelled_at is None
    response = post(client, cancel_path, {}, page=cancel_path)
    assert response.status_code == 303
    assert response.headers["location"] == "/registrations/cancelled"
    with db.read() as session:
        assert session.scalars(select(Registration)).one().cancelled_at is not None
    assert "cancellation" in [e.kind for e in emails(db)]
    used = client.get(cancel_path)
    assert used.status_code == 410
    assert "already been used" in used.text


def test_cancel_without_csrf_changes_nothing(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    cancel_path = _book(client, course_id)
    assert client.post(cancel_path, data={}).status_code == 403
    with db.read() as session:
        assert session.scalars(select(Registration)).one().cancelled_at is None


def test_claiming_an_offer_registers_the_student_once(client: TestClient, db: Database) -> None:
    course_id, token = full_course_with_offer(db)
    page = client.get(f"/offers/{token}/claim")
    assert page.status_code == 200
    assert "Claim my seat" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    response = post(client, f"/offers/{token}/claim", {}, page=f"/offers/{token}/claim")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/registrations/")
    with db.read() as session:
        claimed = session.scalars(
            select(Registration).where(Registration.from_waitlist.is_(True))
        ).one()
        assert claimed.course_id == course_id
    again = client.get(f"/offers/{token}/claim")
    assert again.status_code == 404
    assert "already been used" in again.text


def test_declining_an_offer_frees_it_and_the_link_dies(client: TestClient, db: Database) -> None:
    _course_id, token = full_course_with_offer(db)
    page = client.get(f"/offers/{token}/decline")
    assert "Decline the seat?" in page.text
    response = post(client, f"/offers/{token}/decline", {}, page=f"/offers/{token}/decline")
    assert response.status_code == 303
    assert response.headers["location"] == "/offers/declined"
    with db.read() as session:
        assert session.scalars(select(WaitlistEntry)).one().status == "declined"
    replay = post(client, f"/offers/{token}/claim", {}, page="/signup/")
    assert replay.status_code == 404
    assert "already been used" in replay.text
