"""The worker's class reminders: one per registrant and session start, sent once.

A moved session has a new start, so its reminder is due again; a registrant who
was reminded of the old time gets it as a "changed" notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import class_sessions, course_slots, courses, registrations, students
from domain.emails.reminders import Addressee, ClassMeeting, class_reminder
from domain.model import Course
from domain.outbox import queue_email
from domain.rules.reminders import local_dates_within, notice_due, session_start
from domain.services.attendance_roster import on_roster_clause
from domain.services.calendar import session_location
from domain.services.emailed_urls import cancel_url
from domain.services.sent_notices import NoticeKey, NoticeKind, claim_notices, earlier_reminders
from domain.services.settings import load_settings


@dataclass(frozen=True)
class DueSession:
    session_id: int
    course_id: int
    starts_at: datetime
    meeting: ClassMeeting


def sessions_starting_within(
    session: Session, *, now: datetime, lead_hours: int, timezone: str
) -> list[DueSession]:
    """Sessions not cancelled that start after ``now`` and within ``lead_hours``."""
    first, last = local_dates_within(now, lead_hours, timezone)
    cs, c, sl = class_sessions.c, courses.c, course_slots.c
    rows = session.execute(
        select(
            cs.id,
            cs.course_id,
            cs.session_date,
            cs.start_time,
            cs.end_time,
            session_location(),
            c.title,
            c.what_to_bring,
        )
        .select_from(class_sessions)
        .join(courses, c.id == cs.course_id)
        .outerjoin(course_slots, sl.id == cs.slot_id)
        .where(cs.cancelled_at.is_(None), cs.session_date.between(first, last))
        .order_by(cs.id)
    )
    due = []
    for sid, course_id, day, start, end, location, title, bring in rows:
        starts_at = session_start(day, start, timezone)
        if now < starts_at <= now + timedelta(hours=lead_hours):
            meeting = ClassMeeting(title, day, start, end, location, bring)
            due.append(DueSession(sid, course_id, starts_at, meeting))
    return due


def _registrants(
    session: Session, due: DueSession, *, now: datetime, lead_hours: int
) -> dict[int, Addressee]:
    """The roster of ``due`` who booked before its reminder time and have an email."""
    r, st = registrations.c, students.c
    moment = due.starts_at - timedelta(hours=lead_hours)
    rows = session.execute(
        select(r.id, r.created_at, st.first_name, st.last_name, st.email)
        .join(students, st.id == r.student_id)
        .where(
            and_(
                r.course_id == due.course_id,
                on_roster_clause(due.session_id, now),
                r.created_at <= moment,
                func.coalesce(st.email, "") != "",
            )
        )
    )
    return {
        reg_id: Addressee(first, f"{first} {last}".strip(), email)
        for reg_id, created_at, first, last, email in rows
        if notice_due(due.starts_at, lead_hours=lead_hours, created_at=created_at, now=now)
    }


def queue_class_reminders(db: Database, *, now: datetime | None = None) -> int:
    """Queue the reminders now due (the setting ``reminder_hours`` before each class);
    returns how many. Safe to run from any number of workers at once."""
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        lead = settings.reminder_hours
        if lead <= 0 or not settings.emails_enabled:
            return 0
        due_sessions = sessions_starting_within(
            session, now=now, lead_hours=lead, timezone=settings.timezone
        )
        recipients: dict[NoticeKey, tuple[DueSession, Addressee]] = {}
        for due in due_sessions:
            for reg_id, to in _registrants(session, due, now=now, lead_hours=lead).items():
                recipients[NoticeKey(reg_id, due.session_id, due.starts_at)] = (due, to)
        if not recipients:
            return 0
        claimed = claim_notices(session, NoticeKind.CLASS_REMINDER, recipients, now=now)
        starts = {due.session_id: due.starts_at for due in due_sessions}
        # Reminded before, of another start: the session has moved since.
        sent_before = {
            (reg, sess)
            for reg, sess, sent_for in earlier_reminders(session, starts)
            if sent_for != starts[sess]
        }
        course_of: dict[int, Course] = {}
        for key in sorted(claimed):
            due, to = recipients[key]
            course = course_of.get(due.course_id)
            if course is None:
                course = course_of[due.course_id] = session.get_one(Course, due.course_id)
            email = class_reminder(
                to=to,
                meeting=due.meeting,
                cancel_url=cancel_url(session, key.registration_id, course, now=now),
                settings=settings,
                changed=(key.registration_id, due.session_id) in sent_before,
            )
            queue_email(session, email, settings)
        session.commit()
        return len(claimed)
