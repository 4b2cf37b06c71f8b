"""run_worker as an operator runs it: one round, or a loop that SIGTERM stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from domain.db.database import Database
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import Email, queue_email
from domain.outbox.worker import run_worker, send_due_emails
from domain.rules.settings import Settings
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
WORKER_SCRIPT = (
    "import logging; logging.basicConfig(level=logging.INFO);"
    "from domain.config import load_config; from domain.outbox.worker import run_worker;"
    "run_worker(load_config(), poll_seconds=0.2)"
)


def _queue(db: Database, subject: str) -> None:
    email = Email(
        kind="test", to_address="ana@example.org", to_name="Ana", subject=subject, body_text="x"
    )
    with db.write() as session:
        queue_email(session, email, Settings())
        session.commit()


def _statuses(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(OutgoingEmail.status).order_by(OutgoingEmail.id)))


def test_run_worker_once_sends_what_is_due_and_returns(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    _queue(db, "First")
    _queue(db, "Second")
    url = db.url.render_as_string(hide_password=False)
    run_worker(mail_config(smtp_server, url, tmp_path), once=True, worker_id="once")
    assert sorted(str(m["Subject"]) for m in smtp_server.messages) == ["First", "Second"]
    assert _statuses(db) == [EmailStatus.SENT, EmailStatus.SENT]


def test_a_stopping_worker_hands_its_unsent_batch_back(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    _queue(db, "First")
    _queue(db, "Second")
    url = db.url.render_as_string(hide_password=False)
    stop = threading.Event()
    stop.set()
    config = mail_config(smtp_server, url, tmp_path)
    assert send_due_emails(db, config, worker_id="stopping", stop=stop) == 0
    assert smtp_server.messages == []
    assert _statuses(db) == [EmailStatus.PENDING, EmailStatus.PENDING]
    # The next worker finds them at once, without waiting for a claim to time out.
    assert send_due_emails(db, config, worker_id="next") == 2


def test_sigterm_stops_a_running_worker_cleanly(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    url = db.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        **smtp_server.env(),
        "DATABASE_URL": url,
        "ROLLBOOK_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
    }
    _queue(db, "Before stop")
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        smtp_server.wait_for(1, timeout=30)
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, err
    assert "stopped" in err
    assert [str(m["Subject"]) for m in smtp_server.messages] == ["Before stop"]
    _queue(db, "After stop")
    assert _statuses(db) == [EmailStatus.SENT, EmailStatus.PENDING]
