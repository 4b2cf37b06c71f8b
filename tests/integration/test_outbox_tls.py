"""SMTP_TLS=starttls and ssl encrypt the connection and check the server's certificate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.db.database import Database
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import Email, queue_email
from domain.outbox.worker import send_due_emails
from domain.rules.settings import Settings
from tests.smtp_fixtures import SmtpServer, mail_config, make_certificate


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmtpServer]:
    server = SmtpServer(tls=str(request.param), certificate=make_certificate(tmp_path))
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


def _row(db: Database) -> tuple[str, str]:
    with db.read() as session:
        row = session.scalars(select(OutgoingEmail)).one()
        return row.status, row.last_error


def test_mail_goes_over_tls_to_a_trusted_server(
    db: Database, tls_server: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tls_server.certificate is not None
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.certificate[0]))
    _queue(db)
    config = mail_config(tls_server, db.url.render_as_string(hide_password=False), tmp_path)
    assert config.smtp_tls == tls_server.tls
    assert send_due_emails(db, config) == 1
    assert len(tls_server.messages) == 1
    assert _row(db)[0] == EmailStatus.SENT


def test_a_server_with_an_untrusted_certificate_gets_no_mail(
    db: Database, tls_server: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trust some other certificate: the server's own is then unverifiable.
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", str(make_certificate(other_dir)[0]))
    _queue(db)
    config = mail_config(tls_server, db.url.render_as_string(hide_password=False), tmp_path)
    assert send_due_emails(db, config) == 0
    status, error = _row(db)
    assert status == EmailStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in error
    assert tls_server.messages == []
