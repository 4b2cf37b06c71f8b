"""Login throttling: repeated failures lock an account or an address for a while."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from domain.clock import utcnow
from domain.db.database import Database
from domain.model import StaffUser
from domain.rules import login_throttle as rules
from domain.services.staff import LoginFailed, LoginLocked, authenticate
from tests.admin.conftest import PASSWORD, AdminClient

LOCKED = "Too many failed sign-ins. Try again in 15 minutes."


def _sign_in(client: AdminClient, username: str, password: str) -> httpx.Response:
    return client.submit(
        "/admin/login", {"username": username, "password": password}, follow_redirects=False
    )


def test_five_failures_lock_the_account_with_a_clear_message(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    for _ in range(rules.ACCOUNT_LIMIT - 1):
        assert _sign_in(anonymous_client, "alice", "guess").status_code == 400

    fifth = _sign_in(anonymous_client, "alice", "guess")
    with_right_password = _sign_in(anonymous_client, "alice", PASSWORD)

    assert fifth.status_code == 429
    assert LOCKED in fifth.text
    assert with_right_password.status_code == 429
    assert LOCKED in with_right_password.text


def test_the_lock_ends_after_fifteen_minutes(
    db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    start = utcnow()
    for _ in range(rules.ACCOUNT_LIMIT - 1):
        with pytest.raises(LoginFailed):
            authenticate(db, "alice", "guess", address="10.0.0.1", now=start)
    with pytest.raises(LoginLocked, match="Try again in 15 minutes"):
        authenticate(db, "alice", "guess", address="10.0.0.1", now=start)
    with pytest.raises(LoginLocked, match=r"Try again in 1 minute\."):
        authenticate(db, "alice", PASSWORD, address="10.0.0.1", now=start + timedelta(minutes=14))

    user = authenticate(
        db, "alice", PASSWORD, address="10.0.0.1", now=start + timedelta(minutes=15)
    )

    assert user.username == "alice"


def test_failures_from_one_address_lock_it_for_every_account(
    db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    for attempt in range(rules.ADDRESS_LIMIT - 1):
        with pytest.raises(LoginFailed):
            authenticate(db, f"someone{attempt}", "guess", address="203.0.113.9")
    with pytest.raises(LoginLocked):
        authenticate(db, "someone-else", "guess", address="203.0.113.9")

    with pytest.raises(LoginLocked):
        authenticate(db, "alice", PASSWORD, address="203.0.113.9")
    assert authenticate(db, "alice", PASSWORD, address="198.51.100.7").username == "alice"


def test_a_successful_sign_in_clears_the_accounts_failures(
    db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    for _ in range(rules.ACCOUNT_LIMIT - 1):
        with pytest.raises(LoginFailed):
            authenticate(db, "alice", "guess", address=f"10.0.0.{_}")
    authenticate(db, "alice", PASSWORD, address="10.0.1.1")

    with pytest.raises(LoginFailed):
        authenticate(db, "alice", "guess", address="10.0.1.2")


def test_old_failures_are_forgotten() -> None:
    start = utcnow()
    state = None
    for _ in range(rules.ACCOUNT_LIMIT - 1):
        state = rules.after_failure(state, "account:alice", now=start)

    later = rules.after_failure(state, "account:alice", now=start + rules.LOCK_DURATION)

    assert later.failures == 1
    assert rules.locked_for(later, now=start + rules.LOCK_DURATION) is None


@pytest.mark.parametrize(
    ("remaining", "message"),
    [
        (timedelta(minutes=15), "Try again in 15 minutes."),
        (timedelta(seconds=61), "Try again in 2 minutes."),
        (timedelta(seconds=5), "Try again in 1 minute."),
    ],
)
def test_lock_message_rounds_the_wait_up_to_whole_minutes(
    remaining: timedelta, message: str
) -> None:
    assert rules.lock_message(remaining) == f"Too many failed sign-ins. {message}"


def test_simultaneous_failures_are_all_counted(
    db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")

    def fail(n: int) -> str:
        try:
            authenticate(db, "alice", f"guess {n}", address=f"10.0.2.{n}")
        except (LoginFailed, LoginLocked) as refused:
            return type(refused).__name__
        return "signed in"

    with ThreadPoolExecutor(max_workers=rules.ACCOUNT_LIMIT) as pool:
        outcomes = list(pool.map(fail, range(rules.ACCOUNT_LIMIT)))

    assert sorted(set(outcomes)) <= ["LoginFailed", "LoginLocked"]
    with pytest.raises(LoginLocked):
        authenticate(db, "alice", PASSWORD, address="10.0.3.1")
