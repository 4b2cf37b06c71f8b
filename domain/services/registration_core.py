"""The one place a registration is made, inside a caller's transaction.

Public registration, staff registration, school sign-up and a claimed waitlist
offer all end here, so they share the rules on duplicates, eligibility,
capacity, price, payment hold, audit and the confirmation email. The caller must
already hold the capacity lock (``lock_course``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.db import tables as t
from domain.enums import (
    SEAT_HOLDING_PAYMENT_STATUSES,
    PaymentStatus,
    PricingType,
    RegistrationSource,
)
from domain.errors import CourseFull, NotEligible, NotFound, ValidationError
from domain.model import ClassSession, Course, Registration, Student
from domain.rules.capacity import hold_expiry, holds_seat
from domain.rules.eligibility import ineligibility_reason, session_starts_at
from domain.rules.pricing import amount_due, initial_payment_status
from domain.rules.settings import Settings
from domain.services.catalogue import course_prices
from domain.services.emailed_urls import send_confirmation
from domain.services.seats import course_occupancy
from domain.services.unpaid_holds import check_unpaid_cap

_CREATED_FIELDS = (
    "student_id",
    "course_id",
    "pricing_type",
    "drop_in_session_id",
    "amount_due",
    "payment_status",
    "hold_expires_at",
    "source",
    "from_waitlist",
    "override_reason",
)


@dataclass
class RegistrationOutcome:
    registration_id: int
    #: False when an existing active registration was returned instead of a new one.
    created: bool
    amount_due: Decimal
    payment_status: str
    #: Raw token of a link to view the new registration; None for an existing one.
    link_token: str | None


@dataclass
class RegistrationRequest:
    course: Course
    student: Student
    pricing_type: str = PricingType.FULL_PACKAGE
    drop_in_session_id: int | None = None
    special_requests: str = ""
    source: str = RegistrationSource.PUBLIC
    school_id: int | None = None
    #: Public visitors may only pick sessions still to come.
    public: bool = False
    #: Staff may pass eligibility and capacity, given ``override_reason``.
    may_override: bool = False
    override_reason: str = ""
    #: A claimed waitlist offer already owns its seat.
    seat_granted: bool = False
    #: A student created in this transaction has no registration to look for.
    student_is_new: bool = False
    from_waitlist: bool = False
    send_email: bool = True
    #: The visitor's address on a public booking or claimed offer: an unpaid one
    #: counts against the address's cap (``Settings.unpaid_bookings_per_address``).
    client_address: str | None = None


def register_in_session(
    session: Session,
    request: RegistrationRequest,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> RegistrationOutcome:
    """Apply the registration rules and add the registration (or return the active one)."""
    course, student = request.course, request.student
    pricing_type = _pricing_type(request.pricing_type)
    drop_in = _drop_in_session(session, request, pricing_type, now=now, timezone=settings.timezone)
    if not request.student_is_new:
        existing = active_registration(
            session,
            student_id=student.id,
            course_id=course.id,
            drop_in_session_id=drop_in.id if drop_in is not None else None,
            actor=actor,
            now=now,
        )
        if existing is not None:
            return _outcome(existing, created=False, link_token=None)

    bent: list[str] = []
    refusal = ineligibility_reason(
        required_student_type=course.required_student_type,
        student_type=student.student_type,
        admin_classified=student.admin_classified,
    )
    if refusal is not None:
        if not request.may_override:
            raise NotEligible(refusal)
        bent.append("eligibility")
    if not request.seat_granted:
        occupancy = course_occupancy(session, course, now=now)
        # Seats offered to the waitlist are promised; a newcomer may not take them.
        if occupancy.open_to_book(drop_in.id if drop_in is not None else None) <= 0:
            if not request.may_override:
                raise CourseFull(course.title)
            bent.append("capacity")
    if bent and not request.override_reason:
        raise ValidationError(
            f"Registering this student bends the {' and '.join(bent)} rule; please give a reason.",
            field="override_reason",
        )

    amount = amount_due(
        course_prices(course),
        pricing_type=pricing_type,
        drop_in_slot_id=drop_in.slot_id if drop_in is not None else None,
    )
    status = initial_payment_status(amount)
    address = None
    if request.client_address and status == PaymentStatus.PENDING:
        address = check_unpaid_cap(
            session,
            request.client_address,
            limit=settings.unpaid_bookings_per_address,
            now=now,
        )
    registration = Registration(
        student_id=student.id,
        course_id=course.id,
        school_id=request.school_id,
        pricing_type=pricing_type,
        drop_in_session_id=drop_in.id if drop_in is not None else None,
        amount_due=amount,
        payment_status=status,
        hold_expires_at=(
            hold_expiry(created_at=now, hold_hours=settings.payment_hold_hours)
            if status == PaymentStatus.PENDING
            else None
        ),
        special_requests=request.special_requests,
        source=request.source,
        client_address=address,
        from_waitlist=request.from_waitlist,
        override_reason=request.override_reason if bent else "",
        created_by_id=actor.staff_user_id,
        created_at=now,
        updated_at=now,
    )
    # Under the course lock nobody else can add this student's registration between
    # the look-up above and this insert; the partial unique indexes stay the last
    # word on duplicates should a caller ever forget the lock (the insert then fails).
    session.add(registration)
    session.flush()
    audit.record(
        session,
        actor,
        "registration.create",
        registration,
        audit.diff(dict.fromkeys(_CREATED_FIELDS), registration),
        reason=registration.override_reason,
    )
    token = send_confirmation(
        session,
        registration,
        course=course,
        student=student,
        send_email=request.send_email,
        settings=settings,
        now=now,
    )
    return _outcome(registration, created=True, link_token=token)


def _pricing_type(raw: str) -> PricingType:
    try:
        return PricingType(raw)
    except ValueError as exc:
        raise ValidationError(
            "Choose the full package or a drop-in class.", field="pricing_type"
        ) from exc


def _drop_in_session(
    session: Session,
    request: RegistrationRequest,
    pricing_type: PricingType,
    *,
    now: datetime,
    timezone: str,
) -> ClassSession | None:
    if pricing_type == PricingType.FULL_PACKAGE:
        if request.drop_in_session_id is not None:
            raise ValidationError(
                "The full package covers every class; do not choose a single one.",
                field="drop_in_session_id",
            )
        return None
    if request.drop_in_session_id is None:
        raise ValidationError(
            "Choose the class you want to drop in to.", field="drop_in_session_id"
        )
    chosen = session.get(ClassSession, request.drop_in_session_id)
    if chosen is None or chosen.course_id != request.course.id:
        raise NotFound("This class is not part of the course.")
    # The class's start is wall-clock time where the studio is, not a UTC date.
    starts = session_starts_at(
        session_date=chosen.session_date, start_time=chosen.start_time, timezone=timezone
    )
    if request.public and starts <= now:
        raise ValidationError(
            "This class has already started; choose a later one.",
            field="drop_in_session_id",
        )
    return chosen


def active_registration(
    session: Session,
    *,
    student_id: int | None,
    course_id: int | None,
    drop_in_session_id: int | None,
    actor: Actor,
    now: datetime,
) -> Registration | None:
    """The student's active registration that covers a request for the course, if any.

    This is what "already registered" means everywhere: registering, un-cancelling
    and joining the waitlist. Active is holding a seat (``holds_seat``): not
    cancelled, and paid, free, or pending within its hold. A full package
    (``drop_in_session_id=None``) covers every class, so it also answers a drop-in
    request; a drop-in covers only its own class, never the package.

    A pending registration whose hold has passed is not active. It is expired
    here, in the caller's transaction, because the unique indexes on active
    registrations still count it and would refuse the registration or
    un-cancellation the caller is about to write.
    """
    r = t.registrations.c
    query = select(Registration).where(
        r.student_id == student_id,
        r.course_id == course_id,
        r.cancelled_at.is_(None),
        r.payment_status.in_([str(s) for s in SEAT_HOLDING_PAYMENT_STATUSES]),
    )
    if drop_in_session_id is None:
        query = query.where(r.drop_in_session_id.is_(None))
    else:
        query = query.where(
            r.drop_in_session_id.is_(None) | (r.drop_in_session_id == drop_in_session_id)
        )
    found: Registration | None = None
    for candidate in session.scalars(query.order_by(r.id)):
        if holds_seat(
            cancelled=False,
            payment_status=candidate.payment_status,
            hold_expires_at=candidate.hold_expires_at,
            now=now,
        ):
            found = found or candidate
        else:
            expire_registration(session, candidate, actor=actor, now=now)
    return found


def expire_registration(
    session: Session, registration: Registration, *, actor: Actor, now: datetime
) -> None:
    """An unpaid registration past its hold gives up its seat."""
    before = audit.snapshot(registration, ["payment_status"])
    registration.payment_status = PaymentStatus.EXPIRED
    registration.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "registration.expire",
        registration,
        audit.diff(before, registration),
        reason="The payment hold passed without payment.",
    )


def _outcome(
    registration: Registration, *, created: bool, link_token: str | None
) -> RegistrationOutcome:
    return RegistrationOutcome(
        registration_id=registration.id or 0,
        created=created,
        amount_due=registration.amount_due,
        payment_status=registration.payment_status,
        link_token=link_token,
    )
