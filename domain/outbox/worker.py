"""The background worker: sends the email outbox and runs the periodic jobs.

Delivery is at least once. A row is claimed (status ``sending``, who, when) and
committed before the SMTP conversation, so several workers never pick the same
row; a worker that dies mid-send leaves its claim behind, and after
``CLAIM_TIMEOUT`` another worker takes the row again, so nothing is lost.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update

from domain.clock import utcnow
from domain.config import Config
from domain.db.database import Database
from domain.db.tables import outgoing_emails
from domain.enums import EmailStatus
from domain.model import OutgoingEmail
from domain.outbox import redact_link_tokens
from domain.outbox.mailer import PermanentFailure, ServerUnavailable, mailer_for
from domain.services.payment_nudges import queue_payment_nudges
from domain.services.payments import expire_payment_holds
from domain.services.reminders import queue_class_reminders
from domain.services.retention import erase_inactive_students
from domain.services.waitlist_offers import expire_offers

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)
FIRST_RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
_MAX_ERROR_LENGTH = 2000
_RECLAIMED_NOTE = "A worker stopped while sending this message; it is being sent again."
_GAVE_UP_NOTE = f"Workers stopped while sending this message {MAX_ATTEMPTS} times; gave up."


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most an hour."""
    delay: timedelta = FIRST_RETRY_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_RETRY_DELAY)


def default_worker_id() -> str:
    """Names this worker in ``claimed_by``: host, process and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:100]


def claim_due_emails(
    db: Database, *, now: datetime, limit: int, worker_id: str
) -> list[OutgoingEmail]:
    """Mark up to ``limit`` due rows as being sent by ``worker_id`` and commit the claim.

    Due means pending and past ``next_attempt_at``, or claimed longer than
    ``CLAIM_TIMEOUT`` ago by a worker that never finished. On PostgreSQL rows
    another worker is claiming are skipped (``FOR UPDATE SKIP LOCKED``); on
    SQLite the write transaction itself (``BEGIN IMMEDIATE``) keeps claims apart.
    """
    status = outgoing_emails.c.status
    due = or_(
        and_(status == EmailStatus.PENDING, outgoing_emails.c.next_attempt_at <= now),
        and_(status == EmailStatus.SENDING, outgoing_emails.c.claimed_at <= now - CLAIM_TIMEOUT),
    )
    query = (
        select(OutgoingEmail)
        .where(due)
        .order_by(outgoing_emails.c.next_attempt_at, outgoing_emails.c.id)
        .limit(limit)
    )
    if not db.is_sqlite:
        query = query.with_for_update(skip_locked=True)
    with db.write() as session:
        claimed = []
        for row in session.scalars(query):
            if row.status == EmailStatus.SENDING and not _reclaim(row, now=now):
                continue
            row.status = EmailStatus.SENDING
            row.claimed_by = worker_id
            row.claimed_at = now
            claimed.append(row)
        session.commit()
    return claimed


def _reclaim(row: OutgoingEmail, *, now: datetime) -> bool:
    """Take back a row whose worker stopped while sending it; False once it has cost too many.

    The stop counts as an attempt: a message that kills the worker every time it
    is sent would otherwise be taken back every ``CLAIM_TIMEOUT`` forever.
    """
    log.warning("reclaiming email %s left by worker %s", row.id, row.claimed_by)
    row.attempts += 1
    if row.attempts < MAX_ATTEMPTS:
        row.last_error = _RECLAIMED_NOTE
        return True
    row.status = EmailStatus.FAILED
    row.last_error = _GAVE_UP_NOTE
    row.claimed_at = now
    for field, value in _redacted_bodies(row).items():
        setattr(row, field, value)
    return False


def send_due_emails(
    db: Database,
    config: Config,
    *,
    now: datetime | None = None,
    limit: int = 50,
    worker_id: str | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Send what is due; returns how many were sent.

    A failure is recorded on the row (``attempts``, ``last_error``) and retried
    later with a growing delay; after ``MAX_ATTEMPTS``, or at once when the
    server refuses the address, the row is ``failed``. When ``stop`` is set the
    rest of the batch is handed back unsent.
    """
    worker = worker_id or default_worker_id()
    claimed = claim_due_emails(db, now=now or utcnow(), limit=limit, worker_id=worker)
    sent = 0
    with mailer_for(config) as mailer:
        for index, email in enumerate(claimed):
            if stop is not None and stop.is_set():
                _release(db, claimed[index:], worker)
                break
            try:
                mailer.send(email)
            except ServerUnavailable as exc:
                # Each message would wait out the same failure: note it on all of
                # them now so they retry together after the backoff.
                for unsent in claimed[index:]:
                    _record_failure(db, unsent, worker, str(exc), now=now, permanent=False)
                break
            except PermanentFailure as exc:
                _record_failure(db, email, worker, str(exc), now=now, permanent=True)
            except Exception as exc:
                # Any failure, expected (network, SMTP) or not, is kept on the row
                # for staff to read, instead of leaving the claim to time out.
                error = f"{type(exc).__name__}: {exc}"
                _record_failure(db, email, worker, error, now=now, permanent=False)
            else:
                sent += _record_sent(db, email, worker, now=now)
    return sent


def _mine(email: OutgoingEmail, worker_id: str) -> Any:
    # Only the claimant may settle a row: if our claim timed out and another
    # worker took it over, the row is theirs now.
    return and_(
        outgoing_emails.c.id == email.id,
        outgoing_emails.c.status == EmailStatus.SENDING,
        outgoing_emails.c.claimed_by == worker_id,
    )


def _redacted_bodies(email: OutgoingEmail) -> dict[str, str]:
    # Link tokens are stored only as hashes: once a message is settled, the copy
    # kept for staff to read loses its working links (the recipient has them).
    return {
        "body_text": redact_link_tokens(email.body_text),
        "body_html": redact_link_tokens(email.body_html),
    }


def _record_sent(
    db: Database, email: OutgoingEmail, worker_id: str, *, now: datetime | None
) -> int:
    with db.write() as session:
        result = cast(
            "CursorResult[Any]",
            session.execute(
                update(outgoing_emails)
                .where(_mine(email, worker_id))
                .values(
                    status=EmailStatus.SENT,
                    sent_at=now or utcnow(),
                    attempts=email.attempts + 1,
                    **_redacted_bodies(email),
                )
            ),
        )
        session.commit()
    log.info("sent email %s (%s) to %s", email.id, email.kind, email.to_address)
    return 1 if result.rowcount == 1 else 0


def _record_failure(
    db: Database,
    email: OutgoingEmail,
    worker_id: str,
    error: str,
    *,
    now: datetime | None,
    permanent: bool,
) -> None:
    moment = now or utcnow()
    attempts = email.attempts + 1
    gave_up = permanent or attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {
        "attempts": attempts,
        "last_error": error[:_MAX_ERROR_LENGTH],
        "status": EmailStatus.FAILED if gave_up else EmailStatus.PENDING,
    }
    if gave_up:
        # Never to be sent: its links need not survive either.
        values.update(_redacted_bodies(email))
    else:
        values["next_attempt_at"] = moment + retry_delay(attempts)
    with db.write() as session:
        session.execute(update(outgoing_emails).where(_mine(email, worker_id)).values(**values))
        session.commit()
    log.warning(
        "email %s to %s %s after attempt %d: %s",
        email.id,
        email.to_address,
        "failed" if gave_up else "will be retried",
        attempts,
        error,
    )


def _release(db: Database, emails: list[OutgoingEmail], worker_id: str) -> None:
    with db.write() as session:
        for email in emails:
            session.execute(
                update(outgoing_emails)
                .where(_mine(email, worker_id))
                .values(status=EmailStatus.PENDING, claimed_by="", claimed_at=None)
            )
        session.commit()


def run_periodic_jobs(db: Database, *, now: datetime | None = None) -> dict[str, int]:
    """Expire unpaid payment holds and waitlist offers (each passes its seat on); queue
    the class reminders and payment nudges now due.

    Returns how many of each.
    """
    moment = now or utcnow()
    return {
        "payment_holds_expired": expire_payment_holds(db, now=moment),
        "offers_expired": expire_offers(db, now=moment),
        "students_erased": erase_inactive_students(db, now=moment),
        "class_reminders_queued": queue_class_reminders(db, now=moment),
        "payment_nudges_queued": queue_payment_nudges(db, now=moment),
    }


def run_worker(
    config: Config,
    *,
    once: bool = False,
    worker_id: str | None = None,
    poll_seconds: float = 5.0,
    stop: threading.Event | None = None,
) -> None:
    """Run the periodic jobs and send email until SIGTERM or SIGINT (or one round if ``once``).

    A signal, or setting ``stop``, lets the message being sent finish; the rest
    of its batch goes back to the outbox for the next worker.
    """
    worker = worker_id or default_worker_id()
    stop = stop or threading.Event()
    restore = _stop_on_signals(stop)
    # Expired holds and offers offer seats on: their emails link to BASE_URL.
    db = Database.from_config(config)
    log.info("worker %s started", worker)
    try:
        while not stop.is_set():
            busy = _one_round(db, config, worker, stop)
            if once:
                break
            if not busy:
                stop.wait(poll_seconds)
    finally:
        restore()
        db.dispose()
        log.info("worker %s stopped", worker)


class EmbeddedWorker:
    """``run_worker`` on a thread of a web process.

    The quick start then sends its email without a second command:
    ``rollbook.asgi`` runs one in development when there is no SMTP server.
    """

    def __init__(self, config: Config, *, poll_seconds: float = 2.0) -> None:
        self._stop = threading.Event()
        # A daemon thread: should it ever hang, it cannot keep the server from exiting.
        self._thread = threading.Thread(
            target=run_worker,
            args=(config,),
            kwargs={"poll_seconds": poll_seconds, "stop": self._stop},
            name="rollbook-worker",
            daemon=True,
        )

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop after the message being delivered; True once the thread has ended."""
        self._stop.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()


def _one_round(db: Database, config: Config, worker_id: str, stop: threading.Event) -> bool:
    """One pass of jobs and sending; True when a full batch suggests more is waiting."""
    batch = 50
    try:
        expired = run_periodic_jobs(db)
        if any(expired.values()):
            log.info("periodic jobs: %s", expired)
    except Exception:
        # Logged, then retried next round: a database hiccup must not end the worker.
        log.exception("periodic jobs failed")
    try:
        sent = send_due_emails(db, config, limit=batch, worker_id=worker_id, stop=stop)
    except Exception:
        log.exception("sending email failed")
        return False
    return sent >= batch


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGTERM and SIGINT set ``stop``; returns a function that undoes it."""
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may handle signals; a worker run in a thread
        # (tests, embedding) is stopped through its own means.
        return lambda: None

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the current message", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
