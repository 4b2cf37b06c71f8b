"""When repeated failed sign-ins lock an account or an address, and for how long."""

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
    failures: int
    locked_until: datetime | None
    updated_at: datetime


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"[:300]


def address_key(address: str) -> str:
    return f"address:{address or 'unknown'}"[:300]


def limit_for(key: str) -> int:
    return ADDRESS_LIMIT if key.startswith("address:") else ACCOUNT_LIMIT


def locked_for(state: ThrottleState | None, *, now: datetime) -> timedelta | None:
    """How much longer ``state`` is locked, or None when sign-in may be tried."""
    if state is None or state.locked_until is None or state.locked_until <= now:
        return None
    return state.locked_until - now


def after_failure(state: ThrottleState | None, key: str, *, now: datetime) -> ThrottleState:
    """The state after one more failure; failures older than a lock period are forgotten."""
    failures = 0
    if state is not None and now - state.updated_at < LOCK_DURATION:
        failures = state.failures
    failures += 1
    locked_until = now + LOCK_DURATION if failures >= limit_for(key) else None
    return ThrottleState(failures=failures, locked_until=locked_until, updated_at=now)


def lock_message(remaining: timedelta) -> str:
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins. Try again in {minutes} {unit}."
