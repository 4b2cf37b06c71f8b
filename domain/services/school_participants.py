"""What a signed-in school contact sees: the school's participants, course by course.

Only registrations made for the school (``registrations.school_id``) are read;
the page costs the same few statements however many participants and courses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from domain import formatting
from domain.db import tables as t
from domain.enums import PricingType
from domain.errors import NotFound, ValidationError
from domain.model import Course, Registration, School
from domain.rules.capacity import holds_seat
from domain.rules.pricing import amount_due
from domain.rules.schedule import local_date
from domain.rules.school_portal import (
    NOT_YOURS_MESSAGE,
    belongs_to_school,
    replacement_refusal,
    school_change_refusal,
)
from domain.rules.settings import Settings
from domain.services.attendance_stats import attended_and_held
from domain.services.catalogue import course_prices
from domain.services.seats import with_slots_and_prices


@dataclass(frozen=True)
class ParticipantLine:
    registration_id: int
    name: str
    title: str
    attended: int
    held: int
    #: The payment state in words, and its badge colour.
    payment: str
    payment_colour: str
    #: Why this participant cannot be replaced now; None when they can.
    replace_refusal: str | None


@dataclass(frozen=True)
class SchoolCourse:
    course_id: int
    title: str
    starts: str
    location: str
    participants: list[ParticipantLine]
    #: Why participants can no longer be added; None before the course starts.
    change_refusal: str | None


@dataclass(frozen=True)
class SchoolPage:
    school_name: str
    courses: list[SchoolCourse]


def _with_student_and_course() -> tuple[Any, Any]:
    # The relationships exist once the mappers are started, not at import.
    return (
        joinedload(getattr(Registration, "student")),  # noqa: B009
        joinedload(getattr(Registration, "course")),  # noqa: B009
    )


def school_page(
    session: Session, school_id: int, *, now: datetime, settings: Settings
) -> SchoolPage:
    """The school's participants (cancelled ones left out) per course, upcoming courses first."""
    school = session.get(School, school_id)
    if school is None:
        raise NotFound("This school no longer exists.")
    r = t.registrations.c
    registrations = list(
        session.scalars(
            select(Registration)
            .where(r.school_id == school_id, r.cancelled_at.is_(None))
            .options(*_with_student_and_course())
            .order_by(r.id)
        )
    )
    counts = attended_and_held(session, registrations, today=local_date(now, settings.timezone))
    by_course: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_course.setdefault(registration.course_id or 0, []).append(registration)
    courses = [_course(group, counts, now=now, settings=settings) for group in by_course.values()]
    upcoming = [c for c in courses if c[0] > now]
    past = [c for c in courses if c[0] <= now]
    ordered = sorted(upcoming, key=lambda c: c[0]) + sorted(past, key=lambda c: c[0], reverse=True)
    return SchoolPage(school_name=school.name, courses=[c[1] for c in ordered])


def _course(
    group: list[Registration],
    counts: dict[int, tuple[int, int]],
    *,
    now: datetime,
    settings: Settings,
) -> tuple[datetime, SchoolCourse]:
    course = group[0].course
    assert course is not None and course.id is not None
    lines = []
    for registration in sorted(group, key=lambda g: _sort_name(g)):
        student = registration.student
        assert student is not None and registration.id is not None
        attended, held = counts.get(registration.id, (0, 0))
        payment, colour = formatting.payment_badge(registration)
        lines.append(
            ParticipantLine(
                registration_id=registration.id,
                name=student.full_name,
                title=student.title,
                attended=attended,
                held=held,
                payment=payment,
                payment_colour=colour,
                replace_refusal=replacement_refusal(
                    participant_name=student.full_name,
                    holds_seat=_holds_seat(registration, now),
                    course_title=course.title,
                    course_starts_at=course.starts_at,
                    now=now,
                ),
            )
        )
    page_course = SchoolCourse(
        course_id=course.id,
        title=course.title,
        starts=formatting.local_datetime(course.starts_at, settings.timezone),
        location=course.location,
        participants=lines,
        change_refusal=school_change_refusal(
            course_title=course.title, course_starts_at=course.starts_at, now=now
        ),
    )
    return course.starts_at, page_course


def _sort_name(registration: Registration) -> tuple[str, str]:
    student = registration.student
    return (student.last_name.casefold(), student.first_name.casefold()) if student else ("", "")


def _holds_seat(registration: Registration, now: datetime) -> bool:
    return holds_seat(
        cancelled=registration.is_cancelled,
        payment_status=registration.payment_status,
        hold_expires_at=registration.hold_expires_at,
        now=now,
    )


@dataclass(frozen=True)
class ReplacementTarget:
    registration_id: int
    name: str
    title: str
    course_title: str
    starts: str
    refusal: str | None


def replacement_target(
    session: Session, school_id: int, registration_id: int, *, now: datetime, settings: Settings
) -> ReplacementTarget:
    """The participant the contact is about to replace; ``NotFound`` unless it is the school's."""
    registration = session.scalars(
        select(Registration)
        .where(t.registrations.c.id == registration_id)
        .options(*_with_student_and_course())
    ).one_or_none()
    if registration is None or not belongs_to_school(registration.school_id, school_id):
        raise NotFound(NOT_YOURS_MESSAGE)
    student, course = registration.student, registration.course
    assert student is not None and course is not None
    return ReplacementTarget(
        registration_id=registration_id,
        name=student.full_name,
        title=student.title,
        course_title=course.title,
        starts=formatting.local_datetime(course.starts_at, settings.timezone),
        refusal=replacement_refusal(
            participant_name=student.full_name,
            holds_seat=_holds_seat(registration, now),
            course_title=course.title,
            course_starts_at=course.starts_at,
            now=now,
        ),
    )


def package_price(session: Session, course_id: int) -> Decimal | None:
    """What one more teacher's full-course place costs (the pricing rule); None if not sold."""
    course = (
        session.scalars(
            select(Course).where(t.courses.c.id == course_id).options(with_slots_and_prices())
        )
        .unique()
        .one_or_none()
    )
    if course is None:
        return None
    try:
        return amount_due(course_prices(course), pricing_type=PricingType.FULL_PACKAGE)
    except ValidationError:
        return None
