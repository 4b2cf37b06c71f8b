"""The worker is killed (SIGKILL) in the middle of a batch: no email is lost.

A real worker process sends to a slow SMTP server and is killed after a few
messages. Its claimed rows stay ``sending``; once the claim timeout has passed
the next worker takes them over and sends them. Delivery is at least once: the
one message on the wire when the worker died may arrive twice, never more.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bench.servers import ROOT, app_environment, free_port
from domain.clock import utcnow
from domain.config import Config, load_config
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import EmailStatus
from domain.outbox import Email, queue_email
from domain.outbox.worker import CLAIM_TIMEOUT, send_due_emails
from domain.services.settings import load_settings

pytestmark = pytest.mark.fault

EMAILS = 20
KILL_AFTER = 3
SECONDS_PER_MESSAGE = 0.3


class SlowSmtp:
    """An SMTP server that takes its time over each message, so a batch takes seconds."""

    def __init__(self) -> None:
        self.port = free_port()
        self.subjects: list[str] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        await asyncio.sleep(SECONDS_PER_MESSAGE)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.subjects.append(str(message["Subject"]))
        return "250 Message accepted for delivery"

    def received(self) -> list[str]:
        with self._lock:
            return list(self.subjects)


@pytest.fixture
def slow_smtp() -> Iterator[SlowSmtp]:
    server = SlowSmtp()
    server._controller.start()
    try:
        yield server
    finally:
        server._controller.stop()


def _worker_env(db: Database, smtp: SlowSmtp, data_dir: Path) -> dict[str, str]:
    return app_environment(
        db.url.render_as_string(hide_password=False),
        data_dir,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_TLS="none",
    )


def _queue(db: Database) -> None:
    with db.write() as session:
        settings = load_settings(session)
        for n in range(EMAILS):
            email = Email(
                kind="registration_received",
                to_address=f"student{n}@example.com",
                to_name=f"Student {n}",
                subject=f"Booking #{n}",
                body_text=f"Booking number {n}.",
            )
            queue_email(session, email, settings)
        session.commit()


def _statuses(db: Database) -> Counter[str]:
    with db.read() as session:
        return Counter(str(s) for s in session.scalars(select(t.outgoing_emails.c.status)))


def _wait_until(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for the worker")


def test_worker_killed_mid_batch_loses_no_email(
    db: Database, slow_smtp: SlowSmtp, tmp_path: Path
) -> None:
    _queue(db)
    env = _worker_env(db, slow_smtp, tmp_path)
    code = (
        "from domain.config import load_config; from domain.outbox.worker import run_worker; "
        "run_worker(load_config())"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    try:
        _wait_until(lambda: len(slow_smtp.received()) >= KILL_AFTER, timeout=60)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    left_claimed = _statuses(db)[EmailStatus.SENDING.value]
    assert left_claimed > 0, "the worker was killed after its batch, not in the middle"

    config: Config = load_config(env)
    # A new worker right away leaves the dead worker's claims alone (it might still be
    # sending them) ...
    assert send_due_emails(db, config, now=utcnow()) == 0
    # ... and takes them over once the claim timeout has passed.
    later = utcnow() + CLAIM_TIMEOUT + timedelta(minutes=1)
    for _ in range(3):
        send_due_emails(db, config, now=later)
    assert _statuses(db) == Counter({EmailStatus.SENT.value: EMAILS}), "an email was lost"
    received = Counter(slow_smtp.received())
    assert set(received) == {f"Booking #{n}" for n in range(EMAILS)}
    twice = [subject for subject, n in received.items() if n > 1]
    assert len(twice) <= 1 and max(received.values()) <= 2, (
        "only the message on the wire when the worker died may arrive twice"
    )
