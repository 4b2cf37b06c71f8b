"""The cap on unpaid bookings one internet address holds, the same for every process.

Public bookings and claimed offers that leave a payment pending record the
visitor's address on the registration. Before adding another, the address's
lock is taken and its unpaid bookings are counted in the same transaction, so
bookings sent at once from one address, on any course and through any process,
are counted one after the other and cannot all pass.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.enums import PaymentStatus
from domain.errors import TooManyUnpaid
from domain.rules.capacity import may_hold_another_unpaid
from domain.services.seats import holds_seat_clause

#: The registrations column's size; a longer address (a proxy's odd header) is cut.
MAX_ADDRESS = 64
#: The first key of Rollbook's address locks, so they share no key with other advisory locks.
_ADDRESS_LOCKS = 0x524F4C4C  # "ROLL"


def check_unpaid_cap(session: Session, address: str, *, limit: int, now: datetime) -> str:
    """The address as stored, once it may hold one more unpaid booking; else ``TooManyUnpaid``.

    Call it inside the writing transaction that adds the booking: the lock it
    takes lasts until that transaction ends.
    """
    address = address[:MAX_ADDRESS]
    if limit <= 0:
        return address
    lock_address(session, address)
    held = unpaid_held(session, address, now=now)
    if not may_hold_another_unpaid(held=held, limit=limit):
        raise TooManyUnpaid(held)
    return address


def lock_address(session: Session, address: str) -> None:
    """Hold the address's lock until the transaction ends.

    PostgreSQL: a transaction advisory lock on the address's hash (two addresses
    sharing a hash merely wait for each other). SQLite: a writing unit of work
    began with ``BEGIN IMMEDIATE`` and already holds the database's one write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_ADDRESS_LOCKS, func.hashtext(address))))


def unpaid_held(session: Session, address: str, *, now: datetime) -> int:
    """Unpaid bookings of the address still holding their seat (not cancelled, not lapsed)."""
    r = t.registrations.c
    return int(
        session.scalar(
            select(func.count()).where(
                r.client_address == address,
                r.payment_status == PaymentStatus.PENDING.value,
                holds_seat_clause(now),
            )
        )
        or 0
    )
