"""Capacity: which registrations hold a seat, how many seats a course has, and what is left.

Plain values in, plain values out, so the rule reads the same in a unit test, in
the registration service and on the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from domain.enums import PaymentStatus


def holds_seat(
    *,
    cancelled: bool,
    payment_status: str,
    hold_expires_at: datetime | None,
    now: datetime,
) -> bool:
    """A seat is held while not cancelled and paid, free, or pending within its hold."""
    if cancelled:
        return False
    if payment_status in (PaymentStatus.COMPLETED, PaymentStatus.NOT_REQUIRED):
        return True
    if payment_status == PaymentStatus.PENDING:
        return hold_expires_at is None or hold_expires_at > now
    return False


def hold_expiry(*, created_at: datetime, hold_hours: int) -> datetime | None:
    """When an unpaid registration stops holding its seat; None (hold forever) for 0 hours."""
    if hold_hours <= 0:
        return None
    return created_at + timedelta(hours=hold_hours)


def course_seats(course_capacity: int, slot_capacities: Iterable[int | None]) -> int:
    """Every registrant attends every slot, so the smallest capacity limits the course."""
    limits = [course_capacity, *(c for c in slot_capacities if c is not None)]
    return max(0, min(limits))


def package_seats_left(
    *, seats: int, package_count: int, drop_in_counts: Iterable[int] = ()
) -> int:
    """Seats open to a new full-package registration.

    A full package needs a seat in every session, so the busiest session (its
    drop-ins on top of every package holder) decides.
    """
    busiest_drop_ins = max(drop_in_counts, default=0)
    return max(0, seats - package_count - busiest_drop_ins)


def drop_in_seats_left(*, seats: int, package_count: int, drop_ins_in_session: int) -> int:
    """Seats open to a drop-in for one session: package holders plus that session's drop-ins."""
    return max(0, seats - package_count - drop_ins_in_session)


def may_hold_another_unpaid(*, held: int, limit: int) -> bool:
    """One internet address may hold ``limit`` unpaid bookings at once (0: no limit).

    Without it, one visitor could hold every seat of a course until the holds
    lapse, booking with made-up emails.
    """
    return limit <= 0 or held < limit
