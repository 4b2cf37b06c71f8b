"""Seats: a full course refuses, unpaid holds lapse, and a refusal leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.errors import CourseFull
from domain.services.registration import register_student
from domain.services.settings import update_setting
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    active_count,
    add_course,
    details,
    later,
    registration,
    row_count,
)
from tests.integration.r_factories import public_booking as _register


def test_full_course_refuses_with_course_full(db: Database) -> None:
    course = add_course(db, capacity=1)
    _register(db, course, 1)
    with pytest.raises(CourseFull, match=r"Salsa Series is full\. You can join the waitlist"):
        _register(db, course, 2)
    assert active_count(db, course) == 1
    assert row_count(db, "students") == 1


def test_a_new_student_refused_for_a_full_course_leaves_nothing_behind(db: Database) -> None:
    # The student is created before the seat is counted: a refusal must take the
    # student back with everything else the booking would have written.
    course = add_course(db, capacity=1)
    _register(db, course, 1)
    before = {table: row_count(db, table) for table in TABLES_A_BOOKING_WRITES}
    with pytest.raises(CourseFull):
        _register(db, course, 2)
    assert {table: row_count(db, table) for table in TABLES_A_BOOKING_WRITES} == before


def test_a_new_student_counts_against_the_seats_already_taken_not_their_own(
    db: Database,
) -> None:
    course = add_course(db, capacity=2)
    _register(db, course, 1)
    assert _register(db, course, 2).created  # type: ignore[attr-defined]
    with pytest.raises(CourseFull):
        _register(db, course, 3)
    assert active_count(db, course) == 2


TABLES_A_BOOKING_WRITES = (
    "students",
    "registrations",
    "audit_entries",
    "link_tokens",
    "outgoing_emails",
)


def test_smallest_slot_capacity_limits_the_course(db: Database) -> None:
    course = add_course(db, capacity=10, slot_capacities=[None, 1])
    _register(db, course, 1)
    with pytest.raises(CourseFull):
        _register(db, course, 2)


def test_unpaid_registration_past_its_hold_frees_its_seat(db: Database) -> None:
    course = add_course(db, capacity=1, package=["50.00"])
    first = _register(db, course, 1)
    assert registration(db, first.registration_id).hold_expires_at == NOW + timedelta(hours=72)  # type: ignore[attr-defined]
    with pytest.raises(CourseFull):
        register_student(db, course_id=course, student=details(2), actor=PUBLIC, now=later(71))
    outcome = register_student(
        db, course_id=course, student=details(2), actor=PUBLIC, now=later(73)
    )
    assert outcome.created


def test_same_student_after_a_lapsed_hold_gets_a_new_registration(db: Database) -> None:
    course = add_course(db, package=["50.00"])
    first = _register(db, course, 1)
    again = register_student(db, course_id=course, student=details(1), actor=PUBLIC, now=later(80))
    assert again.created and again.registration_id != first.registration_id  # type: ignore[attr-defined]
    assert registration(db, first.registration_id).payment_status == PaymentStatus.EXPIRED  # type: ignore[attr-defined]


def test_zero_hold_hours_holds_an_unpaid_seat_until_paid(db: Database) -> None:
    update_setting(db, "payment_hold_hours", "0", actor=PUBLIC)
    course = add_course(db, capacity=1, package=["50.00"])
    first = _register(db, course, 1)
    assert registration(db, first.registration_id).hold_expires_at is None  # type: ignore[attr-defined]
    with pytest.raises(CourseFull):
        register_student(db, course_id=course, student=details(2), actor=PUBLIC, now=later(24 * 20))
