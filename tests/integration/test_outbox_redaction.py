"""Sent emails keep no raw link token in the outbox; the recipient's links still work."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import EmailStatus, LinkPurpose
from domain.link_tokens import find_link, issue_link
from domain.model import OutgoingEmail
from domain.outbox import REDACTED_TOKEN, Email, queue_email
from domain.outbox.worker import send_due_emails
from domain.rules.settings import Settings
from domain.services.payments import cancel_registration
from domain.services.registration import StudentDetails, register_student
from domain.services.waitlist import join_waitlist
from domain.services.waitlist_offers import claim_offer
from tests.integration.w_factories import STAFF, add_course
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

VISITOR = Actor.public("198.51.100.7")
# secrets.token_urlsafe(32), as domain/link_tokens.py and the waitlist offers make them.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def _stored_text(db: Database) -> str:
    """Every column of every outbox row, as one text to search."""
    with db.read() as session:
        rows = session.scalars(select(OutgoingEmail)).all()
        return "\n".join(
            " ".join(str(getattr(row, column)) for column in OutgoingEmail.__dataclass_fields__)
            for row in rows
        )


def _received(server: SmtpServer) -> str:
    parts = []
    for message in server.messages:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
    return "\n".join(parts)


def test_sent_emails_keep_no_link_token_while_the_emailed_links_still_work(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    course_id = add_course(db, capacity=1)
    first = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="ana@example.org", first_name="Ana"),
        actor=VISITOR,
    )
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email="ben@example.org", first_name="Ben"),
        actor=VISITOR,
    )
    # The freed seat is offered to Ben automatically, by email.
    cancel_registration(db, registration_id=first.registration_id, reason="ill", actor=STAFF)
    with db.read() as session:
        subjects = sorted(row.subject for row in session.scalars(select(OutgoingEmail)))
    issued = set(_TOKEN.findall(_stored_text(db)))
    assert first.link_token in issued
    assert len(issued) >= 3, "view and cancel links, and the offer (claim and decline share it)"

    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    sent = send_due_emails(db, config)

    stored = _stored_text(db)
    received = _received(smtp_server)
    assert sent == len(subjects) == len(smtp_server.messages)
    assert not _TOKEN.findall(stored)
    assert all(token not in stored for token in issued)
    assert all(token in received for token in issued)
    assert REDACTED_TOKEN in stored
    with db.read() as session:
        rows = session.scalars(select(OutgoingEmail)).all()
        assert {row.status for row in rows} == {EmailStatus.SENT}
        assert sorted(row.subject for row in rows) == subjects
        offers = [row for row in rows if "/offers/" in row.body_text]
        assert offers and all(f"/offers/{REDACTED_TOKEN}/claim" in row.body_text for row in offers)
        view = find_link(
            session, first.link_token or "", LinkPurpose.VIEW_REGISTRATION, now=utcnow()
        )
        assert view.registration_id == first.registration_id
    offer = re.search(r"/offers/([A-Za-z0-9_-]{43})/claim", received)
    assert offer is not None
    claimed = claim_offer(db, token=offer.group(1), actor=VISITOR)
    assert claimed.created


def _queue_link_email(db: Database, to_address: str) -> tuple[int, str]:
    """An email carrying a real emailed link (issued by domain.link_tokens); (row id, raw token)."""
    with db.write() as session:
        token = issue_link(
            session,
            purpose=LinkPurpose.EDIT_PROFILE,
            ttl=timedelta(days=7),
            now=utcnow(),
        )
        url = f"https://dance.example.org/profile/{token}"
        email = Email(
            kind="profile_link",
            to_address=to_address,
            to_name="Ana",
            subject="Complete your profile",
            body_text=f"Open {url}\n",
            body_html=f'<p><a href="{url}">Open your profile</a></p>',
        )
        row = queue_email(session, email, Settings())
        session.commit()
        assert row is not None and row.id is not None
        return row.id, token


def _row(db: Database, email_id: int) -> OutgoingEmail:
    with db.read() as session:
        row = session.get(OutgoingEmail, email_id)
        assert row is not None
        session.expunge(row)
        return row


def test_an_email_that_failed_for_good_keeps_no_link_token(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id, token = _queue_link_email(db, "not-an-address")
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)

    assert send_due_emails(db, config) == 0

    row = _row(db, email_id)
    assert row.status == EmailStatus.FAILED
    assert token not in row.body_text + row.body_html
    assert row.body_text == f"Open https://dance.example.org/profile/{REDACTED_TOKEN}\n"
    assert row.subject == "Complete your profile"


def test_an_email_waiting_for_a_retry_keeps_its_working_link(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id, token = _queue_link_email(db, "ana@example.org")
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    smtp_server.stop()

    assert send_due_emails(db, config) == 0

    row = _row(db, email_id)
    assert row.status == EmailStatus.PENDING
    assert token in row.body_text and token in row.body_html
