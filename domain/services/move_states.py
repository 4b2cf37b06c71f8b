"""What a row's moves depend on, read from the database: the states the rules in
``domain.rules.*_moves`` decide by.

Each reader costs the same few statements however many registrations, waitlist
entries or sessions there are, so a detail page that offers a row's moves stays
as cheap at a thousand rows as at ten. The same readers re-check a move when
its form is posted (``course_refusal`` and its neighbours), so a page left open
never acts on a stale state.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import WaitlistStatus
from domain.errors import NotFound
from domain.model import ClassSession, Course, StaffUser, Student, WaitlistEntry
from domain.rules import course_moves, session_moves, staff_moves, student_moves, waitlist_moves
from domain.rules.course_moves import CourseMove, CourseState, has_ended
from domain.rules.personal_data import is_erased
from domain.rules.reminders import session_start
from domain.rules.session_moves import SessionMove, SessionState
from domain.rules.staff_moves import StaffMove, StaffState
from domain.rules.student_moves import StudentMove, StudentState
from domain.rules.waitlist_moves import WaitlistEntryState, WaitlistMove
from domain.services.attendance_roster import on_roster_clause
from domain.services.seats import course_occupancy
from domain.services.settings import load_settings
from domain.services.waitlist_line import waitlist_order

T = TypeVar("T")


def course_state_in(session: Session, course: Course, *, now: datetime) -> CourseState:
    w = t.waitlist_entries.c
    waiting = session.scalar(
        select(func.count()).where(
            w.course_id == course.id, w.status == WaitlistStatus.WAITING.value
        )
    )
    return CourseState(
        is_published=course.is_published,
        ended=has_ended(starts_at=course.starts_at, ends_at=course.ends_at, now=now),
        seats_open=course_occupancy(session, course, now=now).open_to_book(),
        waiting=int(waiting or 0),
    )


def not_ended_clause(now: datetime) -> ColumnElement[bool]:
    """``domain.rules.course_moves.has_ended``, negated, as a SQL condition on courses."""
    c = t.courses.c
    return func.coalesce(c.ends_at, c.starts_at) > now


def course_state(db: Database, course_id: int, *, now: datetime | None = None) -> CourseState:
    """The state a course's moves depend on (``domain.rules.course_moves``)."""
    with db.read() as session:
        return course_state_in(session, _get(session, Course, course_id), now=now or utcnow())


def waitlist_entry_state_in(
    session: Session, entry: WaitlistEntry, course: Course, *, now: datetime
) -> WaitlistEntryState:
    w = t.waitlist_entries.c
    first_waiting = session.scalar(
        select(w.id)
        .where(w.course_id == course.id, w.status == WaitlistStatus.WAITING.value)
        .order_by(*waitlist_order())
        .limit(1)
    )
    return WaitlistEntryState(
        status=entry.status,
        is_next=first_waiting == entry.id,
        seats_open=course_occupancy(session, course, now=now).open_to_book(),
        course_ended=has_ended(starts_at=course.starts_at, ends_at=course.ends_at, now=now),
    )


def waitlist_entry_state(
    db: Database, entry_id: int, *, now: datetime | None = None
) -> WaitlistEntryState:
    """The state a waitlist entry's moves depend on (``domain.rules.waitlist_moves``)."""
    with db.read() as session:
        entry = _get(session, WaitlistEntry, entry_id)
        course = _get(session, Course, entry.course_id or 0)
        return waitlist_entry_state_in(session, entry, course, now=now or utcnow())


def student_state(db: Database, student_id: int) -> StudentState:
    """The state a student's moves depend on (``domain.rules.student_moves``)."""
    with db.read() as session:
        return student_state_of(_get(session, Student, student_id))


def student_state_of(student: Student) -> StudentState:
    erased = is_erased(student.id or 0, student.first_name, student.email)
    return StudentState(has_email=bool(student.email), erased=erased)


def session_state(db: Database, session_id: int, *, now: datetime | None = None) -> SessionState:
    """The state a class session's moves depend on (``domain.rules.session_moves``)."""
    now = now or utcnow()
    r = t.registrations.c
    with db.read() as session:
        held = _get(session, ClassSession, session_id)
        on_roster = session.scalar(
            select(func.count()).where(
                r.course_id == held.course_id, on_roster_clause(session_id, now)
            )
        )
        timezone = load_settings(session).timezone
        starts_at = session_start(held.session_date, held.start_time, timezone)
        return SessionState(
            on_roster=int(on_roster or 0),
            has_started=starts_at <= now,
            cancelled=held.cancelled_at is not None,
        )


def staff_state(db: Database, staff_user_id: int, *, signed_in_id: int | None) -> StaffState:
    """The state a staff account's moves depend on, for the one signed in as ``signed_in_id``."""
    with db.read() as session:
        user = _get(session, StaffUser, staff_user_id)
        return StaffState(is_active=user.is_active, is_self=user.id == signed_in_id)


def course_refusal(db: Database, move: CourseMove, course_id: int) -> str | None:
    """Why ``move`` does not apply to the course as it is now; None when it does."""
    return course_moves.refusal(move, course_state(db, course_id))


def waitlist_refusal(db: Database, move: WaitlistMove, entry_id: int) -> str | None:
    """Why ``move`` does not apply to the waitlist entry as it is now; None when it does."""
    return waitlist_moves.refusal(move, waitlist_entry_state(db, entry_id))


def student_refusal(db: Database, move: StudentMove, student_id: int) -> str | None:
    """Why ``move`` does not apply to the student as they are now; None when it does."""
    return student_moves.refusal(move, student_state(db, student_id))


def session_refusal(db: Database, move: SessionMove, session_id: int) -> str | None:
    """Why ``move`` does not apply to the class session as it is now; None when it does."""
    return session_moves.refusal(move, session_state(db, session_id))


def staff_refusal(
    db: Database, move: StaffMove, staff_user_id: int, *, signed_in_id: int | None = None
) -> str | None:
    """Why ``move`` does not apply to the staff account as it is now; None when it does."""
    return staff_moves.refusal(move, staff_state(db, staff_user_id, signed_in_id=signed_in_id))


def _get(session: Session, entity: type[T], pk: int) -> T:
    found = session.get(entity, pk)
    if found is None:
        raise NotFound(f"Nothing with id {pk}.")
    return found
