"""Staff actions on several registrations at once: all of them, or none.

Each batch runs in one transaction through the same steps as the single
action (``confirm_payment_in_session`` …). When any registration is refused,
nothing is written and the refusal names every refused registration and why
(``BatchRefused``), so staff never get a silent partial change. The chosen
registrations' courses are locked in id order first, so two batches cannot
deadlock each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentMethod
from domain.errors import DomainError, ValidationError
from domain.model import Course, Registration, Student
from domain.services.notifications import resend_confirmation_in_session
from domain.services.payments import cancel_registration_in_session, confirm_payment_in_session
from domain.services.seats import lock_course

#: The most registrations one batch may hold (a page of the list is 100 at most).
MAX_BATCH = 200


class BatchRefused(ValidationError):
    """Some chosen registrations cannot be changed; nothing was written."""

    def __init__(self, refusals: Sequence[str], total: int) -> None:
        self.refusals = list(refusals)
        n = len(self.refusals)
        head = (
            f"Nothing was changed: {n} of the {total} chosen registrations "
            f"{'was' if n == 1 else 'were'} refused."
        )
        # One refusal a line: the admin form shows each on its own line.
        super().__init__(head + "\n" + "\n".join(self.refusals))


@dataclass(frozen=True)
class Payment:
    """How one registration was paid."""

    registration_id: int
    method: PaymentMethod | str
    reference: str


def confirm_payments(
    db: Database, *, payments: Sequence[Payment], actor: Actor, now: datetime | None = None
) -> int:
    """Confirm each payment with its own method and reference; how many were confirmed."""
    now = now or utcnow()
    by_id = {payment.registration_id: payment for payment in payments}

    def one(session: Session, registration_id: int) -> None:
        payment = by_id[registration_id]
        confirm_payment_in_session(
            session,
            registration_id=registration_id,
            method=payment.method,
            reference=payment.reference,
            actor=actor,
            now=now,
        )

    return _all_or_none(db, list(by_id), one)


def cancel_registrations(
    db: Database,
    *,
    registration_ids: Sequence[int],
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Cancel each registration with the one reason; seats go to the waitlist as for one."""
    now = now or utcnow()

    def one(session: Session, registration_id: int) -> None:
        cancel_registration_in_session(
            session, registration_id=registration_id, reason=reason, actor=actor, now=now
        )

    return _all_or_none(db, registration_ids, one)


def resend_confirmations(
    db: Database, *, registration_ids: Sequence[int], actor: Actor, now: datetime | None = None
) -> int:
    """Queue each registration's confirmation email again, with fresh links."""
    now = now or utcnow()

    def one(session: Session, registration_id: int) -> None:
        resend_confirmation_in_session(
            session, registration_id=registration_id, actor=actor, now=now
        )

    return _all_or_none(db, registration_ids, one)


def _all_or_none(
    db: Database, registration_ids: Sequence[int], one: Callable[[Session, int], None]
) -> int:
    ids = list(dict.fromkeys(registration_ids))
    if not ids:
        raise ValidationError("Choose at least one registration.")
    if len(ids) > MAX_BATCH:
        raise ValidationError(f"Choose at most {MAX_BATCH} registrations at a time.")
    with db.write() as session:
        course_ids = session.scalars(
            select(t.registrations.c.course_id)
            .where(t.registrations.c.id.in_(ids))
            .distinct()
            .order_by(t.registrations.c.course_id)
        ).all()
        for course_id in course_ids:
            lock_course(session, course_id)
        refusals: list[str] = []
        for registration_id in ids:
            try:
                one(session, registration_id)
            except DomainError as exc:
                refusals.append(f"{_name(session, registration_id)}: {exc}")
        if refusals:
            raise BatchRefused(refusals, len(ids))
        session.commit()
    return len(ids)


def _name(session: Session, registration_id: int) -> str:
    """How a refusal names a registration: "Jamie Newcomer — Contemporary Technique"."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        return f"Registration #{registration_id}"
    student = session.get(Student, registration.student_id)
    course = session.get(Course, registration.course_id)
    who = student.full_name if student else "A student"
    return f"{who} — {course.title}" if course else who
