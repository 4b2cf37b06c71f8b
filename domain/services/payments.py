"""Payments and cancellations: confirm, refund, cancel, un-cancel, and expire unpaid holds.

Whenever a seat frees, the waitlist hears about it in the same transaction
(``seat_freed_in_session``), so a freed seat and its offer commit together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails import registration as messages
from domain.enums import LinkPurpose, PaymentMethod, PaymentStatus
from domain.errors import (
    AlreadyRegistered,
    CourseFull,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from domain.link_tokens import issue_link
from domain.model import Course, Registration, Student
from domain.outbox import queue_email
from domain.rules.capacity import hold_expiry, holds_seat
from domain.rules.contact_details import clean_line, clean_text
from domain.rules.payment import check_transition
from domain.rules.settings import Settings
from domain.services import payment_references
from domain.services.calendar_feeds import with_calendar
from domain.services.emailed_urls import VIEW_PATH, emailed_url, link_ttl
from domain.services.registration_core import active_registration, expire_registration
from domain.services.seats import course_occupancy, lock_course
from domain.services.settings import load_settings
from domain.services.waitlist_line import seat_freed_in_session

_PAYMENT_FIELDS = (
    "payment_status",
    "payment_method",
    "payment_reference",
    "payment_confirmed_at",
    "payment_confirmed_by_id",
    "refunded_at",
)
_CANCEL_FIELDS = ("cancelled_at", "cancelled_by_id", "cancellation_reason", "hold_expires_at")


def confirm_payment(
    db: Database,
    *,
    registration_id: int,
    method: PaymentMethod | str,
    reference: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Staff record that a pending registration is paid: method, reference, who and when."""
    with db.write() as session:
        confirm_payment_in_session(
            session,
            registration_id=registration_id,
            method=method,
            reference=reference,
            actor=actor,
            now=now,
        )
        session.commit()


def confirm_payment_in_session(
    session: Session,
    *,
    registration_id: int,
    method: PaymentMethod | str,
    reference: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """``confirm_payment`` inside the caller's transaction; the caller commits."""
    now = now or utcnow()
    try:
        method = PaymentMethod(method)
    except ValueError as exc:
        raise ValidationError(
            f"Unknown payment method {method!r}; choose one of "
            + ", ".join(m.value for m in PaymentMethod)
            + ".",
            field="method",
        ) from exc
    reference = clean_line(
        reference, field="reference", label="The payment reference", max_length=255
    )
    registration, course = lock_registration(session, registration_id)
    if registration.is_cancelled:
        raise InvalidTransition("This registration is cancelled; un-cancel it first.")
    check_transition(registration.payment_status, PaymentStatus.COMPLETED)
    payment_references.refuse_used_reference(session, method, reference)
    before = audit.snapshot(registration, _PAYMENT_FIELDS)
    try:
        # A savepoint: after this refusal a batch's transaction stays usable.
        with session.begin_nested():
            registration.payment_status = PaymentStatus.COMPLETED
            registration.payment_method = method
            registration.payment_reference = reference
            registration.payment_confirmed_at = now
            registration.payment_confirmed_by_id = actor.staff_user_id
            registration.updated_at = now
            session.flush()
    except IntegrityError as clash:
        # Another transaction confirmed a payment with this reference meanwhile:
        # the unique index waited for it, then refused this one.
        raise InvalidTransition(
            payment_references.used_reference_message(method, reference, None)
        ) from clash
    audit.record(session, actor, "payment.confirm", registration, audit.diff(before, registration))
    settings = load_settings(session)
    student = _student(session, registration)
    if student.email:
        token = issue_link(
            session,
            purpose=LinkPurpose.VIEW_REGISTRATION,
            registration_id=registration.id,
            ttl=link_ttl(course, now=now),
            now=now,
        )
        email = messages.payment_confirmed(
            registration=registration,
            course=course,
            student=student,
            view_url=emailed_url(session, VIEW_PATH, token),
            settings=settings,
        )
        email = with_calendar(session, email, registration.id or 0, now=now)
        queue_email(session, email, settings)


def refund_payment(
    db: Database,
    *,
    registration_id: int,
    actor: Actor,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Record that a completed payment was paid back; the registration stops holding a seat."""
    now = now or utcnow()
    reason = clean_text(reason, field="reason", label="The reason")
    with _locked_registration(db, registration_id) as (session, registration, course):
        check_transition(registration.payment_status, PaymentStatus.REFUNDED)
        held = _holds_seat(registration, now=now)
        before = audit.snapshot(registration, _PAYMENT_FIELDS)
        registration.payment_status = PaymentStatus.REFUNDED
        registration.refunded_at = now
        registration.updated_at = now
        audit.record(
            session,
            actor,
            "payment.refund",
            registration,
            audit.diff(before, registration),
            reason=reason,
        )
        if held:
            _seat_freed(session, course, actor=actor, now=now)
        session.commit()


def cancel_registration(
    db: Database,
    *,
    registration_id: int,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Cancel a registration (who, when, why); its seat goes to the waitlist.

    The payment status is kept as it was: a paid, cancelled registration still
    shows that money was received (and may be refunded).
    """
    with db.write() as session:
        cancel_registration_in_session(
            session, registration_id=registration_id, reason=reason, actor=actor, now=now
        )
        session.commit()


def cancel_registration_in_session(
    session: Session,
    *,
    registration_id: int,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """``cancel_registration`` inside the caller's transaction; the caller commits."""
    now = now or utcnow()
    reason = clean_text(reason, field="reason", label="The reason", max_length=2000)
    registration, course = lock_registration(session, registration_id)
    if registration.is_cancelled:
        raise InvalidTransition("This registration is already cancelled.")
    held = _holds_seat(registration, now=now)
    before = audit.snapshot(registration, _CANCEL_FIELDS)
    registration.cancelled_at = now
    registration.cancelled_by_id = actor.staff_user_id
    registration.cancellation_reason = reason
    registration.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "registration.cancel",
        registration,
        audit.diff(before, registration),
        reason=reason,
    )
    settings = load_settings(session)
    student = _student(session, registration)
    queue_email(
        session,
        messages.cancellation(
            registration=registration,
            course=course,
            student=student,
            settings=settings,
            reason=reason,
        ),
        settings,
    )
    if held:
        _seat_freed(session, course, actor=actor, now=now, settings=settings)


def uncancel_registration(
    db: Database,
    *,
    registration_id: int,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Restore a cancelled registration while a seat is free for it.

    Raises ``CourseFull`` when there is no seat, ``AlreadyRegistered`` when the
    student registered again meanwhile.
    """
    now = now or utcnow()
    with _locked_registration(db, registration_id) as (session, registration, course):
        if not registration.is_cancelled:
            raise InvalidTransition("This registration is not cancelled.")
        if registration.payment_status in (PaymentStatus.EXPIRED, PaymentStatus.REFUNDED):
            raise InvalidTransition(
                f"This registration's payment is {registration.payment_status}; "
                "register the student again instead."
            )
        # The registration itself is cancelled, so it is not among the active ones.
        other = active_registration(
            session,
            student_id=registration.student_id,
            course_id=registration.course_id,
            drop_in_session_id=registration.drop_in_session_id,
            actor=actor,
            now=now,
        )
        if other is not None:
            raise AlreadyRegistered(
                "The student already has another active registration for this course."
            )
        occupancy = course_occupancy(session, course, now=now)
        if occupancy.open_to_book(registration.drop_in_session_id) <= 0:
            raise CourseFull(course.title)
        settings = load_settings(session)
        before = audit.snapshot(registration, _CANCEL_FIELDS)
        registration.cancelled_at = None
        registration.cancelled_by_id = None
        registration.cancellation_reason = ""
        if registration.payment_status == PaymentStatus.PENDING:
            # A fresh hold: the old one may have run out while it was cancelled.
            registration.hold_expires_at = hold_expiry(
                created_at=now, hold_hours=settings.payment_hold_hours
            )
        registration.updated_at = now
        audit.record(
            session, actor, "registration.uncancel", registration, audit.diff(before, registration)
        )
        session.commit()


def expire_payment_holds(db: Database, *, now: datetime | None = None) -> int:
    """Expire unpaid registrations past their hold and offer their seats; returns how many."""
    now = now or utcnow()
    actor = Actor.system("expire_payment_holds")
    r = t.registrations.c
    due = (
        r.payment_status == PaymentStatus.PENDING.value,
        r.cancelled_at.is_(None),
        r.hold_expires_at.is_not(None),
        r.hold_expires_at <= now,
    )
    with db.write() as session:
        course_ids = sorted(set(session.scalars(select(r.course_id).where(*due)).all()))
        settings = load_settings(session)
        expired = 0
        for course_id in course_ids:
            course = lock_course(session, course_id)
            # Read again under the lock: staff may have confirmed a payment meanwhile.
            overdue = session.scalars(
                select(Registration)
                .where(r.course_id == course_id, *due)
                .order_by(r.id)
                .execution_options(populate_existing=True)
            ).all()
            for registration in overdue:
                expire_registration(session, registration, actor=actor, now=now)
                expired += 1
            if overdue:
                _seat_freed(session, course, actor=actor, now=now, settings=settings)
        session.commit()
        return expired


@contextmanager
def _locked_registration(
    db: Database, registration_id: int
) -> Iterator[tuple[Session, Registration, Course]]:
    """A write session with the registration's course locked and the registration loaded."""
    with db.write() as session:
        registration, course = lock_registration(session, registration_id)
        yield session, registration, course


def lock_registration(session: Session, registration_id: int) -> tuple[Registration, Course]:
    """The registration, freshly loaded, with its course locked for this transaction."""
    course_id = session.scalar(
        select(t.registrations.c.course_id).where(t.registrations.c.id == registration_id)
    )
    if course_id is None:
        raise NotFound("This registration does not exist.")
    course = lock_course(session, course_id)
    registration = session.get(Registration, registration_id, populate_existing=True)
    if registration is None:
        raise NotFound("This registration does not exist.")
    return registration, course


def _holds_seat(registration: Registration, *, now: datetime) -> bool:
    return holds_seat(
        cancelled=registration.is_cancelled,
        payment_status=registration.payment_status,
        hold_expires_at=registration.hold_expires_at,
        now=now,
    )


def _student(session: Session, registration: Registration) -> Student:
    student = session.get(Student, registration.student_id)
    if student is None:
        raise NotFound("The registration's student does not exist.")
    return student


def _seat_freed(
    session: Session,
    course: Course,
    *,
    actor: Actor,
    now: datetime,
    settings: Settings | None = None,
) -> None:
    session.flush()
    seat_freed_in_session(
        session, course, actor=actor, settings=settings or load_settings(session), now=now
    )
