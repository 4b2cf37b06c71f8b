"""PostgreSQL restarts while visitors are signing up through the public site.

The public site runs under uvicorn in a subprocess against a cluster of its own;
threads sign students up over HTTP while the cluster is restarted
(``pg_ctl restart -m fast`` cuts every connection). Requests caught by the
restart may fail, but every sign-up the site acknowledged must be stored exactly
once, and the site must serve sign-ups again without being restarted itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bench.servers import AppServer, PgCluster, app_environment
from domain.db import tables as t
from domain.db.database import Database
from tests.fault.conftest import CSRF
from tests.public.factories import make_course

pytestmark = pytest.mark.fault

CLIENTS = 8
MIN_BEFORE_RESTART = 40
MIN_AFTER_RESTART = 24
#: Requests begun this long after the restart finished must all succeed.
RECOVERY_GRACE = 1.0


@dataclass
class Attempt:
    email: str
    started: float
    status: int | None  # None: the connection itself failed


@dataclass
class Load:
    attempts: list[Attempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def _booking_client(base_url: str, course_id: int) -> tuple[httpx.Client, str]:
    """A browser-like client holding the CSRF cookie, and the form's token."""
    client = httpx.Client(base_url=base_url, timeout=20)
    page = client.get(f"/courses/{course_id}")
    token = CSRF.search(page.text)
    assert token, f"the course page has no booking form ({page.status_code})"
    return client, token.group(1)


def _sign_up_until_stopped(
    client: httpx.Client, token: str, course_id: int, client_no: int, load: Load
) -> None:
    try:
        for n in range(100_000):  # bounded; the stop event ends it long before
            if load.stop.is_set():
                return
            email = f"fault-{client_no}-{n}@example.com"
            started = time.monotonic()
            try:
                response = client.post(
                    f"/courses/{course_id}/register",
                    data={
                        "csrf_token": token,
                        "email": email,
                        "first_name": "Fault",
                        "last_name": f"Tester {client_no}-{n}",
                        "pricing_type": "full_package",
                    },
                    # Each sign-up from an address of its own, as many visitors would be,
                    # so the per-address rate limit does not cut the load short.
                    headers={"X-Forwarded-For": f"10.{client_no}.{n // 250}.{n % 250 + 1}"},
                )
                status: int | None = response.status_code
            except httpx.HTTPError:
                status = None
            load.add(Attempt(email, started, status))
    finally:
        client.close()


def _wait_for_acknowledged(load: Load, count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with load.lock:
            if sum(a.status == 303 for a in load.attempts) >= count:
                return
        time.sleep(0.05)
    load.stop.set()
    raise AssertionError(f"fewer than {count} sign-ups succeeded before the restart")


def _wait_for_attempts_since(load: Load, since: float, count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with load.lock:
            if sum(a.started >= since for a in load.attempts) >= count:
                return
        time.sleep(0.05)


def test_signups_acknowledged_across_a_postgres_restart_are_stored_exactly_once(
    pg_cluster: PgCluster, cluster_database_url: str, tmp_path: Path
) -> None:
    db = Database(cluster_database_url)
    course_id = make_course(db, title="Hot Course", capacity=100_000)
    env = app_environment(cluster_database_url, tmp_path)
    load = Load()
    with AppServer("public_site.app:create_public_app", env, log_path=tmp_path / "app.log") as app:
        clients = [_booking_client(app.base_url, course_id) for _ in range(CLIENTS)]
        threads = [
            threading.Thread(target=_sign_up_until_stopped, args=(*clients[i], course_id, i, load))
            for i in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        _wait_for_acknowledged(load, MIN_BEFORE_RESTART, timeout=30)
        restart_began = time.monotonic()
        pg_cluster.restart()
        restart_done = time.monotonic()
        _wait_for_attempts_since(load, restart_done + RECOVERY_GRACE, MIN_AFTER_RESTART, timeout=60)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)
        # The same server process, never restarted, still answers.
        assert httpx.get(app.base_url + "/health", timeout=5).status_code == 200

    acknowledged = [a.email for a in load.attempts if a.status == 303]
    before = [a for a in load.attempts if a.started < restart_began and a.status == 303]
    after = [a for a in load.attempts if a.started >= restart_done + RECOVERY_GRACE]
    assert len(before) >= MIN_BEFORE_RESTART
    assert len(after) >= MIN_AFTER_RESTART, "too few sign-ups were tried after the restart"
    assert [a.status for a in after if a.status != 303] == [], (
        "sign-ups still failed well after PostgreSQL was back: the site did not recover"
    )

    with db.read() as session:
        per_email = dict(
            session.execute(
                select(t.students.c.email, func.count(t.registrations.c.id))
                .join(t.registrations, t.registrations.c.student_id == t.students.c.id)
                .group_by(t.students.c.email)
            ).all()
        )
    missing = [email for email in acknowledged if per_email.get(email, 0) == 0]
    duplicated = {email: n for email, n in per_email.items() if n != 1}
    assert missing == [], f"{len(missing)} acknowledged sign-ups were lost"
    assert duplicated == {}, "some sign-ups were stored more than once"
    # Nothing stored that no one asked for.
    assert set(per_email) <= {a.email for a in load.attempts}
    db.dispose()
