"""The mailer logs in when SMTP_USER is set; a refused login is recorded and retried."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.db.database import Database
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import Email, queue_email
from domain.outbox.worker import send_due_emails
from domain.rules.settings import Settings
from tests.smtp_fixtures import SmtpServer, mail_config


@pytest.fixture
def locked_server() -> Iterator[SmtpServer]:
    server = SmtpServer(login=("studio", "s3cret pass"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _queue(db: Database) -> None:
    email = Email(kind="t", to_address="ana@example.org", to_name="", subject="Hi", body_text="x")
    with db.write() as session:
        queue_email(session, email, Settings())
        session.commit()


def _row(db: Database) -> tuple[str, int, str]:
    with db.read() as session:
        row = session.scalars(select(OutgoingEmail)).one()
        return row.status, row.attempts, row.last_error


def test_the_mailer_logs_in_with_the_configured_user(
    db: Database, locked_server: SmtpServer, tmp_path: Path
) -> None:
    _queue(db)
    config = mail_config(locked_server, db.url.render_as_string(hide_password=False), tmp_path)
    assert send_due_emails(db, config) == 1
    assert len(locked_server.messages) == 1
    assert _row(db)[0] == EmailStatus.SENT


def test_a_refused_login_keeps_the_email_for_a_retry_with_the_error(
    db: Database, locked_server: SmtpServer, tmp_path: Path
) -> None:
    _queue(db)
    config = mail_config(locked_server, db.url.render_as_string(hide_password=False), tmp_path)
    wrong = replace(config, smtp_password="wrong")
    assert send_due_emails(db, wrong) == 0
    status, attempts, error = _row(db)
    # A bad password is the studio's configuration, not the message: keep retrying.
    assert (status, attempts) == (EmailStatus.PENDING, 1)
    assert "SMTPAuthenticationError" in error
    assert locked_server.messages == []
