"""A school's contact looks after the school's participants ("my school").

Signed in (``domain.services.school_sign_in``), the contact may add a teacher to
a course that has not started (the sign-up's registration rules), or hand one
participant's place to another: the old registration is cancelled and the new
one made in one transaction under the course lock, so the seat passes over
without ever being offered to the waitlist or counted twice. Each change is
audited and confirmed by email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails import school_portal as messages
from domain.enums import ActorKind, PricingType, RegistrationSource
from domain.errors import (
    AlreadyRegistered,
    NotFound,
    RegistrationClosed,
    ValidationError,
)
from domain.model import Course, Registration, School, Student
from domain.outbox import queue_email
from domain.rules.capacity import holds_seat
from domain.rules.contact_details import clean_line, clean_text, normalise_email
from domain.rules.school_portal import (
    NOT_YOURS_MESSAGE,
    belongs_to_school,
    replacement_refusal,
    school_change_refusal,
)
from domain.rules.settings import Settings
from domain.services.payments import lock_registration
from domain.services.registration import check_public_booking
from domain.services.registration_core import RegistrationRequest, register_in_session
from domain.services.school_signup import Participant, find_or_create_participant
from domain.services.seats import lock_course
from domain.services.settings import load_settings

COURSE_NOT_YOURS = "Your school has no participants on this course."
#: The registration's payment goes with its seat to the replacement.
_PAYMENT_FIELDS = (
    "amount_due",
    "payment_status",
    "payment_method",
    "payment_reference",
    "payment_confirmed_at",
    "payment_confirmed_by_id",
    "hold_expires_at",
)


def school_contact(school_id: int, address: str) -> Actor:
    """Who the audit log names for a change made on "my school"."""
    return Actor(
        ActorKind.PUBLIC, f"contact of school #{school_id} {address}".strip(), address=address
    )


@dataclass
class NewParticipant:
    """A teacher the contact adds: a name, and a title and an email if they give them."""

    name: str
    title: str = ""
    email: str = ""

    def cleaned(self) -> NewParticipant:
        return NewParticipant(
            name=clean_line(
                self.name,
                field="name",
                label="The participant's name",
                max_length=200,
                required=True,
            ),
            title=clean_line(self.title, field="title", label="The job title", max_length=255),
            email=normalise_email(self.email) if self.email.strip() else "",
        )


def add_participant(
    db: Database,
    *,
    school_id: int,
    course_id: int,
    person: NewParticipant,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Register another of the school's teachers for a course the school is on; the new id.

    The school sign-up's rules apply: the course lock, the booking window,
    eligibility, capacity and price (``register_in_session``).
    """
    now = now or utcnow()
    clean = person.cleaned()
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        school = _school(session, school_id)
        if not _school_is_on_course(session, school_id, course_id):
            raise NotFound(COURSE_NOT_YOURS)
        _refuse_started(course, now)
        check_public_booking(course, settings, now=now)
        teacher = _participant(session, school, clean, actor=actor, now=now)
        outcome = register_in_session(
            session,
            RegistrationRequest(
                course=course,
                student=teacher,
                pricing_type=PricingType.FULL_PACKAGE,
                source=RegistrationSource.SCHOOL_SIGNUP,
                school_id=school_id,
                public=True,
                send_email=False,
            ),
            actor=actor,
            settings=settings,
            now=now,
        )
        if not outcome.created:
            raise AlreadyRegistered(f"{teacher.full_name} is already signed up for {course.title}.")
        queue_email(
            session,
            messages.participant_added(
                school=school, course=course, participant=teacher, settings=settings
            ),
            settings,
        )
        _confirm_to_teacher(session, school, course, teacher, settings)
        session.commit()
        return outcome.registration_id


def replace_participant(
    db: Database,
    *,
    school_id: int,
    registration_id: int,
    person: NewParticipant,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Hand a participant's place, with its payment, to another teacher; the new id.

    Refused after the course starts, for a registration holding no seat, and for
    one that is not the school's (as if it did not exist).
    """
    now = now or utcnow()
    clean = person.cleaned()
    why = clean_text(reason, field="reason", label="The reason", max_length=2000)
    if not why:
        raise ValidationError("Please say why this participant is replaced.", field="reason")
    with db.write() as session:
        owner = session.scalar(
            select(t.registrations.c.school_id).where(t.registrations.c.id == registration_id)
        )
        if not belongs_to_school(owner, school_id):
            raise NotFound(NOT_YOURS_MESSAGE)
        old, course = lock_registration(session, registration_id)
        leaving = _student(session, old.student_id)
        refusal = replacement_refusal(
            participant_name=leaving.full_name,
            holds_seat=holds_seat(
                cancelled=old.is_cancelled,
                payment_status=old.payment_status,
                hold_expires_at=old.hold_expires_at,
                now=now,
            ),
            course_title=course.title,
            course_starts_at=course.starts_at,
            now=now,
        )
        if refusal is not None:
            raise RegistrationClosed(refusal)
        settings = load_settings(session)
        school = _school(session, school_id)
        joining = _participant(session, school, clean, actor=actor, now=now)
        if joining.id == leaving.id:
            raise ValidationError(
                f"{leaving.full_name} already holds this place; name the new teacher.",
                field="name",
            )
        new = _take_over(
            session, old, course, joining, why, actor=actor, settings=settings, now=now
        )
        audit.record(
            session,
            actor,
            "registration.replace",
            old,
            {
                "cancelled_at": [None, now.isoformat()],
                "student": [leaving.full_name, joining.full_name],
                "replaced_by_registration_id": [None, new.id],
            },
            reason=why,
        )
        queue_email(
            session,
            messages.participant_replaced(
                school=school,
                course=course,
                replaced=leaving,
                replacement=joining,
                reason=why,
                settings=settings,
            ),
            settings,
        )
        _confirm_to_teacher(session, school, course, joining, settings)
        session.commit()
        return new.id or 0


def _take_over(
    session: Session,
    old: Registration,
    course: Course,
    joining: Student,
    reason: str,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> Registration:
    """Cancel ``old`` and register ``joining`` in its seat, moving its payment along.

    The seat is not freed in between (no ``seat_freed``): under the course lock the
    new registration takes the very seat the old one gives up (``seat_granted``).
    """
    old.cancelled_at = now
    old.cancelled_by_id = None
    old.cancellation_reason = f"Replaced by {joining.full_name}: {reason}"[:2000]
    old.updated_at = now
    session.flush()
    outcome = register_in_session(
        session,
        RegistrationRequest(
            course=course,
            student=joining,
            pricing_type=old.pricing_type,
            drop_in_session_id=old.drop_in_session_id,
            source=RegistrationSource.SCHOOL_SIGNUP,
            school_id=old.school_id,
            public=True,
            seat_granted=True,
            send_email=False,
        ),
        actor=actor,
        settings=settings,
        now=now,
    )
    if not outcome.created:
        raise AlreadyRegistered(f"{joining.full_name} is already signed up for {course.title}.")
    new = session.get(Registration, outcome.registration_id)
    if new is None:
        raise NotFound("The new registration could not be read back.")
    payment = {name: getattr(old, name) for name in _PAYMENT_FIELDS}
    # The money now belongs to the new registration; the report counts it once,
    # and its Venmo or Zelle reference (unique) leaves the old one first.
    old.amount_due = Decimal("0.00")
    old.payment_reference = ""
    session.flush()
    for name, value in payment.items():
        setattr(new, name, value)
    session.flush()
    return new


def _refuse_started(course: Course, now: datetime) -> None:
    refusal = school_change_refusal(
        course_title=course.title, course_starts_at=course.starts_at, now=now
    )
    if refusal is not None:
        raise RegistrationClosed(refusal)


def _school(session: Session, school_id: int) -> School:
    school = session.get(School, school_id)
    if school is None:
        raise NotFound("This school no longer exists.")
    return school


def _student(session: Session, student_id: int | None) -> Student:
    student = session.get(Student, student_id) if student_id is not None else None
    if student is None:
        raise NotFound("The participant does not exist.")
    return student


def _school_is_on_course(session: Session, school_id: int, course_id: int) -> bool:
    r = t.registrations.c
    found = session.scalar(
        select(r.id).where(r.school_id == school_id, r.course_id == course_id).limit(1)
    )
    return found is not None


def _participant(
    session: Session, school: School, person: NewParticipant, *, actor: Actor, now: datetime
) -> Student:
    """The school's teacher of this name (added if new), given the email if no one holds it."""
    teacher = find_or_create_participant(
        session, school, Participant(name=person.name, title=person.title), actor=actor, now=now
    )
    if person.email and not teacher.email:
        taken = session.scalar(select(t.students.c.id).where(t.students.c.email == person.email))
        if taken is None:
            before = audit.snapshot(teacher, ["email"])
            teacher.email = person.email
            teacher.updated_at = now
            session.flush()
            audit.record(session, actor, "student.update", teacher, audit.diff(before, teacher))
    return teacher


def _confirm_to_teacher(
    session: Session, school: School, course: Course, teacher: Student, settings: Settings
) -> None:
    if teacher.email:
        queue_email(
            session,
            messages.teacher_place_confirmed(
                school=school, course=course, teacher=teacher, settings=settings
            ),
            settings,
        )
