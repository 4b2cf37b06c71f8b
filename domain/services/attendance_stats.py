"""Attendance figures: per session, per registration, per course, and across all courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db.tables import attendance, class_sessions, registrations
from domain.errors import NotFound
from domain.model import Registration
from domain.rules.attendance import (
    ATTENDED_STATUSES,
    SessionStats,
    average,
    completion,
    is_trained,
    session_stats_from,
)
from domain.rules.settings import Settings
from domain.services.attendance_roster import roster
from domain.services.seats import holds_seat_clause


@dataclass(frozen=True)
class CourseStats:
    """A course's attendance so far (full-package participants; drop-ins are one-offs)."""

    sessions_total: int
    sessions_held: int
    participants: int
    average_completion: Decimal
    participants_trained: int


def session_stats(
    session: Session, session_id: int, *, now: datetime | None = None
) -> SessionStats:
    """Totals of the session's roster: present, absent, late and not yet marked."""
    return session_stats_from(line.status for line in roster(session, session_id, now=now))


def _attended_per_registration(today: date) -> Select[int, int]:
    a, cs = attendance.c, class_sessions.c
    return (
        select(a.registration_id, func.count().label("attended"))
        .select_from(attendance)
        .join(class_sessions, cs.id == a.session_id)
        .where(a.status.in_(ATTENDED_STATUSES), cs.session_date <= today)
        .group_by(a.registration_id)
    )


def _held_per_course(today: date) -> Select[int, int]:
    cs = class_sessions.c
    return (
        select(cs.course_id, func.count().label("held"))
        .where(cs.session_date <= today)
        .group_by(cs.course_id)
    )


def registration_completion(session: Session, registration_id: int, *, today: date) -> Decimal:
    """Sessions attended (present or late) over sessions held up to ``today``; 0 before any.

    A drop-in is measured against its one session.
    """
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(f"There is no registration with id {registration_id}.")
    cs = class_sessions.c
    held_query = select(func.count()).select_from(class_sessions).where(cs.session_date <= today)
    if registration.drop_in_session_id is not None:
        held_query = held_query.where(cs.id == registration.drop_in_session_id)
    else:
        held_query = held_query.where(cs.course_id == registration.course_id)
    held = session.scalar(held_query) or 0
    attended_query = _attended_per_registration(today).where(
        attendance.c.registration_id == registration_id
    )
    attended = session.execute(attended_query).one_or_none()
    return completion(attended[1] if attended else 0, held)


def course_stats(
    session: Session,
    course_id: int,
    *,
    today: date,
    settings: Settings,
    now: datetime | None = None,
) -> CourseStats:
    """Sessions held, average completion and participants trained for one course."""
    now = now or utcnow()
    cs, r = class_sessions.c, registrations.c
    total, held = session.execute(
        select(
            func.count(),
            func.count().filter(cs.session_date <= today),
        ).where(cs.course_id == course_id)
    ).one()
    attended = _attended_per_registration(today).subquery()
    counts = session.scalars(
        select(func.coalesce(attended.c.attended, 0))
        .select_from(registrations)
        .outerjoin(attended, attended.c.registration_id == r.id)
        .where(r.course_id == course_id, r.drop_in_session_id.is_(None), holds_seat_clause(now))
    ).all()
    threshold = settings.completion_threshold_percent
    return CourseStats(
        sessions_total=int(total),
        sessions_held=int(held),
        participants=len(counts),
        average_completion=average(completion(n, int(held)) for n in counts),
        participants_trained=sum(1 for n in counts if is_trained(n, int(held), threshold)),
    )


def participants_trained_total(
    session: Session, *, today: date, settings: Settings, now: datetime | None = None
) -> int:
    """Participants trained across every course, counted by the database in one query."""
    now = now or utcnow()
    r = registrations.c
    held = _held_per_course(today).subquery()
    attended = _attended_per_registration(today).subquery()
    attended_count = func.coalesce(attended.c.attended, 0)
    query = (
        select(func.count())
        .select_from(registrations)
        .join(held, held.c.course_id == r.course_id)
        .outerjoin(attended, attended.c.registration_id == r.id)
        .where(
            r.drop_in_session_id.is_(None),
            holds_seat_clause(now),
            held.c.held > 0,
            attended_count * 100 >= settings.completion_threshold_percent * held.c.held,
        )
    )
    return int(session.scalar(query) or 0)


def attended_and_held(
    session: Session, registrations: list[Registration], *, today: date
) -> dict[int, tuple[int, int]]:
    """(sessions attended, sessions held) up to ``today`` for each registration, by id.

    Two statements whatever the number of registrations. A drop-in is measured
    against its one session, as in ``registration_completion``.
    """
    ids = [r.id for r in registrations if r.id is not None]
    course_ids = sorted({r.course_id for r in registrations if r.course_id is not None})
    if not ids:
        return {}
    attended: dict[int, int] = {
        registration_id: count
        for registration_id, count in session.execute(
            _attended_per_registration(today).where(attendance.c.registration_id.in_(ids))
        )
    }
    cs = class_sessions.c
    held_sessions = session.execute(
        select(cs.id, cs.course_id).where(cs.course_id.in_(course_ids), cs.session_date <= today)
    )
    held_per_course: dict[int, int] = {}
    held_ids: set[int] = set()
    for session_id, course_id in held_sessions:
        held_per_course[course_id] = held_per_course.get(course_id, 0) + 1
        held_ids.add(session_id)
    counts: dict[int, tuple[int, int]] = {}
    for registration in registrations:
        if registration.id is None:
            continue
        if registration.drop_in_session_id is not None:
            held = 1 if registration.drop_in_session_id in held_ids else 0
        else:
            held = held_per_course.get(registration.course_id or 0, 0)
        counts[registration.id] = (min(attended.get(registration.id, 0), held), held)
    return counts
