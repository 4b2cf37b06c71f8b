"""Sign-in throttling holds across app processes: bursts of sign-ins through two real servers.

Two uvicorn processes serve the app on one PostgreSQL database, and every
argon2 check they make is logged to a file (tests/integration/verification_counting_app.py),
so the tests count the password checks a burst really got, whichever process ran them.
Requests carry ``X-Forwarded-For``, which uvicorn trusts from 127.0.0.1, as a
reverse proxy would send it: each simulated browser gets an address of its own.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from bench.servers import AppServer, app_environment
from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import metadata
from domain.rules import login_throttle as rules
from domain.services.staff import create_staff_user
from tests.admin.conftest import PASSWORD, csrf_token_in
from tests.integration.verification_counting_app import LOG_VARIABLE

pytestmark = pytest.mark.postgres_only

BURST = 30
WRONG = "Wrong username or password."
LOCKED = "Too many failed sign-ins. Try again in 15 minutes."


@dataclass(frozen=True)
class Attempt:
    username: str
    password: str
    address: str


@dataclass
class Servers:
    apps: tuple[AppServer, AppServer]
    db: Database
    log: Path

    def checks(self) -> Counter[str]:
        """The password checks made so far, by outcome ("right" or "wrong")."""
        lines = self.log.read_text().split() if self.log.exists() else []
        return Counter(lines)


@pytest.fixture(scope="module")
def servers(
    make_pg_database: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    url = str(make_pg_database())  # type: ignore[operator]
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    data = tmp_path_factory.mktemp("throttle-servers")
    log = data / "verifications.log"
    env = app_environment(url, data, **{LOG_VARIABLE: str(log)})
    factory = "tests.integration.verification_counting_app:create_app"
    first = AppServer(factory, env, log_path=data / "first.log")
    second = AppServer(factory, env, log_path=data / "second.log")
    db = Database(url, pool_size=2)
    try:
        first.start()
        second.start()
        yield Servers((first, second), db, log)
    finally:
        first.stop()
        second.stop()
        db.dispose()


@pytest.fixture
def checks_from_now(servers: Servers) -> Servers:
    servers.log.unlink(missing_ok=True)
    return servers


def _staff_user(db: Database, username: str) -> None:
    create_staff_user(db, username=username, password=PASSWORD, actor=Actor.script("test"))


def _burst(servers: Servers, attempts: list[Attempt]) -> list[httpx.Response]:
    """Send every attempt at once, alternating between the two processes.

    Each attempt is its own browser: it fetches the sign-in form first (for the
    CSRF cookie and token), then all of them post together.
    """
    browsers: list[tuple[httpx.Client, str]] = []
    for number in range(len(attempts)):
        client = httpx.Client(base_url=servers.apps[number % 2].base_url, timeout=60)
        browsers.append((client, csrf_token_in(client.get("/admin/login").text)))
    start = threading.Barrier(len(attempts))

    def post(number: int) -> httpx.Response:
        client, token = browsers[number]
        attempt = attempts[number]
        form = {"username": attempt.username, "password": attempt.password, "csrf_token": token}
        start.wait()
        return client.post(
            "/admin/login",
            data=form,
            headers={"X-Forwarded-For": attempt.address},
            follow_redirects=False,
        )

    try:
        with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
            return list(pool.map(post, range(len(attempts))))
    finally:
        for client, _ in browsers:
            client.close()


def _statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


def test_thirty_simultaneous_wrong_passwords_get_five_checks_across_two_processes(
    checks_from_now: Servers,
) -> None:
    servers = checks_from_now
    _staff_user(servers.db, "burst")
    attempts = [Attempt("burst", f"guess {n}", f"10.1.0.{n}") for n in range(BURST)]

    responses = _burst(servers, attempts)

    assert servers.checks() == Counter(wrong=rules.ACCOUNT_LIMIT)
    # The fifth check is the one that locks: it says so, like every refusal after it.
    assert _statuses(responses) == {
        400: rules.ACCOUNT_LIMIT - 1,
        429: BURST - rules.ACCOUNT_LIMIT + 1,
    }
    assert sum(WRONG in r.text for r in responses) == rules.ACCOUNT_LIMIT - 1
    assert sum(LOCKED in r.text for r in responses) == BURST - rules.ACCOUNT_LIMIT + 1
    right = _burst(servers, [Attempt("burst", PASSWORD, "10.1.1.1")])
    assert right[0].status_code == 429
    assert LOCKED in right[0].text
    assert servers.checks() == Counter(wrong=rules.ACCOUNT_LIMIT)


def test_the_right_password_inside_a_burst_never_gets_a_server_error(servers: Servers) -> None:
    for round_no in range(3):
        servers.log.unlink(missing_ok=True)
        username = f"mixed{round_no}"
        _staff_user(servers.db, username)
        attempts = [Attempt(username, f"guess {n}", f"10.2.{round_no}.{n}") for n in range(BURST)]
        attempts.insert(round_no * 3, Attempt(username, PASSWORD, f"10.3.{round_no}.1"))

        responses = _burst(servers, attempts)

        statuses = _statuses(responses)
        assert set(statuses) <= {302, 400, 429}, [r.text[:300] for r in responses]
        assert statuses[302] <= 1
        # Never more checks than the same attempts one at a time in the order they
        # were counted: at most a limit of failures before the sign-in (which
        # clears them only if nothing was counted after it) and a limit after it.
        assert servers.checks()["wrong"] <= 2 * rules.ACCOUNT_LIMIT - 1


def test_thirty_simultaneous_attempts_from_one_address_get_ten_checks(
    checks_from_now: Servers,
) -> None:
    servers = checks_from_now
    _staff_user(servers.db, "office")
    attempts = [Attempt(f"guess{n}", "guess", "192.0.2.10") for n in range(BURST)]

    responses = _burst(servers, attempts)

    assert servers.checks() == Counter(wrong=rules.ADDRESS_LIMIT)
    assert _statuses(responses) == {
        400: rules.ADDRESS_LIMIT - 1,
        429: BURST - rules.ADDRESS_LIMIT + 1,
    }
    from_there = _burst(servers, [Attempt("office", PASSWORD, "192.0.2.10")])
    from_elsewhere = _burst(servers, [Attempt("office", PASSWORD, "192.0.2.11")])
    assert from_there[0].status_code == 429
    assert from_elsewhere[0].status_code == 302
