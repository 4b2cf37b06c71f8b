"""The mail server is down for a while: emails wait in the outbox and all go out once, later.

A real SMTP server (aiosmtpd) is stopped while the worker tries to send, then
brought back on the same port. Time is moved forward with ``now`` so the
worker's retry delays (minutes) pass without the test waiting for them.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import EmailStatus
from domain.outbox import Email, queue_email
from domain.outbox.worker import send_due_emails
from domain.services.settings import load_settings
from tests.smtp_fixtures import (
    SmtpServer,
    mail_config,
    smtp_server_fixture,  # noqa: F401
)

pytestmark = pytest.mark.fault

EMAILS = 30
ROUNDS_WHILE_DOWN = 3


def _queue(db: Database, count: int) -> None:
    with db.write() as session:
        settings = load_settings(session)
        for n in range(count):
            email = Email(
                kind="registration_received",
                to_address=f"student{n}@example.com",
                to_name=f"Student {n}",
                subject=f"Your booking #{n}",
                body_text=f"Booking number {n}.",
            )
            assert queue_email(session, email, settings) is not None
        session.commit()


def _statuses(db: Database) -> Counter[str]:
    with db.read() as session:
        return Counter(str(s) for s in session.scalars(select(t.outgoing_emails.c.status)))


def test_emails_wait_while_smtp_is_down_and_all_go_out_once_when_it_returns(
    db: Database,
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    _queue(db, EMAILS)
    smtp_server.stop()
    moment = utcnow()
    for _ in range(ROUNDS_WHILE_DOWN):
        assert send_due_emails(db, config, now=moment, limit=EMAILS) == 0
        # Everything is still waiting: none given up, none lost.
        assert _statuses(db) == Counter({EmailStatus.PENDING.value: EMAILS})
        moment += timedelta(hours=2)  # past the longest retry delay
    with db.read() as session:
        errors = set(session.scalars(select(t.outgoing_emails.c.last_error)))
        attempts = set(session.scalars(select(t.outgoing_emails.c.attempts)))
    assert all(errors), "each waiting email says why it was not sent"
    assert attempts == {ROUNDS_WHILE_DOWN}

    smtp_server.start()
    sent = 0
    for _ in range(5):  # a few rounds at most; each sends up to a batch
        sent += send_due_emails(db, config, now=moment, limit=EMAILS)
        moment += timedelta(hours=2)
    assert sent == EMAILS
    subjects = Counter(str(message["Subject"]) for message in smtp_server.wait_for(EMAILS))
    assert subjects == Counter(f"Your booking #{n}" for n in range(EMAILS)), (
        "every email arrives exactly once"
    )
    assert _statuses(db) == Counter({EmailStatus.SENT.value: EMAILS})
    # Later rounds find nothing more to send.
    assert send_due_emails(db, config, now=moment + timedelta(days=1), limit=EMAILS) == 0
    assert len(smtp_server.messages) == EMAILS
