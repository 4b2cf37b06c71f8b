"""A request waiting on the database never stalls the other visitors of its process.

The combined app runs in one uvicorn server (one process, one event loop) on
PostgreSQL. Another connection holds a lock that a request needs, as a slow
booking or a migration would; while that request waits, ``/health`` on the same
server must still answer at once. Were the waiting request's database call made
on the event loop, every other request of the process would wait with it.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select, text

from domain.actors import Actor
from domain.clock import utcnow
from domain.config import load_config
from domain.db.database import Database
from domain.enums import LinkPurpose
from domain.link_tokens import issue_link
from domain.model import Registration, School, WaitlistEntry
from domain.services.registration import StudentDetails, register_student
from rollbook.asgi import create_app
from tests.public.factories import full_course_with_offer, make_course

#: How long the other transaction keeps its lock at most: until the test has
#: measured, or until then, were ``/health`` stuck behind the waiting request.
MAX_HOLD_SECONDS = 5.0
#: What a visitor waits for ``/health`` at most while another request waits on a lock.
HEALTH_BUDGET_SECONDS = 0.1
HEALTH_PROBES = 5
SECRET_KEY = "event-loop-test-secret-key-0123456789abcdef"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


@pytest.fixture
def server_url(db: Database, tmp_path: Path) -> Iterator[str]:
    """The combined app served by uvicorn in a thread of this process, on ``db``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = load_config(
        {
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": url,
        }
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(config, db), log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@contextmanager
def lock_held(db: Database, statement: str) -> Iterator[None]:
    """Another transaction runs ``statement`` (a lock) and keeps it for the block, or less."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text(statement))
            locked.set()
            release.wait(MAX_HOLD_SECONDS)

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10), "the lock was not taken"
    try:
        yield
    finally:
        release.set()
        holder.join()


def wait_until_someone_waits_on_a_lock(db: Database) -> None:
    deadline = time.monotonic() + MAX_HOLD_SECONDS / 2
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
            conn.rollback()  # the next look reads a fresh pg_stat_activity
            if waiting:
                return
            time.sleep(0.01)
    raise AssertionError("the request never waited on the lock")


@pytest.fixture
def probe(server_url: str) -> Iterator[httpx.Client]:
    """A client of ``/health`` whose connection is open before any lock is taken."""
    with httpx.Client(base_url=server_url, timeout=30) as client:
        assert client.get("/health").status_code == 200
        yield client


def health_latencies(probe: httpx.Client) -> list[float]:
    """Seconds each of a few ``/health`` calls took."""
    latencies = []
    for _ in range(HEALTH_PROBES):
        started = time.perf_counter()
        response = probe.get("/health")
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200
        time.sleep(0.05)
    return latencies


@dataclass
class Submission:
    """A form a visitor sends, the page it came from, and the course lock it needs."""

    path: str
    form_page: str
    data: dict[str, str]
    course_id: int


def _send_while_locked(
    url: str, db: Database, submission: Submission, probe: httpx.Client
) -> tuple[httpx.Response, list[float]]:
    """Send ``submission`` while the course row is locked; probe ``/health`` as it waits."""
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get(submission.form_page)
        found = _CSRF.search(page.text)
        assert found, f"no form on {submission.form_page}"
        data = {"csrf_token": found.group(1), **submission.data}
        answers: list[httpx.Response] = []
        lock = f"SELECT id FROM courses WHERE id = {submission.course_id} FOR UPDATE"
        with lock_held(db, lock):
            sender = threading.Thread(
                target=lambda: answers.append(client.post(submission.path, data=data))
            )
            sender.start()
            wait_until_someone_waits_on_a_lock(db)
            latencies = health_latencies(probe)
        sender.join()
    return answers[0], latencies


def _student(email: str) -> dict[str, str]:
    return {"email": email, "first_name": "Wes", "last_name": "Waiter", "phone": "555-0100"}


def waitlist_join(db: Database) -> Submission:
    course_id = make_course(db, capacity=1)
    register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    return Submission(
        f"/courses/{course_id}/waitlist",
        f"/courses/{course_id}",
        _student("wes@example.com"),
        course_id,
    )


def offer_claim(db: Database) -> Submission:
    course_id, token = full_course_with_offer(db)
    return Submission(f"/offers/{token}/claim", f"/offers/{token}/claim", {}, course_id)


def cancel_link(db: Database) -> Submission:
    course_id = make_course(db)
    outcome = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="maya@example.com", first_name="Maya"),
        actor=Actor.public("198.51.100.1"),
    )
    with db.write() as session:
        token = issue_link(
            session,
            purpose=LinkPurpose.CANCEL_REGISTRATION,
            registration_id=outcome.registration_id,
            ttl=timedelta(days=30),
            now=utcnow(),
        )
        session.commit()
    page = f"/registrations/cancel/{token}"
    return Submission(page, page, {}, course_id)


def school_signup(db: Database) -> Submission:
    course_id = make_course(db, title="Teacher training", package_price=None, school_signup=True)
    data = {
        "course": str(course_id),
        "school_choice": "new",
        "school_name": "Lincoln High",
        "location": "Springfield",
        "contact_name": "Pat Principal",
        "contact_email": "pat@lincoln.example",
        "participants-0-name": "Ada Teacher",
    }
    return Submission("/signup/", "/signup/", data, course_id)


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _cancelled(db: Database) -> int:
    with db.read() as session:
        cancelled = Registration.cancelled_at.is_not(None)  # type: ignore[union-attr]
        return int(session.scalar(select(func.count()).where(cancelled)) or 0)


#: Each flow, and what its visitor finds once the lock is released.
FLOWS: dict[str, tuple[Callable[[Database], Submission], Callable[[Database], bool]]] = {
    "waitlist join": (waitlist_join, lambda db: _count(db, WaitlistEntry) == 1),
    "offer claim": (offer_claim, lambda db: _count(db, Registration) == 2),
    "cancel link": (cancel_link, lambda db: _cancelled(db) == 1),
    "school sign-up": (school_signup, lambda db: _count(db, School) == 1),
}


def _in_ms(latencies: list[float]) -> str:
    return f"/health took {[round(s * 1000) for s in latencies]} ms"


@pytest.mark.parametrize("flow", FLOWS)
def test_health_answers_at_once_while_a_form_waits_for_the_course_lock(
    db: Database, server_url: str, probe: httpx.Client, flow: str
) -> None:
    make_submission, done = FLOWS[flow]
    submission = make_submission(db)
    answer, latencies = _send_while_locked(server_url, db, submission, probe)
    assert max(latencies) < HEALTH_BUDGET_SECONDS, _in_ms(latencies)
    # The form itself waited for the lock, then went through.
    assert answer.status_code == 303, answer.text
    assert done(db)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/courses/{course_id}", 200),
        ("/signup/", 200),
        ("/registrations/received", 200),
        ("/no-such-page", 404),
    ],
)
def test_health_answers_at_once_while_a_page_waits_for_the_settings(
    db: Database, server_url: str, probe: httpx.Client, path: str, status: int
) -> None:
    # Every page shows the organisation's name from the settings, the missing
    # page included. A migration altering that table locks out even readers.
    course_id = make_course(db)
    answers: list[httpx.Response] = []
    with lock_held(db, "LOCK TABLE settings IN ACCESS EXCLUSIVE MODE"):
        getter = threading.Thread(
            target=lambda: answers.append(
                httpx.get(server_url + path.format(course_id=course_id), timeout=30)
            )
        )
        getter.start()
        wait_until_someone_waits_on_a_lock(db)
        latencies = health_latencies(probe)
    getter.join()
    assert max(latencies) < HEALTH_BUDGET_SECONDS, _in_ms(latencies)
    assert answers[0].status_code == status
