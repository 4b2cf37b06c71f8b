"""Several workers at once never send one email twice, and never skip one."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from domain.db.database import Database
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import Email, queue_email
from domain.outbox.worker import send_due_emails
from domain.rules.settings import Settings
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

EMAILS = 60
WORKERS = 4


def _queue_many(db: Database) -> None:
    with db.write() as session:
        for n in range(EMAILS):
            email = Email(
                kind="test",
                to_address=f"student{n}@example.org",
                to_name=f"Student {n}",
                subject=f"Message {n}",
                body_text=f"Body {n}",
            )
            queue_email(session, email, Settings())
        session.commit()


def test_parallel_workers_send_each_email_exactly_once(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    _queue_many(db)
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    start = threading.Barrier(WORKERS)
    sent_by: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(worker_id: str) -> None:
        try:
            start.wait()
            total = 0
            while True:
                # Small batches so the workers' claims interleave many times.
                sent = send_due_emails(db, config, limit=3, worker_id=worker_id)
                if sent == 0:
                    break
                total += sent
            sent_by[worker_id] = total
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    subjects = Counter(str(m["Subject"]) for m in smtp_server.messages)
    assert len(subjects) == EMAILS
    assert set(subjects.values()) == {1}
    assert sum(sent_by.values()) == EMAILS
    # More than one worker did real work: the claims really ran side by side.
    assert sum(1 for n in sent_by.values() if n > 0) > 1
    with db.read() as session:
        statuses = dict(
            session.execute(
                select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)
            ).all()
        )
    assert statuses == {EmailStatus.SENT: EMAILS}
