"""A school signs its participants up for a course (the public ``/signup/`` form).

All participants are registered in one transaction: if the course cannot take
them all, none is registered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails.school import school_signup_confirmation
from domain.enums import PricingType, RegistrationSource
from domain.errors import NotFound, ValidationError
from domain.model import School, Student
from domain.outbox import queue_email
from domain.rules.contact_details import clean_line, normalise_email, split_name
from domain.services.registration import check_public_booking
from domain.services.registration_core import (
    RegistrationOutcome,
    RegistrationRequest,
    register_in_session,
)
from domain.services.seats import lock_course
from domain.services.settings import load_settings

#: Participants one sign-up takes; a longer list is refused whole, never cut short.
MAX_PARTICIPANTS = 30


def _required_line(raw: str, field: str, label: str) -> str:
    """A required one-line school detail (the schools columns hold 255 characters)."""
    return clean_line(raw, field=field, label=label, max_length=255, required=True)


@dataclass
class NewSchool:
    name: str
    location: str
    contact_name: str
    contact_email: str
    contact_phone: str = ""

    def cleaned(self) -> NewSchool:
        return NewSchool(
            name=_required_line(self.name, "school_name", "The school name"),
            location=_required_line(self.location, "location", "The school's location"),
            contact_name=_required_line(self.contact_name, "contact_name", "The contact name"),
            contact_email=normalise_email(self.contact_email, field="contact_email"),
            contact_phone=clean_line(
                self.contact_phone,
                field="contact_phone",
                label="The contact phone",
                max_length=50,
            ),
        )


@dataclass
class Participant:
    name: str
    title: str = ""

    def cleaned(self, index: int) -> Participant:
        return Participant(
            name=clean_line(
                self.name,
                field=f"participants-{index}-name",
                label="The participant's name",
                max_length=200,
                required=True,
            ),
            title=clean_line(
                self.title,
                field=f"participants-{index}-title",
                label="The participant's title",
                max_length=255,
            ),
        )


def sign_up_school(
    db: Database,
    *,
    course_id: int,
    school_id: int | None,
    new_school: NewSchool | None,
    participants: list[Participant],
    actor: Actor,
    now: datetime | None = None,
) -> list[RegistrationOutcome]:
    """Register each participant of a school (found or created) for a published future
    course open to school sign-up.

    Give ``school_id`` for a known school or ``new_school`` to add one (a school
    with the same name is reused). A participant already known at that school is
    reused; a repeated sign-up returns the existing registrations.
    """
    now = now or utcnow()
    if (school_id is None) == (new_school is None):
        raise ValidationError("Choose your school or register a new one.", field="school")
    school_details = new_school.cleaned() if new_school is not None else None
    people = [p.cleaned(i) for i, p in enumerate(participants)]
    if not people:
        raise ValidationError("Add at least one participant.", field="participants")
    if len(people) > MAX_PARTICIPANTS:
        raise ValidationError(
            f"One sign-up takes at most {MAX_PARTICIPANTS} participants and this one lists "
            f"{len(people)}. Please remove {len(people) - MAX_PARTICIPANTS} and sign them up "
            "in a second sign-up.",
            field="participants",
        )
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        check_public_booking(course, settings, now=now)
        if not course.open_to_school_signup:
            raise ValidationError(
                "Schools cannot sign up for this course. Please choose one from the list.",
                field="course",
            )
        school = _find_or_create_school(session, school_id, school_details, actor=actor, now=now)
        outcomes: list[RegistrationOutcome] = []
        students: list[Student] = []
        for person in people:
            student = find_or_create_participant(session, school, person, actor=actor, now=now)
            outcome = register_in_session(
                session,
                RegistrationRequest(
                    course=course,
                    student=student,
                    pricing_type=PricingType.FULL_PACKAGE,
                    source=RegistrationSource.SCHOOL_SIGNUP,
                    school_id=school.id,
                    public=True,
                    send_email=False,
                ),
                actor=actor,
                settings=settings,
                now=now,
            )
            outcomes.append(outcome)
            if student not in students:
                students.append(student)
        if any(o.created for o in outcomes):
            queue_email(
                session,
                school_signup_confirmation(
                    school=school, course=course, participants=students, settings=settings
                ),
                settings,
            )
        session.commit()
        return outcomes


def _find_or_create_school(
    session: Session,
    school_id: int | None,
    details: NewSchool | None,
    *,
    actor: Actor,
    now: datetime,
) -> School:
    if school_id is not None:
        school = session.get(School, school_id)
        if school is None:
            raise NotFound("The chosen school does not exist; please register it as new.")
        return school
    if details is None:
        raise ValidationError("Choose your school or register a new one.", field="school")
    existing = session.scalars(
        select(School)
        .where(func.lower(t.schools.c.name) == details.name.lower())
        .order_by(t.schools.c.id)
    ).first()
    if existing is not None:
        return existing
    school = School(
        name=details.name,
        location=details.location,
        contact_name=details.contact_name,
        contact_email=details.contact_email,
        contact_phone=details.contact_phone,
        created_at=now,
        updated_at=now,
    )
    session.add(school)
    session.flush()
    audit.record(
        session,
        actor,
        "school.create",
        school,
        {"name": [None, school.name], "contact_email": [None, school.contact_email]},
    )
    return school


def find_or_create_participant(
    session: Session, school: School, person: Participant, *, actor: Actor, now: datetime
) -> Student:
    """The school's student with this name, or a new one (participants have no email)."""
    first, last = split_name(person.name)
    s = t.students.c
    existing = session.scalars(
        select(Student)
        .where(
            s.school_id == school.id,
            func.lower(s.first_name) == first.lower(),
            func.lower(s.last_name) == last.lower(),
        )
        .order_by(s.id)
    ).first()
    if existing is not None:
        return existing
    student = Student(
        first_name=first,
        last_name=last,
        title=person.title,
        school_id=school.id,
        created_at=now,
        updated_at=now,
    )
    session.add(student)
    session.flush()
    audit.record(
        session,
        actor,
        "student.create",
        student,
        {"first_name": [None, first], "last_name": [None, last], "school_id": [None, school.id]},
    )
    return student


@dataclass(frozen=True)
class SignedUp:
    """What a school just signed up: the course and the participants' names."""

    course_title: str
    starts_at: datetime
    ends_at: datetime | None
    school_name: str
    participants: tuple[str, ...]


def signed_up(session: Session, registration_ids: Sequence[int]) -> SignedUp | None:
    """The course and participants of a school sign-up's registrations (one statement),
    or None when none of them is one."""
    r, c, s, sc = t.registrations.c, t.courses.c, t.students.c, t.schools.c
    rows = session.execute(
        select(c.title, c.starts_at, c.ends_at, sc.name, s.first_name, s.last_name)
        .select_from(t.registrations)
        .join(t.courses, c.id == r.course_id)
        .join(t.students, s.id == r.student_id)
        .join(t.schools, sc.id == r.school_id)
        .where(
            r.id.in_(list(registration_ids)[:MAX_PARTICIPANTS]),
            r.source == RegistrationSource.SCHOOL_SIGNUP,
        )
        .order_by(r.id)
    ).all()
    if not rows:
        return None
    title, starts_at, ends_at, school = rows[0][:4]
    names = [" ".join(p for p in (first, last) if p) for *_, first, last in rows]
    return SignedUp(title, starts_at, ends_at, school, tuple(dict.fromkeys(names)))
