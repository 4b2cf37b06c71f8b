"""Demo registrations in every payment state, attendance on past sessions, a waitlist."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.demo.courses import DemoCourses, drop_in_price, package_price, session_start
from domain.demo.people import DemoPeople
from domain.enums import (
    SEAT_HOLDING_PAYMENT_STATUSES,
    AttendanceStatus,
    PaymentMethod,
    PaymentStatus,
    PricingType,
    RegistrationSource,
    WaitlistStatus,
)
from domain.model import (
    Attendance,
    ClassSession,
    Course,
    Registration,
    StaffUser,
    Student,
    WaitlistEntry,
)

CANCEL_REASONS = ("Schedule clash with work.", "Moved away.", "Injured; will join next term.")
REFUNDED, EXPIRED, CANCELLED = "refunded", "expired", "cancelled"


class _Registrar:
    def __init__(self, rng: random.Random, now: datetime, staff: list[StaffUser]) -> None:
        self.rng, self.now, self.staff = rng, now, staff
        self.made: list[Registration] = []
        #: A Venmo or Zelle transaction id is unique (ux_registrations_statement_reference).
        self.references: set[str] = set()

    def add(
        self,
        course: Course,
        student: Student,
        state: str,
        *,
        drop_in: ClassSession | None = None,
        source: str = RegistrationSource.PUBLIC,
    ) -> Registration:
        rng, now = self.rng, self.now
        amount = drop_in_price(drop_in) if drop_in else package_price(course)
        opens = course.created_at
        closes = min(course.starts_at, now) - timedelta(hours=1)
        if state == PaymentStatus.PENDING:
            # Still holding its seat: made within the 72-hour hold.
            created = now - timedelta(hours=rng.randint(1, 60))
        elif state == EXPIRED:
            created = now - timedelta(days=rng.randint(4, 9))
        else:
            created = opens + (closes - opens) * rng.random()
        registration = Registration(
            course=course,
            student=student,
            school=student.school,
            pricing_type=PricingType.DROP_IN if drop_in else PricingType.FULL_PACKAGE,
            drop_in_session=drop_in,
            amount_due=amount,
            source=source,
            created_at=created,
            updated_at=created,
        )
        if source == RegistrationSource.STAFF:
            registration.created_by = rng.choice(self.staff)
        self._set_payment(registration, Decimal(0) if amount == 0 else amount, state)
        self.made.append(registration)
        return registration

    def _new_reference(self, method: PaymentMethod) -> str:
        while True:
            reference = f"{method[:3].upper()}-{self.rng.randint(10**5, 10**6 - 1)}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _set_payment(self, registration: Registration, amount: Decimal, state: str) -> None:
        rng, created = self.rng, registration.created_at
        if amount == 0:
            registration.payment_status = PaymentStatus.NOT_REQUIRED
        elif state in (PaymentStatus.COMPLETED, REFUNDED):
            method = rng.choice(
                (PaymentMethod.VENMO, PaymentMethod.ZELLE, PaymentMethod.CASH, PaymentMethod.CARD)
            )
            registration.payment_status = PaymentStatus.COMPLETED
            registration.payment_method = method
            registration.payment_reference = (
                "" if method == PaymentMethod.CASH else self._new_reference(method)
            )
            registration.payment_confirmed_at = min(
                created + timedelta(hours=rng.randint(1, 30)), self.now
            )
            registration.payment_confirmed_by = rng.choice(self.staff)
        elif state == EXPIRED:
            registration.payment_status = PaymentStatus.EXPIRED
            registration.hold_expires_at = created + timedelta(hours=72)
        else:
            registration.payment_status = PaymentStatus.PENDING
            registration.hold_expires_at = created + timedelta(hours=72)
        if state in (REFUNDED, CANCELLED):
            when = min(created + timedelta(days=rng.randint(1, 6)), self.now)
            registration.cancelled_at = when
            registration.cancelled_by = rng.choice(self.staff)
            registration.cancellation_reason = rng.choice(CANCEL_REASONS)
            if state == REFUNDED and registration.payment_status == PaymentStatus.COMPLETED:
                registration.payment_status = PaymentStatus.REFUNDED
                registration.refunded_at = when
        registration.updated_at = max(
            d
            for d in (created, registration.payment_confirmed_at, registration.cancelled_at)
            if d is not None
        )


def build_registrations(
    session: Session,
    rng: random.Random,
    now: datetime,
    people: DemoPeople,
    courses: DemoCourses,
) -> None:
    reg = _Registrar(rng, now, people.staff)
    paid = PaymentStatus.COMPLETED
    for workshop in courses.workshops:
        teachers = rng.sample(people.teachers, rng.randint(12, 24))
        for number, teacher in enumerate(teachers):
            state = CANCELLED if number == 0 else paid
            reg.add(workshop, teacher, state, source=RegistrationSource.SCHOOL_SIGNUP)
    dancers = people.dancers + people.crew
    salsa, bachata, swing = courses.salsa, courses.bachata, courses.swing
    hiphop, crew, contemporary = courses.hiphop, courses.crew, courses.contemporary
    assert salsa and bachata and swing and hiphop and crew and contemporary
    pool = rng.sample(dancers, len(dancers))
    states = [paid] * 10 + [PaymentStatus.PENDING] * 4 + [EXPIRED, CANCELLED, REFUNDED]
    for student, state in zip(pool, states, strict=False):
        reg.add(salsa, student, state)
    drop_in_pool = pool[len(states) :]
    for class_session in salsa.sessions:
        for student in rng.sample(drop_in_pool, rng.randint(0, 4)):
            held = session_start(class_session) < now
            reg.add(salsa, student, paid if held else rng.choice((paid, PaymentStatus.PENDING)),
                    drop_in=class_session)  # fmt: skip
    pool = rng.sample(dancers, len(dancers))
    # Full: eleven seats taken, and the seat the cancellation freed is offered
    # to the first in line.
    bachata_states = [paid] * 8 + [PaymentStatus.PENDING] * 2 + [EXPIRED, CANCELLED]
    for student, state in zip(pool, bachata_states, strict=False):
        reg.add(bachata, student, state)
    claimed = reg.add(bachata, pool[len(bachata_states)], paid, source=RegistrationSource.WAITLIST)
    claimed.from_waitlist = True
    _waitlist(session, rng, now, bachata, pool[len(bachata_states) :], claimed)
    for student in rng.sample(dancers, 16):
        reg.add(swing, student, rng.choice([paid] * 8 + [REFUNDED, CANCELLED]))
    for class_session in hiphop.sessions:
        for student in rng.sample(dancers, rng.randint(3, 9)):
            held = session_start(class_session) < now
            reg.add(hiphop, student, paid if held else PaymentStatus.PENDING, drop_in=class_session)
    for student in rng.sample(people.crew, 20):
        reg.add(crew, student, paid)
    understudy = next(d for d in people.dancers if not d.admin_classified)
    extra = reg.add(crew, understudy, paid, source=RegistrationSource.STAFF)
    extra.override_reason = "Understudy for the showcase, approved by the crew director."
    for student in rng.sample(dancers, 7):
        reg.add(contemporary, student, rng.choice((paid, PaymentStatus.PENDING)))
    session.add_all(reg.made)
    _attendance(session, rng, now, reg.made, people.staff, courses)


def _waitlist(
    session: Session,
    rng: random.Random,
    now: datetime,
    course: Course,
    candidates: list[Student],
    claimed: Registration,
) -> None:
    joined = now - timedelta(days=6)
    assert claimed.student is not None
    session.add(
        WaitlistEntry(
            student=claimed.student, course=course, position=None,
            status=WaitlistStatus.CLAIMED, joined_at=joined - timedelta(days=2),
            offer_sent_at=joined, offer_expires_at=joined + timedelta(hours=48),
            registration=claimed, left_at=joined + timedelta(hours=5),
        )
    )  # fmt: skip
    line = candidates[1:7]
    for position, student in enumerate(line[:5], start=1):
        entry = WaitlistEntry(
            student=student,
            course=course,
            position=position,
            joined_at=joined + timedelta(hours=position * 7),
        )
        if position == 1:
            # Offered a freed seat; the link was emailed and only its hash is kept.
            entry.status = WaitlistStatus.OFFERED
            entry.offer_sent_at = now - timedelta(hours=5)
            entry.offer_expires_at = now + timedelta(hours=43)
            token = rng.getrandbits(256).to_bytes(32, "big")
            entry.offer_token_hash = hashlib.sha256(token).hexdigest()
        session.add(entry)
    session.add(
        WaitlistEntry(
            student=line[5], course=course, position=None, status=WaitlistStatus.DECLINED,
            joined_at=joined - timedelta(days=1), offer_sent_at=joined - timedelta(hours=20),
            offer_expires_at=joined + timedelta(hours=28), left_at=joined - timedelta(hours=2),
            reason="Declined the offer by email.",
        )
    )  # fmt: skip


def _attendance(
    session: Session,
    rng: random.Random,
    now: datetime,
    registrations: list[Registration],
    staff: list[StaffUser],
    courses: DemoCourses,
) -> None:
    held = [
        (course, s)
        for course in [
            *courses.workshops,
            courses.salsa,
            courses.swing,
            courses.hiphop,
            courses.crew,
        ]
        if course is not None
        for s in course.sessions
        if session_start(s) < now - timedelta(hours=2)
    ]
    # The studio's latest class is left for the roll call screen to mark.
    salsa_held = [s for course, s in held if course is courses.salsa]
    unmarked = salsa_held[-1] if salsa_held else None
    statuses = [AttendanceStatus.PRESENT] * 15 + [AttendanceStatus.LATE] * 2
    statuses += [AttendanceStatus.ABSENT] * 3
    for course, class_session in held:
        if class_session is unmarked:
            continue
        started = session_start(class_session)
        for registration in registrations:
            if registration.course is not course or not _on_roster(registration, class_session):
                continue
            if registration.created_at > started:
                continue
            session.add(
                Attendance(
                    session=class_session,
                    registration=registration,
                    status=rng.choice(statuses),
                    marked_at=started + timedelta(minutes=rng.randint(5, 90)),
                    marked_by=rng.choice(staff),
                )
            )


def _on_roster(registration: Registration, class_session: ClassSession) -> bool:
    if registration.cancelled_at is not None:
        return False
    if registration.payment_status not in SEAT_HOLDING_PAYMENT_STATUSES:
        return False
    drop_in = registration.drop_in_session
    return drop_in is None or drop_in is class_session
