"""Change a course's capacity; new seats go to the waitlist."""

from __future__ import annotations

from datetime import datetime

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import NotFound
from domain.model import CourseSlot
from domain.rules.records import check_capacity
from domain.services.seats import lock_course
from domain.services.settings import load_settings
from domain.services.waitlist_line import seat_freed_in_session


def capacity_changed(
    db: Database,
    *,
    course_id: int,
    new_capacity: int,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Set the course's capacity; with automatic offers on, added seats are offered at once.

    Lowering the capacity never cancels anyone: it only stops new registrations.
    """
    check_capacity(new_capacity)
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        course = lock_course(session, course_id)
        before = audit.snapshot(course, ["capacity"])
        course.capacity = new_capacity
        changes = audit.diff(before, course)
        if changes:
            course.updated_at = now
            audit.record(session, actor, "course.capacity", course, changes)
            session.flush()
            seat_freed_in_session(session, course, actor=actor, settings=settings, now=now)
        session.commit()


def slot_capacity_changed(
    db: Database,
    *,
    slot_id: int,
    new_capacity: int | None,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Set a slot's capacity (None: no limit of its own); added seats go to the waitlist.

    The smallest of the course's and its slots' capacities limits the course, so
    raising a slot's capacity can free seats of the course.
    """
    if new_capacity is not None:
        check_capacity(new_capacity)
    now = now or utcnow()
    with db.write() as session:
        slot = session.get(CourseSlot, slot_id)
        if slot is None:
            raise NotFound("This slot does not exist.")
        settings = load_settings(session)
        # The course's capacity lock: every seat count of the course waits for us.
        course = lock_course(session, slot.course_id or 0)
        before = audit.snapshot(slot, ["capacity"])
        slot.capacity = new_capacity
        changes = audit.diff(before, slot)
        if changes:
            audit.record(session, actor, "course_slot.capacity", slot, changes)
            session.flush()
            seat_freed_in_session(session, course, actor=actor, settings=settings, now=now)
        session.commit()
