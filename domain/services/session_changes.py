"""Staff move or cancel a class session; everyone booked on it is told by email.

Checked, written, audited and the emails queued in one transaction. Reminders
follow the new time: a reminder's key holds the session's start, so the moved
session's reminder is due again, unless the move's own email, sent within the
reminder time, already told them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import class_sessions, registrations, students
from domain.emails.reminders import Addressee, ClassMeeting, session_changed
from domain.errors import NotFound, ValidationError
from domain.model import ClassSession, Course
from domain.outbox import queue_email
from domain.rules.reminders import session_start
from domain.rules.session_moves import SessionMove, SessionState, refusal
from domain.services.attendance_roster import on_roster_clause
from domain.services.emailed_urls import cancel_url
from domain.services.sent_notices import NoticeKey, NoticeKind, record_notices
from domain.services.settings import load_settings


@dataclass(frozen=True)
class SessionChange:
    """A new date, times and place for a session; or, ``cancel``, none: it is not held."""

    reason: str
    cancel: bool = False
    session_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    location: str = ""


def parse_session_change(values: dict[str, str]) -> SessionChange:
    """A change from a form's text: "move" or "cancel", date YYYY-MM-DD, times HH:MM."""
    reason = values.get("reason", "").strip()
    if not reason:
        raise ValidationError("Say why, for the email to everyone booked.", field="reason")
    if values.get("what", "move") == "cancel":
        return SessionChange(reason=reason, cancel=True)
    try:
        day = date.fromisoformat(values.get("session_date", "").strip())
    except ValueError as exc:
        raise ValidationError("Give the date as YYYY-MM-DD.", field="session_date") from exc
    return SessionChange(
        reason=reason,
        session_date=day,
        start_time=_clock(values.get("start_time", ""), "start_time"),
        end_time=_clock(end, "end_time") if (end := values.get("end_time", "").strip()) else None,
        location=values.get("location", "").strip(),
    )


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError("Give the time as HH:MM, e.g. 18:30.", field=field) from exc


def meeting_place(held: ClassSession, course: Course) -> str:
    """Where a loaded session meets: ``domain.services.calendar.session_location``'s rule."""
    return held.location or (held.slot.location if held.slot else "") or course.location


def _meeting(held: ClassSession, course: Course) -> ClassMeeting:
    place = meeting_place(held, course)
    return ClassMeeting(
        course.title, held.session_date, held.start_time, held.end_time, place, course.what_to_bring
    )


def _booked(session: Session, held: ClassSession, now: datetime) -> dict[int, Addressee]:
    r, st = registrations.c, students.c
    rows = session.execute(
        select(r.id, st.first_name, st.last_name, st.email)
        .join(students, st.id == r.student_id)
        .where(
            and_(
                r.course_id == held.course_id,
                on_roster_clause(held.id or 0, now),
                func.coalesce(st.email, "") != "",
            )
        )
        .order_by(r.id)
    )
    return {
        reg_id: Addressee(first, f"{first} {last}".strip(), email)
        for reg_id, first, last, email in rows
    }


def change_session(
    db: Database,
    *,
    session_id: int,
    change: SessionChange,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Move or cancel the session and email everyone booked on it; returns how many."""
    now = now or utcnow()
    with db.write() as session:
        held = session.scalars(
            select(ClassSession).where(class_sessions.c.id == session_id).with_for_update()
        ).one_or_none()
        if held is None or held.course is None:
            raise NotFound(f"There is no class session with id {session_id}.")
        course = held.course
        settings = load_settings(session)
        old_start = session_start(held.session_date, held.start_time, settings.timezone)
        state = SessionState(
            on_roster=0, has_started=old_start <= now, cancelled=held.cancelled_at is not None
        )
        refused = refusal(SessionMove.CHANGE, state)
        if refused:
            raise ValidationError(refused)
        before = _meeting(held, course)
        booked = _booked(session, held, now)
        if change.cancel:
            held.cancelled_at = now
            held.cancellation_reason = change.reason
            audit.record(
                session,
                actor,
                "class_session.cancel",
                held,
                {"cancelled_at": [None, now.isoformat()]},
                reason=change.reason,
                now=now,
            )
            after: ClassMeeting | None = None
        else:
            changes = _move(session, held, change, now=now, timezone=settings.timezone)
            audit.record(
                session, actor, "class_session.move", held, changes, reason=change.reason, now=now
            )
            after = _meeting(held, course)
        for reg_id, to in booked.items():
            email = session_changed(
                to=to,
                before=before,
                after=after,
                reason=change.reason,
                cancel_url=cancel_url(session, reg_id, course, now=now),
                settings=settings,
            )
            queue_email(session, email, settings)
        if after is not None and settings.reminder_hours > 0:
            new_start = session_start(held.session_date, held.start_time, settings.timezone)
            if new_start - timedelta(hours=settings.reminder_hours) <= now:
                # Within the reminder time already: this email was the reminder.
                keys = [NoticeKey(reg_id, held.id, new_start) for reg_id in booked]
                record_notices(session, NoticeKind.CLASS_REMINDER, keys, now=now)
        session.commit()
        return len(booked)


def _move(
    session: Session, held: ClassSession, change: SessionChange, *, now: datetime, timezone: str
) -> dict[str, list[object]]:
    """Apply a move after its checks; the audit's changes (field: [before, after])."""
    assert change.session_date is not None and change.start_time is not None
    if change.end_time is not None and change.end_time <= change.start_time:
        raise ValidationError("The class must end after it starts.", field="end_time")
    if session_start(change.session_date, change.start_time, timezone) <= now:
        raise ValidationError("The new time has already passed.", field="session_date")
    taken = session.scalar(
        select(class_sessions.c.id).where(
            class_sessions.c.course_id == held.course_id,
            class_sessions.c.session_date == change.session_date,
            class_sessions.c.start_time == change.start_time,
            class_sessions.c.id != held.id,
        )
    )
    if taken is not None:
        raise ValidationError(
            "Another session of this course already meets at that date and time.",
            field="start_time",
        )
    wanted: dict[str, object] = {
        "session_date": change.session_date,
        "start_time": change.start_time,
        "end_time": change.end_time,
        "location": change.location,
    }
    changes: dict[str, list[object]] = {}
    for field, value in wanted.items():
        old = getattr(held, field)
        if old != value:
            changes[field] = [_stored(old), _stored(value)]
            setattr(held, field, value)
    if not changes:
        raise ValidationError("Nothing changed: give a new date, time or place.")
    return changes


def _stored(value: object) -> object:
    return value.isoformat() if isinstance(value, (date, time)) else value
