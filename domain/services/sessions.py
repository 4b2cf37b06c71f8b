"""Generate a course's class sessions from its slots."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from domain import audit
from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import class_sessions, courses
from domain.errors import NotFound
from domain.model import ClassSession, Course
from domain.rules.schedule import SlotTimes, plan_sessions
from domain.services.settings import load_settings


def generate_sessions(db: Database, *, course_id: int, actor: Actor) -> int:
    """Create the class sessions the course's slots call for; returns how many were new.

    Weekly slots give a session on each matching date from the course's first to
    its last day, dated slots one on their date, and a course without slots one
    on its start date. Sessions that already exist (same date and start time) are
    kept as they are, so running this again after adding a slot only adds the new ones.
    """
    with db.write() as session:
        course = session.scalars(
            select(Course).where(courses.c.id == course_id).with_for_update()
        ).one_or_none()
        if course is None:
            raise NotFound(f"There is no course with id {course_id}.")
        settings = load_settings(session)
        planned = plan_sessions(
            slots=[
                SlotTimes(
                    slot_id=slot.id,
                    day_of_week=slot.day_of_week,
                    practice_date=slot.practice_date,
                    start_time=slot.start_time,
                    end_time=slot.end_time,
                    location=slot.location,
                )
                for slot in course.slots
            ],
            starts_at=course.starts_at,
            ends_at=course.ends_at,
            course_location=course.location,
            timezone=settings.timezone,
        )
        existing: set[tuple[date, time | None]] = {
            (row.session_date, row.start_time)
            for row in session.execute(
                select(class_sessions.c.session_date, class_sessions.c.start_time).where(
                    class_sessions.c.course_id == course_id
                )
            )
        }
        created: list[ClassSession] = []
        for plan in planned:
            if plan.key in existing:
                continue
            new = ClassSession(
                course_id=course_id,
                slot_id=plan.slot_id,
                session_date=plan.session_date,
                start_time=plan.start_time,
                end_time=plan.end_time,
                location=plan.location,
            )
            session.add(new)
            created.append(new)
        session.flush()
        for new in created:
            audit.record(
                session,
                actor,
                "class_session.generate",
                new,
                {
                    "session_date": [None, new.session_date.isoformat()],
                    "start_time": [None, new.start_time.isoformat() if new.start_time else None],
                },
            )
        session.commit()
        return len(created)
