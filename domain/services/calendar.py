"""The sessions calendar: every class session between two dates with how many are booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db.tables import class_sessions, course_slots, courses, registrations
from domain.services.attendance_roster import on_roster_clause


@dataclass(frozen=True)
class CalendarSession:
    """One class session as the calendar shows it; ``booked`` counts its roster."""

    id: int
    course_id: int
    course_title: str
    slot_name: str
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    booked: int


def session_location() -> ColumnElement[str]:
    """Where a class session meets: its own place, else its slot's, else its course's.

    For a query that joins ``courses`` and outer-joins ``course_slots`` to ``class_sessions``.
    """
    cs, c, sl = class_sessions.c, courses.c, course_slots.c
    return func.coalesce(func.nullif(cs.location, ""), func.nullif(sl.location, ""), c.location)


def sessions_between(
    session: Session, first: date, last: date, *, now: datetime | None = None
) -> list[CalendarSession]:
    """Sessions from ``first`` to ``last`` (both included, dates where the studio is),
    in date and time order, each with the number on its roster. One statement."""
    now = now or utcnow()
    cs, c, sl, r = class_sessions.c, courses.c, course_slots.c, registrations.c
    booked = (
        select(func.count(r.id))
        .where(r.course_id == cs.course_id, on_roster_clause(cs.id, now))
        .correlate(class_sessions)
        .scalar_subquery()
    )
    location = session_location()
    rows = session.execute(
        select(
            cs.id,
            cs.course_id,
            c.title,
            func.coalesce(sl.name, ""),
            cs.session_date,
            cs.start_time,
            cs.end_time,
            location,
            booked,
        )
        .select_from(class_sessions)
        .join(courses, c.id == cs.course_id)
        .outerjoin(course_slots, sl.id == cs.slot_id)
        .where(cs.session_date >= first, cs.session_date <= last)
        .order_by(cs.session_date, cs.start_time, c.title, cs.id)
    ).all()
    return [
        CalendarSession(
            id=row[0],
            course_id=row[1],
            course_title=row[2],
            slot_name=row[3] or "",
            session_date=row[4],
            start_time=row[5],
            end_time=row[6],
            location=row[7] or "",
            booked=int(row[8] or 0),
        )
        for row in rows
    ]
