"""The embedded default delivers email: without an SMTP server, in development,
the combined app runs the outbox worker while it runs and delivers to the local
mailbox, whose copies keep their working links."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from domain.config import Config, load_config
from domain.db.database import Database
from domain.enums import EmailStatus
from domain.outbox import REDACTED_TOKEN
from domain.outbox.local_mailbox import LocalMailbox, MailboxMessage
from rollbook.asgi import create_app
from tests.public.factories import emails, make_course, register_via_site

SECRET_KEY = "local-mailbox-test-secret-key-0123456789abcdef"
BASE_URL = "http://testserver"
_CANCEL_LINK = re.compile(re.escape(BASE_URL) + r"/registrations/cancel/[A-Za-z0-9_-]+")


def _config(db: Database, data_dir: Path, **env: str) -> Config:
    return load_config(
        {
            "ROLLBOOK_DATA_DIR": str(data_dir),
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": BASE_URL,
            **env,
        }
    )


def _worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "rollbook-worker"]


def _wait_for_message(mailbox: LocalMailbox, timeout: float = 20.0) -> MailboxMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = mailbox.entries()
        if entries:
            return mailbox.message(entries[0].key)
        time.sleep(0.1)
    raise AssertionError("no email reached the local mailbox")


def test_a_booking_lands_in_the_local_mailbox_with_a_cancel_link_that_works(
    db: Database, tmp_path: Path
) -> None:
    config = _config(db, tmp_path)
    course_id = make_course(db, title="Salsa Beginners")
    # The app opens the database itself, as served: its links go to the configured BASE_URL.
    app = create_app(config)
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as client:
        booked = register_via_site(client, course_id, email="maya@example.com")
        assert booked.status_code == 303, booked.text
        message = _wait_for_message(LocalMailbox(config.mailbox_dir))

        assert "maya@example.com" in message.entry.to
        assert "Salsa Beginners" in message.entry.subject
        link = _CANCEL_LINK.search(message.text)
        assert link, message.text
        assert link.group(0) in message.html
        cancel_page = client.get(link.group(0))
        assert cancel_page.status_code == 200
        assert "Salsa Beginners" in cancel_page.text
        assert "cancel" in cancel_page.text.lower()
    assert app.worker is not None and not app.worker.running, "the worker outlived the app"

    # The outbox's own copy is settled and has lost the token the mailbox keeps.
    (sent,) = emails(db)
    assert sent.status == EmailStatus.SENT
    assert link.group(0) not in sent.body_text
    assert REDACTED_TOKEN in sent.body_text


@pytest.mark.parametrize(
    "env",
    [
        {"SMTP_HOST": "127.0.0.1"},
        {"ROLLBOOK_ENV": "production", "BASE_URL": "https://rollbook.example.org"},
    ],
    ids=["smtp-host-set", "production"],
)
def test_with_a_mail_server_or_in_production_the_app_runs_no_worker(
    db: Database, tmp_path: Path, env: dict[str, str]
) -> None:
    config = _config(db, tmp_path, **env)
    assert not config.uses_local_mailbox
    app = create_app(config, db)
    assert app.worker is None
    with TestClient(app, base_url=env.get("BASE_URL", BASE_URL)):
        assert _worker_threads() == []
    assert not config.mailbox_dir.exists()


def test_the_worker_starts_with_the_app_and_stops_with_it(db: Database, tmp_path: Path) -> None:
    app = create_app(_config(db, tmp_path), db)
    assert _worker_threads() == []
    with TestClient(app, base_url=BASE_URL) as client:
        assert len(_worker_threads()) == 1
        assert client.get("/health").status_code == 200
    assert _worker_threads() == []
