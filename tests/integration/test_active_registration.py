"""What "already registered" means, and that every caller means the same (both databases).

The rule is ``active_registration``: a registration of the student for the
course that holds a seat; a full package covers every class, a drop-in only its
own. Registering, un-cancelling and joining the waitlist all ask it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.db.database import Database
from domain.enums import PaymentStatus, PricingType
from domain.errors import AlreadyRegistered
from domain.model import Registration
from domain.services.payments import uncancel_registration
from domain.services.registration import register_student
from domain.services.registration_core import active_registration
from domain.services.waitlist import join_waitlist
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    add_course,
    add_session,
    add_student,
    audit_actions,
    details,
    registration,
    staff,
)

ANA = "dancer1@example.org"  # the student ``details(1)`` books as


def _add(
    db: Database,
    course_id: int,
    student_id: int,
    *,
    status: str = PaymentStatus.COMPLETED,
    drop_in: int | None = None,
    hold_expires_at: datetime | None = None,
    cancelled: bool = False,
) -> int:
    with db.write() as s:
        row = Registration(
            student_id=student_id,
            course_id=course_id,
            pricing_type=PricingType.DROP_IN if drop_in else PricingType.FULL_PACKAGE,
            drop_in_session_id=drop_in,
            amount_due=Decimal("80.00"),
            payment_status=status,
            hold_expires_at=hold_expires_at,
            cancelled_at=NOW - timedelta(days=1) if cancelled else None,
            created_at=NOW - timedelta(days=2),
            updated_at=NOW - timedelta(days=2),
        )
        s.add(row)
        s.commit()
        assert row.id is not None
        return row.id


def _active(
    db: Database, course_id: int, student_id: int, drop_in: int | None = None
) -> int | None:
    with db.write() as s:
        found = active_registration(
            s,
            student_id=student_id,
            course_id=course_id,
            drop_in_session_id=drop_in,
            actor=PUBLIC,
            now=NOW,
        )
        s.commit()
        return found.id if found is not None else None


def _series(db: Database, capacity: int = 10) -> tuple[int, int, int]:
    """A course with a package and drop-in price, and two of its classes."""
    course = add_course(db, capacity=capacity, package=["80.00"], drop_in=["15.00"])
    return (
        course,
        add_session(db, course, date(2030, 2, 4)),
        add_session(db, course, date(2030, 2, 11)),
    )


# --- the rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "hold_expires_at", "cancelled", "active"),
    [
        (PaymentStatus.COMPLETED, None, False, True),
        (PaymentStatus.NOT_REQUIRED, None, False, True),
        (PaymentStatus.PENDING, NOW + timedelta(hours=1), False, True),
        (PaymentStatus.PENDING, None, False, True),  # a hold of 0 hours never lapses
        (PaymentStatus.PENDING, NOW - timedelta(hours=1), False, False),
        (PaymentStatus.EXPIRED, None, False, False),
        (PaymentStatus.REFUNDED, None, False, False),
        (PaymentStatus.COMPLETED, None, True, False),
    ],
    ids=[
        "paid",
        "free",
        "unpaid-in-hold",
        "unpaid-no-hold",
        "lapsed",
        "expired",
        "refunded",
        "cancelled",
    ],
)
def test_a_registration_is_active_while_it_holds_a_seat(
    db: Database, status: str, hold_expires_at: datetime | None, cancelled: bool, active: bool
) -> None:
    course, _first, _second = _series(db)
    ana = add_student(db, ANA)
    reg = _add(db, course, ana, status=status, hold_expires_at=hold_expires_at, cancelled=cancelled)
    assert _active(db, course, ana) == (reg if active else None)


def test_a_full_package_covers_every_class_of_the_course(db: Database) -> None:
    course, first, second = _series(db)
    ana = add_student(db, ANA)
    package = _add(db, course, ana)
    assert _active(db, course, ana) == package
    assert _active(db, course, ana, drop_in=first) == package
    assert _active(db, course, ana, drop_in=second) == package


def test_a_drop_in_covers_only_its_own_class(db: Database) -> None:
    course, first, second = _series(db)
    ana = add_student(db, ANA)
    drop_in = _add(db, course, ana, drop_in=first)
    assert _active(db, course, ana, drop_in=first) == drop_in
    assert _active(db, course, ana, drop_in=second) is None
    assert _active(db, course, ana) is None


def test_another_students_or_another_courses_registration_does_not_count(db: Database) -> None:
    course, _first, _second = _series(db)
    other_course = add_course(db, title="Tango", package=["80.00"])
    ana, ben = add_student(db, ANA), add_student(db, "ben@example.org", first_name="Ben")
    _add(db, other_course, ana)
    _add(db, course, ben)
    assert _active(db, course, ana) is None


def test_a_lapsed_hold_found_is_expired_and_audited(db: Database) -> None:
    course, _first, _second = _series(db)
    ana = add_student(db, ANA)
    lapsed = _add(db, course, ana, status=PaymentStatus.PENDING, hold_expires_at=NOW)
    assert _active(db, course, ana) is None
    assert registration(db, lapsed).payment_status == PaymentStatus.EXPIRED
    assert [e.action for e in audit_actions(db)] == ["registration.expire"]


# --- every caller asks the same rule ----------------------------------------

ALREADY, WENT_AHEAD = "already registered", "went ahead"


def _register(db: Database, course: int, ana: int) -> str:
    outcome = register_student(db, course_id=course, student=details(1), actor=PUBLIC, now=NOW)
    return WENT_AHEAD if outcome.created else ALREADY


def _uncancel(db: Database, course: int, ana: int) -> str:
    cancelled = _add(db, course, ana, cancelled=True)
    try:
        uncancel_registration(db, registration_id=cancelled, actor=staff(db), now=NOW)
    except AlreadyRegistered:
        return ALREADY
    return WENT_AHEAD


def _join_waitlist(db: Database, course: int, ana: int) -> str:
    try:
        join_waitlist(db, course_id=course, student=details(1), actor=PUBLIC, now=NOW)
    except AlreadyRegistered:
        return ALREADY
    return WENT_AHEAD


CALLERS: dict[str, Callable[[Database, int, int], str]] = {
    "register": _register,
    "uncancel": _uncancel,
    "join the waitlist": _join_waitlist,
}


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_counts_a_seat_holding_registration_as_already_registered(
    db: Database, caller: str
) -> None:
    # Ana holds the only seat, so the course is full for the waitlist as well.
    course = add_course(db, capacity=1, package=["80.00"])
    ana = add_student(db, ANA)
    held = _add(db, course, ana)
    assert CALLERS[caller](db, course, ana) == ALREADY
    assert registration(db, held).payment_status == PaymentStatus.COMPLETED


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_looks_past_a_lapsed_hold_and_expires_it(db: Database, caller: str) -> None:
    course = add_course(db, capacity=1, package=["80.00"])
    if caller == "join the waitlist":
        # Someone else holds the seat: only a full course has a waitlist to join.
        _add(db, course, add_student(db, "ben@example.org", first_name="Ben"))
    ana = add_student(db, ANA)
    lapsed = _add(db, course, ana, status=PaymentStatus.PENDING, hold_expires_at=NOW)
    assert CALLERS[caller](db, course, ana) == WENT_AHEAD
    # Staff see the lapsed booking as expired, whichever way the student came back.
    assert registration(db, lapsed).payment_status == PaymentStatus.EXPIRED
