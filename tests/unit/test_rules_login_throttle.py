"""Sign-in throttling rules: attempts counted before their check, locks, and what a success does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.rules import login_throttle as rules
from domain.rules.login_throttle import ThrottleState

NOW = datetime(2030, 3, 1, 12, tzinfo=UTC)
ACCOUNT = "account:alice"
ADDRESS = "address:203.0.113.9"


def _counted(times: int, key: str = ACCOUNT, now: datetime = NOW) -> ThrottleState | None:
    state = None
    for _ in range(times):
        assert rules.may_attempt(state, key, now=now)
        state = rules.after_attempt(state, key, now=now)
    return state


def test_an_account_may_have_five_attempts_checked_and_no_sixth() -> None:
    state = _counted(rules.ACCOUNT_LIMIT)

    assert not rules.may_attempt(state, ACCOUNT, now=NOW + timedelta(minutes=14))


def test_an_address_may_have_more_attempts_checked_than_an_account() -> None:
    state = _counted(rules.ADDRESS_LIMIT, ADDRESS)

    assert rules.ADDRESS_LIMIT > rules.ACCOUNT_LIMIT
    assert not rules.may_attempt(state, ADDRESS, now=NOW)


def test_the_attempt_that_reaches_the_limit_locks_for_fifteen_minutes() -> None:
    before = _counted(rules.ACCOUNT_LIMIT - 1)
    assert before is not None and rules.locked_for(before, now=NOW) is None

    at_limit = rules.after_attempt(before, ACCOUNT, now=NOW)

    assert rules.locked_for(at_limit, now=NOW) == timedelta(minutes=15)
    assert rules.locked_for(at_limit, now=NOW + timedelta(minutes=15)) is None


def test_an_attempt_that_waited_for_the_lock_to_begin_is_told_fifteen_minutes() -> None:
    locked = _counted(rules.ACCOUNT_LIMIT, now=NOW + timedelta(milliseconds=300))

    remaining = rules.locked_for(locked, now=NOW)

    assert remaining == rules.LOCK_DURATION
    assert remaining is not None and rules.lock_message(remaining).endswith("15 minutes.")


def test_old_failures_are_forgotten() -> None:
    start = NOW
    state = _counted(rules.ACCOUNT_LIMIT - 1, now=start)

    later = rules.after_attempt(state, ACCOUNT, now=start + rules.LOCK_DURATION)

    assert later.failures == 1
    assert rules.locked_for(later, now=start + rules.LOCK_DURATION) is None


def test_a_lock_ends_when_its_failures_are_forgotten() -> None:
    state = _counted(rules.ACCOUNT_LIMIT)
    assert state is not None

    assert not rules.may_attempt(
        state, ACCOUNT, now=NOW + rules.LOCK_DURATION - timedelta(seconds=1)
    )
    assert rules.may_attempt(state, ACCOUNT, now=NOW + rules.LOCK_DURATION)
    assert state.locked_until == NOW + rules.LOCK_DURATION


def test_a_success_with_no_attempt_counted_after_it_clears_the_accounts_count() -> None:
    mine = _counted(rules.ACCOUNT_LIMIT)
    assert mine is not None

    assert rules.after_success(mine, mine, ACCOUNT) is None


def test_a_success_with_attempts_counted_after_it_gives_back_only_its_own() -> None:
    mine = _counted(2)
    assert mine is not None
    current = rules.after_attempt(rules.after_attempt(mine, ACCOUNT, now=NOW), ACCOUNT, now=NOW)

    after = rules.after_success(current, mine, ACCOUNT)

    assert after == ThrottleState(failures=3, locked_until=None, updated_at=NOW)


def test_giving_back_the_attempt_that_locked_lifts_the_lock() -> None:
    others = _counted(rules.ACCOUNT_LIMIT - 1)
    mine = _counted(1, now=NOW + timedelta(seconds=1))
    assert others is not None and mine is not None
    locked = rules.after_attempt(others, ACCOUNT, now=NOW)

    after = rules.after_success(locked, mine, ACCOUNT)

    assert after is not None and after.failures == rules.ACCOUNT_LIMIT - 1
    assert rules.locked_for(after, now=NOW) is None
    assert rules.may_attempt(after, ACCOUNT, now=NOW)


def test_a_success_never_clears_an_addresss_count_only_gives_back_its_own() -> None:
    mine = _counted(3, ADDRESS)
    assert mine is not None

    after = rules.after_success(mine, mine, ADDRESS)

    assert after == ThrottleState(failures=2, locked_until=None, updated_at=NOW)


def test_keys_name_their_kind_and_ignore_case_and_spaces() -> None:
    assert rules.account_key("  Alice ") == ACCOUNT
    assert rules.address_key("") == "address:unknown"
    assert rules.limit_for(rules.account_key("x")) == rules.ACCOUNT_LIMIT
    assert rules.limit_for(rules.address_key("x")) == rules.ADDRESS_LIMIT


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
