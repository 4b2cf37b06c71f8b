"""Rule 1, capacity: who holds a seat, how many seats there are, and what is left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.enums import PaymentStatus
from domain.rules.capacity import (
    course_seats,
    drop_in_seats_left,
    hold_expiry,
    holds_seat,
    may_hold_another_unpaid,
    package_seats_left,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _holds(status: str, *, cancelled: bool = False, hold: datetime | None = None) -> bool:
    return holds_seat(cancelled=cancelled, payment_status=status, hold_expires_at=hold, now=NOW)


def test_paid_and_free_registrations_hold_a_seat() -> None:
    assert _holds(PaymentStatus.COMPLETED)
    assert _holds(PaymentStatus.NOT_REQUIRED)


def test_pending_payment_holds_a_seat_until_the_hold_passes() -> None:
    assert _holds(PaymentStatus.PENDING, hold=NOW + timedelta(seconds=1))
    assert not _holds(PaymentStatus.PENDING, hold=NOW)
    assert not _holds(PaymentStatus.PENDING, hold=NOW - timedelta(hours=1))


def test_pending_payment_without_a_hold_time_holds_forever() -> None:
    assert _holds(PaymentStatus.PENDING, hold=None)


def test_cancelled_registration_holds_no_seat_whatever_its_payment() -> None:
    assert not _holds(PaymentStatus.COMPLETED, cancelled=True)
    assert not _holds(PaymentStatus.PENDING, cancelled=True)


def test_expired_and_refunded_registrations_hold_no_seat() -> None:
    assert not _holds(PaymentStatus.EXPIRED)
    assert not _holds(PaymentStatus.REFUNDED)


def test_payment_hold_ends_the_set_hours_after_registering() -> None:
    assert hold_expiry(created_at=NOW, hold_hours=72) == NOW + timedelta(hours=72)


def test_zero_hold_hours_means_hold_until_paid() -> None:
    assert hold_expiry(created_at=NOW, hold_hours=0) is None


def test_seats_are_the_smallest_of_course_and_slot_capacities() -> None:
    assert course_seats(20, [12, None, 15]) == 12
    assert course_seats(10, [12, 15]) == 10


def test_slots_without_capacity_leave_the_course_capacity() -> None:
    assert course_seats(10, [None, None]) == 10
    assert course_seats(10, []) == 10


def test_full_package_needs_a_seat_in_the_busiest_session() -> None:
    # 10 seats, 6 packages, one session already has 3 drop-ins: 1 package seat left.
    assert package_seats_left(seats=10, package_count=6, drop_in_counts=[1, 3, 0]) == 1
    assert package_seats_left(seats=10, package_count=6, drop_in_counts=[1, 4]) == 0


def test_full_package_with_no_sessions_counts_packages_only() -> None:
    assert package_seats_left(seats=10, package_count=9) == 1
    assert package_seats_left(seats=10, package_count=10) == 0


def test_drop_in_holds_a_seat_in_one_session_only() -> None:
    # A full session for drop-ins does not fill another session.
    assert drop_in_seats_left(seats=10, package_count=6, drop_ins_in_session=4) == 0
    assert drop_in_seats_left(seats=10, package_count=6, drop_ins_in_session=0) == 4


def test_seats_left_never_goes_below_zero_after_a_staff_override() -> None:
    assert package_seats_left(seats=10, package_count=12) == 0
    assert drop_in_seats_left(seats=10, package_count=11, drop_ins_in_session=2) == 0


def test_an_address_may_hold_unpaid_bookings_up_to_the_limit() -> None:
    assert may_hold_another_unpaid(held=3, limit=4)
    assert not may_hold_another_unpaid(held=4, limit=4)
    assert not may_hold_another_unpaid(held=9, limit=4)


def test_an_unpaid_limit_of_zero_means_no_limit() -> None:
    assert may_hold_another_unpaid(held=1000, limit=0)
