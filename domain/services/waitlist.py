"""The waitlist of a full course: join, offers that pass themselves on, and staff changes.

Each function takes the course's capacity lock first (``lock_course``), the same
lock registration takes, so seats, offers and positions never interleave. The
line itself (order, renumbering, making offers) is in ``waitlist_line``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import waitlist_entries
from domain.emails.waitlist import waitlist_joined
from domain.enums import (
    IN_LINE_WAITLIST_STATUSES,
    ActorKind,
    WaitlistStatus,
)
from domain.errors import (
    AlreadyRegistered,
    InvalidTransition,
    NotEligible,
    NotFound,
)
from domain.model import Course, WaitlistEntry
from domain.outbox import queue_email
from domain.rules.eligibility import ineligibility_reason
from domain.rules.waitlist import (
    check_can_join,
    check_reason,
    line_after_move,
)
from domain.services.registration import (
    StudentDetails,
    check_public_booking,
    find_or_create_student,
)
from domain.services.registration_core import active_registration
from domain.services.seats import lock_course, seats_open_to_book
from domain.services.settings import load_settings
from domain.services.waitlist_line import (
    leave_line,
    line,
    next_position,
    offer_free_seats,
    renumber,
)


def join_waitlist(
    db: Database,
    *,
    course_id: int,
    student: StudentDetails,
    actor: Actor,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put the student (found by email, or created) at the end of a full course's line.

    A student already in line gets their entry back. Raises ``ValidationError``
    when a seat is free (register instead), ``AlreadyRegistered``,
    ``NotEligible``, ``RegistrationClosed`` or ``NotFound``.
    """
    now = now or utcnow()
    details = student.cleaned()
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        public = actor.kind == ActorKind.PUBLIC
        if public:
            check_public_booking(course, settings, now=now)
        person = find_or_create_student(session, details, actor=actor, now=now)
        refusal = ineligibility_reason(
            required_student_type=course.required_student_type,
            student_type=person.student_type,
            admin_classified=person.admin_classified,
        )
        if refusal is not None and public:
            raise NotEligible(refusal)
        # The waitlist leads to the full package, so only a package counts here.
        registered = active_registration(
            session,
            student_id=person.id,
            course_id=course.id,
            drop_in_session_id=None,
            actor=actor,
            now=now,
        )
        if registered is not None:
            raise AlreadyRegistered(f"You are already registered for {course.title}.")
        w = waitlist_entries.c
        existing = session.scalars(
            select(WaitlistEntry).where(
                w.course_id == course_id,
                w.student_id == person.id,
                w.status.in_(IN_LINE_WAITLIST_STATUSES),
            )
        ).one_or_none()
        if existing is not None:
            session.commit()  # ends the unit of work without expiring the entry
            return existing
        check_can_join(
            seats_left=seats_open_to_book(session, course, now=now), course_title=course.title
        )
        entry = WaitlistEntry(
            student_id=person.id,
            course_id=course_id,
            position=next_position(session, course_id),
            status=WaitlistStatus.WAITING,
            joined_at=now,
        )
        session.add(entry)
        session.flush()
        audit.record(
            session,
            actor,
            "waitlist.join",
            entry,
            audit.diff(dict.fromkeys(("student_id", "course_id", "position")), entry),
        )
        queue_email(
            session,
            waitlist_joined(entry=entry, course=course, student=person, settings=settings),
            settings,
        )
        session.commit()
        return entry


def move_waitlist_entry(
    db: Database,
    *,
    entry_id: int,
    new_position: int,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Staff move someone to ``new_position`` (1 = next); those between shift by one."""
    why = check_reason(reason)
    with db.write() as session:
        entry, _course = _entry_in_line(session, entry_id)
        ordered = line(session, entry.course_id or 0)
        by_id = {e.id: e for e in ordered}
        new_order = line_after_move([e.id or 0 for e in ordered], entry_id, new_position)
        before = audit.snapshot(entry, ["position", "reason"])
        renumber(session, [by_id[i] for i in new_order])
        entry.reason = why
        audit.record(session, actor, "waitlist.move", entry, audit.diff(before, entry), reason=why)
        session.commit()


def remove_waitlist_entry(
    db: Database, *, entry_id: int, reason: str, actor: Actor, now: datetime | None = None
) -> None:
    """Staff take someone out of the line; an offer they held passes to the next."""
    why = check_reason(reason)
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        entry, course = _entry_in_line(session, entry_id)
        was_offered = entry.status == WaitlistStatus.OFFERED
        before = audit.snapshot(entry, ["status", "position", "reason"])
        entry.reason = why
        entry.offer_token_hash = None
        leave_line(session, entry, status=WaitlistStatus.REMOVED, now=now)
        audit.record(
            session, actor, "waitlist.remove", entry, audit.diff(before, entry), reason=why
        )
        if was_offered:
            offer_free_seats(session, course, actor=actor, settings=settings, now=now)
        session.commit()


def _entry_in_line(session: Session, entry_id: int) -> tuple[WaitlistEntry, Course]:
    course_id = session.scalar(
        select(waitlist_entries.c.course_id).where(waitlist_entries.c.id == entry_id)
    )
    if course_id is None:
        raise NotFound(f"There is no waitlist entry with id {entry_id}.")
    course = lock_course(session, course_id)
    entry = session.scalars(
        select(WaitlistEntry)
        .where(waitlist_entries.c.id == entry_id)
        .execution_options(populate_existing=True)
    ).one()
    if entry.status not in IN_LINE_WAITLIST_STATUSES:
        raise InvalidTransition("This student has already left the waitlist.")
    return entry, course
