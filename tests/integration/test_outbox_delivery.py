"""The outbox and worker against a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from domain.clock import utcnow
from domain.config import Config
from domain.db.database import Database
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import Email, queue_email
from domain.outbox.worker import CLAIM_TIMEOUT, MAX_ATTEMPTS, claim_due_emails, send_due_emails
from domain.rules.settings import Settings
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

SETTINGS = Settings()


def _config(server: SmtpServer, db: Database, tmp_path: Path) -> Config:
    return mail_config(server, db.url.render_as_string(hide_password=False), tmp_path)


def _email(subject: str = "Registration received", name: str = "Ana Lopez") -> Email:
    return Email(
        kind="registration_received",
        to_address="ana@example.org",
        to_name=name,
        subject=subject,
        body_text="Hello Ana,\n\nThank you.\n",
        body_html="<p>Hello Ana,</p><p>Thank you.</p>",
    )


def _queue(db: Database, email: Email | None = None) -> int:
    with db.write() as session:
        row = queue_email(session, email or _email(), SETTINGS)
        assert row is not None
        session.commit()
        assert row.id is not None
        return row.id


def _claim(db: Database, email_id: int, *, by: str, at: datetime) -> None:
    """Leave the email as a worker named ``by`` left it when it started sending at ``at``."""
    with db.write() as session:
        row = session.get(OutgoingEmail, email_id)
        assert row is not None
        row.status = EmailStatus.SENDING
        row.claimed_by = by
        row.claimed_at = at
        session.commit()


def _row(db: Database, email_id: int) -> OutgoingEmail:
    with db.read() as session:
        row = session.get(OutgoingEmail, email_id)
        assert row is not None
        session.expunge(row)  # keep the loaded values readable after the session ends
        return row


def test_an_email_queued_in_a_rolled_back_change_is_never_sent(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with db.write() as session:
        queue_email(session, _email(), SETTINGS)
        session.rollback()
    assert send_due_emails(db, _config(smtp_server, db, tmp_path)) == 0
    assert smtp_server.messages == []
    with db.read() as session:
        assert session.scalars(select(OutgoingEmail)).all() == []


def test_a_committed_email_is_sent_once_with_text_and_html_parts(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    config = _config(smtp_server, db, tmp_path)
    assert send_due_emails(db, config) == 1
    assert send_due_emails(db, config) == 0
    [message] = smtp_server.messages
    assert message["Subject"] == "Registration received"
    assert message["To"] == "Ana Lopez <ana@example.org>"
    assert message["From"] == "Rollbook Studio <studio@example.org>"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and "Thank you." in text.get_content()
    assert html is not None and "<p>Thank you.</p>" in html.get_content()
    row = _row(db, email_id)
    assert row.status == EmailStatus.SENT
    assert row.sent_at is not None
    assert row.attempts == 1


def test_emails_switched_off_in_settings_are_not_queued(db: Database) -> None:
    with db.write() as session:
        assert queue_email(session, _email(), Settings(emails_enabled=False)) is None
        session.commit()
    with db.read() as session:
        assert session.scalars(select(OutgoingEmail)).all() == []


def test_a_server_that_is_down_leaves_the_email_pending_until_it_comes_back(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    config = _config(smtp_server, db, tmp_path)
    smtp_server.stop()
    now = utcnow()
    assert send_due_emails(db, config, now=now) == 0
    row = _row(db, email_id)
    assert row.status == EmailStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == now + timedelta(minutes=1)

    smtp_server.start()
    # Not due yet: the retry waits for its backoff.
    assert send_due_emails(db, config, now=now + timedelta(seconds=30)) == 0
    assert smtp_server.messages == []
    assert send_due_emails(db, config, now=now + timedelta(minutes=2)) == 1
    assert send_due_emails(db, config, now=now + timedelta(hours=2)) == 0
    assert len(smtp_server.messages) == 1
    assert _row(db, email_id).status == EmailStatus.SENT


def test_a_server_that_is_down_fails_the_whole_batch_at_once(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    ids = [_queue(db) for _ in range(3)]
    smtp_server.stop()
    assert send_due_emails(db, _config(smtp_server, db, tmp_path)) == 0
    rows = [_row(db, email_id) for email_id in ids]
    assert [(r.status, r.attempts) for r in rows] == [(EmailStatus.PENDING, 1)] * 3
    assert all("ConnectionRefusedError" in r.last_error for r in rows)


def test_retries_back_off_and_give_up_after_the_last_attempt(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    config = _config(smtp_server, db, tmp_path)
    smtp_server.stop()
    now = utcnow()
    delays = []
    for _ in range(MAX_ATTEMPTS):
        send_due_emails(db, config, now=now)
        row = _row(db, email_id)
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    row = _row(db, email_id)
    assert row.status == EmailStatus.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(delays) <= timedelta(hours=1)
    smtp_server.start()
    assert send_due_emails(db, config, now=now + timedelta(days=1)) == 0
    assert smtp_server.messages == []


def test_an_email_left_sending_by_a_crashed_worker_is_sent_by_another(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    now = utcnow()
    _claim(db, email_id, by="crashed-worker", at=now - CLAIM_TIMEOUT - timedelta(seconds=1))
    config = _config(smtp_server, db, tmp_path)
    assert send_due_emails(db, config, now=now, worker_id="rescuer") == 1
    assert len(smtp_server.messages) == 1
    row = _row(db, email_id)
    assert row.status == EmailStatus.SENT
    assert row.claimed_by == "rescuer"
    assert row.attempts == 2  # the one the crash cut short counts too


def test_a_message_that_stops_every_worker_sending_it_is_given_up_after_the_last_attempt(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    now = utcnow()
    # A worker claims it and dies while sending; the claim times out; the next
    # worker takes it back and dies too; and so on.
    for attempt in range(MAX_ATTEMPTS):
        claimed = claim_due_emails(db, now=now, limit=10, worker_id=f"worker-{attempt}")
        assert [row.id for row in claimed] == [email_id]
        assert _row(db, email_id).attempts == attempt
        now += CLAIM_TIMEOUT + timedelta(seconds=1)
    assert claim_due_emails(db, now=now, limit=10, worker_id="last") == []
    row = _row(db, email_id)
    assert row.status == EmailStatus.FAILED
    assert "gave up" in row.last_error
    # Settled for good: no later worker sends it.
    later = now + CLAIM_TIMEOUT * 10
    assert send_due_emails(db, _config(smtp_server, db, tmp_path), now=later) == 0
    assert smtp_server.messages == []


def test_an_email_being_sent_right_now_is_not_taken_by_another_worker(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    email_id = _queue(db)
    now = utcnow()
    _claim(db, email_id, by="busy-worker", at=now - timedelta(minutes=1))
    assert send_due_emails(db, _config(smtp_server, db, tmp_path), now=now) == 0
    assert smtp_server.messages == []
    assert _row(db, email_id).claimed_by == "busy-worker"


def test_a_display_name_cannot_add_a_header(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    # Queued raw, as code that skipped the builders might: the mailer still holds.
    _queue(db, _email(subject="Hi\r\nBcc: evil@x.example", name="Eve\r\nBcc: evil@x.example"))
    assert send_due_emails(db, _config(smtp_server, db, tmp_path)) == 1
    [delivery] = smtp_server.deliveries
    assert delivery.rcpt_tos == ["ana@example.org"]
    message = delivery.message
    assert message["Bcc"] is None
    assert len(message.get_all("To") or []) == 1
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.org"]
    assert message["To"].addresses[0].display_name == "Eve Bcc: evil@x.example"
    assert message["Subject"] == "Hi Bcc: evil@x.example"


def test_html_in_a_name_arrives_escaped(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    from domain.emails.school import school_signup_confirmation
    from domain.model import School, Student
    from tests.unit.test_emails import make_course

    email = school_signup_confirmation(
        school=School(name="<script>x</script>", contact_email="c@school.example"),
        course=make_course(),
        participants=[Student(first_name="<script>alert(1)</script>")],
        settings=SETTINGS,
    )
    _queue(db, email)
    assert send_due_emails(db, _config(smtp_server, db, tmp_path)) == 1
    html_part = smtp_server.messages[0].get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_an_address_that_can_never_work_fails_at_once_with_the_reason(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    bad = Email(kind="x", to_address="not-an-address", to_name="", subject="s", body_text="b")
    email_id = _queue(db, bad)
    assert send_due_emails(db, _config(smtp_server, db, tmp_path)) == 0
    row = _row(db, email_id)
    assert row.status == EmailStatus.FAILED
    assert "not a valid email address" in row.last_error
    assert smtp_server.messages == []
