"""Login throttling: repeated failures lock an account or an address for a while.

The rules themselves are unit-tested in tests/unit/test_rules_login_throttle.py;
here they run through ``authenticate`` on SQLite and PostgreSQL, with bursts of
simultaneous attempts. ``checks`` counts the argon2 verifications really made.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpx
import pytest

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.model import StaffUser
from domain.rules import login_throttle as rules
from domain.services import staff
from domain.services.staff import LoginFailed, LoginLocked, authenticate
from tests.admin.conftest import PASSWORD, AdminClient

LOCKED = "Too many failed sign-ins. Try again in 15 minutes."
BURST = 30


class Checks:
    """Counts the password verifications ``authenticate`` makes, by outcome."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: Counter[str] = Counter()
        self._lock = threading.Lock()
        #: Set it to hold every check of ``PASSWORD`` until ``release`` is set.
        self.hold_right = False
        self.right_is_checking = threading.Event()
        self.release = threading.Event()
        verify = staff.verify_password

        def counted(password_hash: str, password: str) -> bool:
            if self.hold_right and password == PASSWORD:
                self.right_is_checking.set()
                assert self.release.wait(timeout=60)
            right = verify(password_hash, password)
            with self._lock:
                self.made["right" if right else "wrong"] += 1
            return right

        monkeypatch.setattr(staff, "verify_password", counted)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Checks:
    return Checks(monkeypatch)


def _outcome(db: Database, username: str, password: str, address: str) -> str:
    try:
        authenticate(db, username, password, address=address)
    except (LoginFailed, LoginLocked) as refused:
        return type(refused).__name__
    return "signed in"


def _burst(db: Database, attempts: list[tuple[str, str, str]]) -> Counter[str]:
    """Run every (username, password, address) attempt at once; the outcomes, counted."""
    start = threading.Barrier(len(attempts))

    def attempt(number: int) -> str:
        start.wait()
        return _outcome(db, *attempts[number])

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return Counter(pool.map(attempt, range(len(attempts))))


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


def test_the_current_password_on_the_password_page_is_throttled_like_a_sign_in(
    staff_client: AdminClient, checks: Checks
) -> None:
    def change(current: str) -> httpx.Response:
        form = {"current_password": current, "new_password": "x" * 12, "repeat_password": "x" * 12}
        return staff_client.submit("/admin/account/password", form, follow_redirects=False)

    wrong = [change(f"guess {n}") for n in range(rules.ACCOUNT_LIMIT)]
    with_right_password = change(PASSWORD)

    assert [r.status_code for r in wrong] == [400] * (rules.ACCOUNT_LIMIT - 1) + [429]
    assert with_right_password.status_code == 429
    assert LOCKED in with_right_password.text
    assert checks.made == Counter(wrong=rules.ACCOUNT_LIMIT)


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


def test_thirty_simultaneous_wrong_passwords_for_one_account_get_five_checks(
    db: Database, make_staff_user: Callable[..., StaffUser], checks: Checks
) -> None:
    make_staff_user("alice")

    outcomes = _burst(db, [("alice", f"guess {n}", f"10.0.4.{n}") for n in range(BURST)])

    assert checks.made == Counter(wrong=rules.ACCOUNT_LIMIT)
    # The fifth check locks the account and says so, like every refusal after it.
    assert outcomes == Counter(
        LoginFailed=rules.ACCOUNT_LIMIT - 1, LoginLocked=BURST - rules.ACCOUNT_LIMIT + 1
    )
    assert _outcome(db, "alice", PASSWORD, "10.0.5.1") == "LoginLocked"
    assert checks.made == Counter(wrong=rules.ACCOUNT_LIMIT)


def test_thirty_simultaneous_attempts_from_one_address_get_ten_checks(
    db: Database, make_staff_user: Callable[..., StaffUser], checks: Checks
) -> None:
    make_staff_user("alice")

    outcomes = _burst(db, [(f"someone{n}", "guess", "203.0.113.7") for n in range(BURST)])

    assert checks.made == Counter(wrong=rules.ADDRESS_LIMIT)
    assert outcomes == Counter(
        LoginFailed=rules.ADDRESS_LIMIT - 1, LoginLocked=BURST - rules.ADDRESS_LIMIT + 1
    )
    assert _outcome(db, "alice", PASSWORD, "203.0.113.7") == "LoginLocked"
    assert _outcome(db, "alice", PASSWORD, "203.0.113.8") == "signed in"


def test_a_success_inside_a_burst_gives_back_only_its_own_attempt(
    db: Database, make_staff_user: Callable[..., StaffUser], checks: Checks
) -> None:
    make_staff_user("alice")
    checks.hold_right = True
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Alice's right password is counted first, and still being checked while
        # a burst of wrong ones arrives: the burst gets the rest of the limit only.
        alice = pool.submit(_outcome, db, "alice", PASSWORD, "10.0.6.1")
        assert checks.right_is_checking.wait(timeout=30)
        burst = _burst(db, [("alice", f"guess {n}", f"10.0.7.{n}") for n in range(BURST)])
        checks.release.set()

        assert alice.result(timeout=30) == "signed in"
    assert checks.made == Counter(right=1, wrong=rules.ACCOUNT_LIMIT - 1)
    assert burst == Counter(
        LoginFailed=rules.ACCOUNT_LIMIT - 2, LoginLocked=BURST - rules.ACCOUNT_LIMIT + 2
    )
    # Her sign-in did not clear the failures counted after it, so one more guess
    # is checked (the one she gave back) and the account is locked again.
    assert _outcome(db, "alice", "guess again", "10.0.8.1") == "LoginLocked"
    assert _outcome(db, "alice", "and again", "10.0.8.2") == "LoginLocked"
    assert checks.made == Counter(right=1, wrong=rules.ACCOUNT_LIMIT)


def _stored(db: Database) -> dict[str, rules.ThrottleState]:
    with db.read() as session:
        rows = session.execute(t.login_throttles.select()).all()
    return {r.key: rules.ThrottleState(r.failures, r.locked_until, r.updated_at) for r in rows}


def _expected(
    states: dict[str, rules.ThrottleState], keys: tuple[str, str], right: bool, now: datetime
) -> str:
    """What the rules say one attempt does to ``states`` (changed in place), and its outcome."""
    if not all(rules.may_attempt(states.get(key), key, now=now) for key in keys):
        return "LoginLocked"
    reserved = {key: rules.after_attempt(states.get(key), key, now=now) for key in keys}
    states.update(reserved)
    if not right:
        locked = any(rules.locked_for(state, now=now) for state in reserved.values())
        return "LoginLocked" if locked else "LoginFailed"
    for key, mine in reserved.items():
        after = rules.after_success(states[key], mine, key)
        if after is None:
            del states[key]
        else:
            states[key] = after
    return "signed in"


def test_the_stored_counts_follow_the_rules_attempt_by_attempt(
    db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    start = utcnow()
    keys = (rules.account_key("alice"), rules.address_key("10.0.9.1"))
    schedule = [(0, False), (1, False), (2, True), (20, False), (21, False), (22, False)]
    schedule += [(23, False), (24, False), (30, True), (38, False), (39, True), (40, False)]
    states: dict[str, rules.ThrottleState] = {}

    for minute, right in schedule:
        now = start + timedelta(minutes=minute)
        expected = _expected(states, keys, right, now)
        password = PASSWORD if right else "guess"
        try:
            authenticate(db, "alice", password, address="10.0.9.1", now=now)
            outcome = "signed in"
        except (LoginFailed, LoginLocked) as refused:
            outcome = type(refused).__name__

        assert (minute, outcome) == (minute, expected)
        assert _stored(db) == states
