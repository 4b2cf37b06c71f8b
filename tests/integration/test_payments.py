"""Rule 5, payments: confirm, refund, cancel, un-cancel and expiring holds, on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentMethod, PaymentStatus, WaitlistStatus
from domain.errors import (
    AlreadyRegistered,
    CourseFull,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from domain.model import WaitlistEntry
from domain.services.payments import (
    cancel_registration,
    confirm_payment,
    expire_payment_holds,
    refund_payment,
    uncancel_registration,
)
from domain.services.registration import register_student
from domain.services.seats import lock_course, seats_left, seats_open_to_book
from domain.services.settings import update_setting
from domain.services.waitlist import join_waitlist
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    active_count,
    add_course,
    audit_actions,
    details,
    emails,
    later,
    registration,
    staff,
)


def _registered(db: Database, course: int, n: int = 1, *, now: datetime = NOW) -> int:
    outcome = register_student(db, course_id=course, student=details(n), actor=PUBLIC, now=now)
    return outcome.registration_id


def _waitlist_status(db: Database, course: int) -> list[str]:
    with db.read() as s:
        rows = s.scalars(
            select(WaitlistEntry)
            .where(t.waitlist_entries.c.course_id == course)
            .order_by(t.waitlist_entries.c.id)
        )
        return [row.status for row in rows]


def test_staff_confirm_payment_with_method_reference_who_and_when(db: Database) -> None:
    maria = staff(db)
    reg = _registered(db, add_course(db, package=["80.00"]))
    confirm_payment(
        db,
        registration_id=reg,
        method=PaymentMethod.VENMO,
        reference=" 4242-ABC ",
        actor=maria,
        now=later(1),
    )
    saved = registration(db, reg)
    assert saved.payment_status == PaymentStatus.COMPLETED
    assert (saved.payment_method, saved.payment_reference) == ("venmo", "4242-ABC")
    assert saved.payment_confirmed_at == later(1)
    assert saved.payment_confirmed_by_id == maria.staff_user_id
    [entry] = [e for e in audit_actions(db) if e.action == "payment.confirm"]
    assert entry.actor_label == "maria"
    assert entry.changes["payment_status"] == ["pending", "completed"]
    [email] = emails(db, "payment_confirmed")
    assert email.to_address == "dancer1@example.org" and "4242-ABC" in email.body_text


def test_confirming_twice_is_refused_and_keeps_the_first_confirmation(db: Database) -> None:
    maria = staff(db)
    reg = _registered(db, add_course(db, package=["80.00"]))
    confirm_payment(db, registration_id=reg, method="cash", reference="", actor=maria, now=NOW)
    with pytest.raises(InvalidTransition, match="already confirmed"):
        confirm_payment(
            db, registration_id=reg, method="card", reference="x", actor=maria, now=later(2)
        )
    assert registration(db, reg).payment_method == "cash"


def test_free_registration_has_no_payment_to_confirm(db: Database) -> None:
    reg = _registered(db, add_course(db))
    with pytest.raises(InvalidTransition, match="free"):
        confirm_payment(db, registration_id=reg, method="cash", reference="", actor=staff(db))


def test_unknown_payment_method_is_refused(db: Database) -> None:
    reg = _registered(db, add_course(db, package=["80.00"]))
    with pytest.raises(ValidationError, match="Unknown payment method 'bitcoin'"):
        confirm_payment(db, registration_id=reg, method="bitcoin", reference="", actor=staff(db))
    assert registration(db, reg).payment_status == PaymentStatus.PENDING


def test_unknown_registration_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="This registration does not exist"):
        confirm_payment(db, registration_id=999, method="cash", reference="", actor=staff(db))


def test_refund_marks_a_completed_payment_refunded_and_frees_the_seat(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, capacity=1, package=["80.00"])
    reg = _registered(db, course)
    confirm_payment(db, registration_id=reg, method="zelle", reference="z1", actor=maria, now=NOW)
    refund_payment(db, registration_id=reg, actor=maria, reason="Injured", now=later(1))
    saved = registration(db, reg)
    assert saved.payment_status == PaymentStatus.REFUNDED
    assert saved.refunded_at == later(1)
    assert [e.reason for e in audit_actions(db) if e.action == "payment.refund"] == ["Injured"]
    assert _registered(db, course, 2) != reg  # the seat is free again


def test_unpaid_registration_cannot_be_refunded(db: Database) -> None:
    reg = _registered(db, add_course(db, package=["80.00"]))
    with pytest.raises(InvalidTransition, match="nothing to refund"):
        refund_payment(db, registration_id=reg, actor=staff(db))


def test_cancel_records_who_when_why_and_keeps_the_payment_status(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, capacity=1, package=["80.00"])
    reg = _registered(db, course)
    confirm_payment(db, registration_id=reg, method="cash", reference="", actor=maria, now=NOW)
    cancel_registration(db, registration_id=reg, reason="Moved away", actor=maria, now=later(2))
    saved = registration(db, reg)
    assert saved.cancelled_at == later(2)
    assert saved.cancelled_by_id == maria.staff_user_id
    assert saved.cancellation_reason == "Moved away"
    assert saved.payment_status == PaymentStatus.COMPLETED
    assert active_count(db, course) == 0
    [email] = emails(db, "cancellation")
    assert "Moved away" in email.body_text


def test_cancelling_twice_is_refused(db: Database) -> None:
    reg = _registered(db, add_course(db))
    cancel_registration(db, registration_id=reg, reason="", actor=PUBLIC, now=NOW)
    with pytest.raises(InvalidTransition, match="already cancelled"):
        cancel_registration(db, registration_id=reg, reason="", actor=PUBLIC, now=NOW)


def test_cancellation_offers_the_freed_seat_to_the_waitlist(db: Database) -> None:
    course = add_course(db, capacity=1)
    reg = _registered(db, course, 1)
    join_waitlist(db, course_id=course, student=details(2), actor=PUBLIC, now=NOW)
    assert _waitlist_status(db, course) == [WaitlistStatus.WAITING]
    cancel_registration(db, registration_id=reg, reason="Ill", actor=PUBLIC, now=later(1))
    assert _waitlist_status(db, course) == [WaitlistStatus.OFFERED]
    [offer] = emails(db, "waitlist_offer")
    assert offer.to_address == "dancer2@example.org"
    # The freed seat is promised to the offer, not to whoever registers next.
    with db.write() as s:
        locked = lock_course(s, course)
        assert seats_left(s, locked, now=later(2)) == 1
        assert seats_open_to_book(s, locked, now=later(2)) == 0
    with pytest.raises(CourseFull):
        _registered(db, course, 3, now=later(2))


def test_uncancel_restores_a_registration_while_a_seat_is_free(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, capacity=1, package=["80.00"])
    reg = _registered(db, course)
    cancel_registration(db, registration_id=reg, reason="Oops", actor=maria, now=NOW)
    uncancel_registration(db, registration_id=reg, actor=maria, now=later(100))
    saved = registration(db, reg)
    assert saved.cancelled_at is None and saved.cancellation_reason == ""
    # Its old hold ran out while cancelled; it gets a fresh one.
    assert saved.hold_expires_at == later(100) + timedelta(hours=72)
    assert active_count(db, course) == 1
    assert "registration.uncancel" in [e.action for e in audit_actions(db)]


def test_uncancel_is_refused_when_the_seat_was_taken(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, capacity=1)
    reg = _registered(db, course, 1)
    cancel_registration(db, registration_id=reg, reason="Oops", actor=maria, now=NOW)
    _registered(db, course, 2)
    with pytest.raises(CourseFull):
        uncancel_registration(db, registration_id=reg, actor=maria, now=NOW)
    assert registration(db, reg).cancelled_at is not None


def test_uncancel_is_refused_when_the_student_registered_again(db: Database) -> None:
    maria = staff(db)
    course = add_course(db)
    reg = _registered(db, course, 1)
    cancel_registration(db, registration_id=reg, reason="Oops", actor=maria, now=NOW)
    _registered(db, course, 1)
    with pytest.raises(AlreadyRegistered, match="another active registration"):
        uncancel_registration(db, registration_id=reg, actor=maria, now=NOW)


def test_uncancel_of_an_active_registration_is_refused(db: Database) -> None:
    reg = _registered(db, add_course(db))
    with pytest.raises(InvalidTransition, match="not cancelled"):
        uncancel_registration(db, registration_id=reg, actor=staff(db), now=NOW)


def test_unpaid_registrations_past_their_hold_expire(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, package=["80.00"])
    overdue = _registered(db, course, 1)
    paid = _registered(db, course, 2)
    confirm_payment(db, registration_id=paid, method="cash", reference="", actor=maria, now=NOW)
    recent = _registered(db, course, 3, now=later(10))
    assert expire_payment_holds(db, now=later(73)) == 1
    assert registration(db, overdue).payment_status == PaymentStatus.EXPIRED
    assert registration(db, paid).payment_status == PaymentStatus.COMPLETED
    assert registration(db, recent).payment_status == PaymentStatus.PENDING
    assert expire_payment_holds(db, now=later(73)) == 0
    [entry] = [e for e in audit_actions(db) if e.action == "registration.expire"]
    assert entry.actor_label == "expire_payment_holds"


def test_expired_hold_offers_the_seat_to_the_waitlist(db: Database) -> None:
    course = add_course(db, capacity=1, package=["80.00"])
    _registered(db, course, 1)
    join_waitlist(db, course_id=course, student=details(2), actor=PUBLIC, now=later(1))
    assert expire_payment_holds(db, now=later(73)) == 1
    assert _waitlist_status(db, course) == [WaitlistStatus.OFFERED]


def test_expired_registration_cannot_be_confirmed(db: Database) -> None:
    reg = _registered(db, add_course(db, package=["80.00"]))
    expire_payment_holds(db, now=later(73))
    with pytest.raises(InvalidTransition, match="hold has expired"):
        confirm_payment(db, registration_id=reg, method="cash", reference="", actor=staff(db))


def test_emails_off_queues_nothing_but_still_changes_state(db: Database) -> None:
    update_setting(db, "emails_enabled", "no", actor=Actor.script())
    reg = _registered(db, add_course(db, package=["80.00"]))
    confirm_payment(db, registration_id=reg, method="cash", reference="", actor=staff(db))
    assert registration(db, reg).amount_due == Decimal("80.00")
    assert registration(db, reg).payment_status == PaymentStatus.COMPLETED
    assert emails(db) == []
