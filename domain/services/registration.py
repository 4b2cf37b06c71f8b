"""Register a student for a course: the public path and the staff path.

Both take the capacity lock first (``lock_course``), so counting seats and adding
the registration happen as one step however many requests arrive at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.db.upsert import upsert_insert
from domain.enums import ActorKind, PricingType, RegistrationSource
from domain.errors import NotFound, RegistrationClosed, ValidationError
from domain.model import ClassSession, Course, School, Student
from domain.rules.contact_details import clean_student_field, clean_text, normalise_email
from domain.rules.eligibility import public_booking_refusal, session_starts_at
from domain.rules.settings import Settings
from domain.services.registration_core import (
    RegistrationOutcome,
    RegistrationRequest,
    register_in_session,
)
from domain.services.seats import lock_course
from domain.services.settings import load_settings

#: Sources on which the public booking window (open, published, not started) applies.
PUBLIC_SOURCES = (RegistrationSource.PUBLIC, RegistrationSource.SCHOOL_SIGNUP)


@dataclass
class StudentDetails:
    """What a student types on the registration form; used only for a new student."""

    email: str
    first_name: str
    last_name: str = ""
    phone: str = ""
    title: str = ""
    experience: str = ""
    emergency_contact: str = ""
    school_id: int | None = None

    def cleaned(self) -> StudentDetails:
        """These details trimmed and checked; ``ValidationError`` names the bad field."""
        return StudentDetails(
            email=normalise_email(self.email),
            first_name=clean_student_field("first_name", self.first_name),
            last_name=clean_student_field("last_name", self.last_name),
            phone=clean_student_field("phone", self.phone),
            title=clean_student_field("title", self.title),
            experience=clean_student_field("experience", self.experience),
            emergency_contact=clean_student_field("emergency_contact", self.emergency_contact),
            school_id=self.school_id,
        )


def register_student(
    db: Database,
    *,
    course_id: int,
    student: StudentDetails,
    pricing_type: str = PricingType.FULL_PACKAGE,
    drop_in_session_id: int | None = None,
    special_requests: str = "",
    actor: Actor,
    source: str = RegistrationSource.PUBLIC,
    now: datetime | None = None,
) -> RegistrationOutcome:
    """Register the student with ``student.email`` (created if new) for a course.

    A known student's stored details are never changed by what the form says. A
    repeated submission returns the existing registration with ``created=False``.
    Raises ``RegistrationClosed``, ``NotEligible``, ``CourseFull``, ``TooManyUnpaid``
    (a public visitor's address holds its cap of unpaid bookings),
    ``ValidationError`` or ``NotFound`` with a message for the person registering.
    """
    now = now or utcnow()
    details = student.cleaned()
    requests = clean_text(special_requests, field="special_requests", label="Special requests")
    try:
        source = RegistrationSource(source)
    except ValueError as exc:
        raise ValidationError(f"Unknown registration source {source!r}.") from exc
    # A visitor from the web is held to the public booking rules whatever the source says.
    public = source in PUBLIC_SOURCES or actor.kind == ActorKind.PUBLIC
    with db.write() as session:
        settings = load_settings(session)
        # The student first: every booking of a hot course queues on its lock, so
        # only the work that needs the seat count waits behind it. A refused
        # booking rolls the new student back with everything else.
        person, is_new = student_by_email_or_new(session, details, actor=actor, now=now)
        course = lock_course(session, course_id)
        if public:
            check_public_booking(
                course,
                settings,
                now=now,
                pricing_type=pricing_type,
                drop_in_starts_at=drop_in_starts_at(
                    session, course, drop_in_session_id, settings=settings
                ),
            )
        outcome = register_in_session(
            session,
            RegistrationRequest(
                course=course,
                student=person,
                student_is_new=is_new,
                pricing_type=pricing_type,
                drop_in_session_id=drop_in_session_id,
                special_requests=requests,
                source=source,
                school_id=person.school_id,
                public=public,
                client_address=actor.address or None,
            ),
            actor=actor,
            settings=settings,
            now=now,
        )
        session.commit()
        return outcome


def register_by_staff(
    db: Database,
    *,
    course_id: int,
    student_id: int,
    pricing_type: str = PricingType.FULL_PACKAGE,
    drop_in_session_id: int | None = None,
    override_reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> RegistrationOutcome:
    """Register an existing student; staff may pass capacity and eligibility.

    Bending either rule needs ``override_reason``, which is kept on the
    registration and in the audit log.
    """
    now = now or utcnow()
    reason = clean_text(override_reason, field="override_reason", label="The reason")
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        person = session.get(Student, student_id)
        if person is None:
            raise NotFound("This student does not exist.")
        outcome = register_in_session(
            session,
            RegistrationRequest(
                course=course,
                student=person,
                pricing_type=pricing_type,
                drop_in_session_id=drop_in_session_id,
                source=RegistrationSource.STAFF,
                school_id=person.school_id,
                override_reason=reason,
                may_override=True,
            ),
            actor=actor,
            settings=settings,
            now=now,
        )
        session.commit()
        return outcome


def check_public_booking(
    course: Course,
    settings: Settings,
    *,
    now: datetime,
    pricing_type: str = PricingType.FULL_PACKAGE,
    drop_in_starts_at: datetime | None = None,
) -> None:
    """Raise ``NotFound`` for an unpublished course, ``RegistrationClosed`` when closed.

    A full package closes when the course starts; a drop-in when its class starts.
    A drop-in whose class is missing is left to ``register_in_session``, which
    says what is wrong with the choice. The rule is ``public_booking_refusal``,
    the one the catalogue offers by (``domain.services.catalogue.public_offer``).
    """
    if not course.is_published:
        raise NotFound("This course does not exist or is not open for registration.")
    missing_class = pricing_type == PricingType.DROP_IN and drop_in_starts_at is None
    refusal = public_booking_refusal(
        registration_open=settings.registration_open,
        is_published=True,
        starts_at=course.starts_at,
        now=now,
        pricing_type=pricing_type,
        session_starts_at=drop_in_starts_at,
    )
    if refusal and not (missing_class and settings.registration_open):
        raise RegistrationClosed(refusal)


def drop_in_starts_at(
    session: Session, course: Course, drop_in_session_id: int | None, *, settings: Settings
) -> datetime | None:
    """When the chosen drop-in class starts; None when there is no such class in the course."""
    if drop_in_session_id is None:
        return None
    chosen = session.get(ClassSession, drop_in_session_id)
    if chosen is None or chosen.course_id != course.id:
        return None
    return session_starts_at(
        session_date=chosen.session_date,
        start_time=chosen.start_time,
        timezone=settings.timezone,
    )


def find_or_create_student(
    session: Session, details: StudentDetails, *, actor: Actor, now: datetime
) -> Student:
    """The student with this (normalised) email, or a new one made from ``details``.

    A known student is returned unchanged: someone typing another person's email
    must not be able to rewrite that person's profile.
    """
    return student_by_email_or_new(session, details, actor=actor, now=now)[0]


def student_by_email_or_new(
    session: Session, details: StudentDetails, *, actor: Actor, now: datetime
) -> tuple[Student, bool]:
    """``find_or_create_student``, also saying whether the student was created here."""
    existing = _student_by_email(session, details.email)
    if existing is not None:
        return existing, False
    if details.school_id is not None and session.get(School, details.school_id) is None:
        raise ValidationError("The chosen school does not exist.", field="school_id")
    # Another course's registration may create the same student concurrently: the
    # unique email decides, and the loser reads the winner's row.
    student = session.scalars(
        upsert_insert(session, Student)
        .values(
            email=details.email,
            first_name=details.first_name,
            last_name=details.last_name,
            title=details.title,
            phone=details.phone,
            school_id=details.school_id,
            experience=details.experience,
            emergency_contact=details.emergency_contact,
            profile_complete=all(
                (details.first_name, details.last_name, details.phone, details.experience)
            ),
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[t.students.c.email])
        .returning(Student)
    ).one_or_none()
    if student is None:
        found = _student_by_email(session, details.email)
        if found is None:
            raise NotFound("This student was removed while registering; please try again.")
        return found, False
    audit.record(
        session,
        actor,
        "student.create",
        student,
        audit.diff(dict.fromkeys(("email", "first_name", "last_name", "school_id")), student),
    )
    return student, True


def _student_by_email(session: Session, email: str) -> Student | None:
    return session.scalars(select(Student).where(t.students.c.email == email)).one_or_none()
