"""Change a course's capacity; new seats go to the waitlist."""

from __future__ import annotations

from datetime import datetime

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import ValidationError
from domain.services.seats import lock_course
from domain.services.settings import load_settings
from domain.services.waitlist_line import seat_freed_in_session

_MAX_CAPACITY = 100_000


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
    if isinstance(new_capacity, bool) or not isinstance(new_capacity, int):
        raise ValidationError("The capacity must be a whole number.", field="capacity")
    if not 0 <= new_capacity <= _MAX_CAPACITY:
        raise ValidationError(
            f"The capacity must be between 0 and {_MAX_CAPACITY}.", field="capacity"
        )
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
