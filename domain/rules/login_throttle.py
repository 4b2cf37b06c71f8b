"""How many sign-in attempts may have their password checked, and how long a lock lasts.

An attempt is counted *before* its password is checked (a reservation) and
counts as a failure unless the password proves right; an attempt the count
refuses is never checked. So the limit bounds the password checks themselves,
however many attempts arrive at once. domain/services/staff.py runs
``may_attempt`` and ``after_attempt`` as one SQL statement per key; the tests
hold the two to each other.

A success never counts as a failure, it gives its reservation back
(``after_success``). On an account it also clears the failures counted before
it, as a sign-in always has, but only while no attempt has been counted after
it: those may still be checking their passwords, and forgetting them would let
a concurrent burst past the limit. Either way a burst is never checked more
often than the same attempts sent one at a time, in the order they were counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Failures in a row that lock one account (whoever tries it).
ACCOUNT_LIMIT = 5
#: Failures that lock one client address; higher, as a whole office may share one.
ADDRESS_LIMIT = 10
#: How long a lock lasts, and how long a failure is remembered.
LOCK_DURATION = timedelta(minutes=15)


@dataclass(frozen=True)
class ThrottleState:
    #: Attempts counted (checked or being checked) and not given back.
    failures: int
    locked_until: datetime | None
    #: When the last attempt was counted; the count is forgotten a lock period later.
    updated_at: datetime


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"[:300]


def address_key(address: str) -> str:
    return f"address:{address or 'unknown'}"[:300]


def limit_for(key: str) -> int:
    return ADDRESS_LIMIT if key.startswith("address:") else ACCOUNT_LIMIT


def is_forgotten(state: ThrottleState, *, now: datetime) -> bool:
    """True when the last attempt counted is a whole lock period old: the count starts again."""
    return now - state.updated_at >= LOCK_DURATION


def may_attempt(state: ThrottleState | None, key: str, *, now: datetime) -> bool:
    """Whether one more attempt may be counted, and so have its password checked."""
    return state is None or is_forgotten(state, now=now) or state.failures < limit_for(key)


def after_attempt(state: ThrottleState | None, key: str, *, now: datetime) -> ThrottleState:
    """The state once one more attempt is counted; the one that reaches the limit locks."""
    failures = 1 if state is None or is_forgotten(state, now=now) else state.failures + 1
    locked_until = now + LOCK_DURATION if failures >= limit_for(key) else None
    return ThrottleState(failures=failures, locked_until=locked_until, updated_at=now)


def after_success(state: ThrottleState, reserved: ThrottleState, key: str) -> ThrottleState | None:
    """The state once the attempt counted as ``reserved`` proved its password right.

    ``None`` when the count is cleared: on an account, when ``state`` is still the
    one this attempt left, so no attempt was counted after it.
    """
    if key.startswith("account:") and state == reserved:
        return None
    failures = max(0, state.failures - 1)
    # A count never passes its limit, so one less is never locked.
    return ThrottleState(failures=failures, locked_until=None, updated_at=state.updated_at)


def locked_for(state: ThrottleState | None, *, now: datetime) -> timedelta | None:
    """How much longer ``state`` is locked, or None when sign-in may be tried.

    Never more than a lock period: an attempt that waited for another's row lock
    carries a ``now`` from just before the lock that refuses it began.
    """
    if state is None or state.locked_until is None or state.locked_until <= now:
        return None
    return min(state.locked_until - now, LOCK_DURATION)


def lock_message(remaining: timedelta) -> str:
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins. Try again in {minutes} {unit}."
