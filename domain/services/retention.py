"""The retention setting: students with no activity for that many months are erased.

Run by the worker's periodic jobs (``domain.outbox.worker.run_periodic_jobs``).
Activity is any change to the student, a registration of theirs (booked, paid,
cancelled), an attendance mark, or a waitlist place taken or left.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, String, cast, exists, literal, or_, select

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.model import Student
from domain.rules.personal_data import erasure_refusal, retention_cutoff
from domain.services.personal_data import erase_in, erasure_state_in
from domain.services.rate_limits import count_in_window
from domain.services.settings import load_settings

RETENTION_ACTOR = Actor.system("retention")
#: How often the inactive students are looked for.
RUN_EVERY = timedelta(hours=1)
_JOB_KEY = "periodic:erase-inactive-students"


def erase_inactive_students(db: Database, *, now: datetime | None = None) -> int:
    """Erase every student inactive for the retention setting's months; how many were erased.

    Nothing when the setting is 0 (off). A student the erasure rules refuse (an
    unpaid or upcoming booking, a waitlist place) is left for a later run. Each
    student is erased in a transaction of their own. Looks once per ``RUN_EVERY``.
    """
    moment = now or utcnow()
    with db.read() as session:
        cutoff = retention_cutoff(moment, load_settings(session).retention_months)
    # The worker's round comes every few seconds; the search for inactive students
    # (every student's activity) runs once an hour, by one worker of several.
    if cutoff is None or count_in_window(db, _JOB_KEY, RUN_EVERY, now=moment) > 1:
        return 0
    with db.read() as session:
        candidates = list(
            session.scalars(
                select(t.students.c.id).where(inactive_since(cutoff)).order_by(t.students.c.id)
            )
        )
    erased = 0
    for student_id in candidates:
        with db.write() as session:
            student = session.get(Student, student_id, with_for_update=True)
            if student is None or erasure_refusal(erasure_state_in(session, student, moment)):
                continue
            erase_in(session, student, actor=RETENTION_ACTOR, now=moment)
            session.commit()
            erased += 1
    return erased


def inactive_since(cutoff: datetime) -> ColumnElement[bool]:
    """SQL: a student not yet erased, with no activity at or after ``cutoff``."""
    s, r, a, w = t.students.c, t.registrations.c, t.attendance.c, t.waitlist_entries.c
    placeholder = literal("Erased student #", String) + cast(s.id, String)
    recent_booking = exists().where(r.student_id == s.id, r.updated_at >= cutoff)
    recent_mark = exists().where(
        a.registration_id == r.id, r.student_id == s.id, a.marked_at >= cutoff
    )
    recent_place = exists().where(
        w.student_id == s.id, or_(w.joined_at >= cutoff, w.left_at >= cutoff)
    )
    return (
        or_(s.email.is_not(None), s.first_name != placeholder)
        & (s.updated_at < cutoff)
        & ~recent_booking
        & ~recent_mark
        & ~recent_place
    )
