"""The worker's payment nudges: one email, a set time before an unpaid hold ends, sent once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from domain import formatting
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import courses, registrations, students
from domain.emails.reminders import Addressee, payment_nudge
from domain.enums import PaymentStatus
from domain.model import Course, Registration, Student
from domain.outbox import queue_email
from domain.rules.payment import payment_instructions
from domain.rules.reminders import notice_due
from domain.services.sent_notices import NoticeKey, NoticeKind, claim_notices
from domain.services.settings import load_settings


def queue_payment_nudges(db: Database, *, now: datetime | None = None) -> int:
    """Queue a reminder to pay for each unpaid booking whose hold ends within the setting
    ``payment_nudge_hours``; returns how many. Safe to run from any number of workers."""
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        lead = settings.payment_nudge_hours
        if lead <= 0 or not settings.emails_enabled:
            return 0
        r, st = registrations.c, students.c
        rows = session.execute(
            select(Registration, Student, Course)
            .join(Student, st.id == r.student_id)
            .join(Course, courses.c.id == r.course_id)
            .where(
                and_(
                    r.payment_status == PaymentStatus.PENDING,
                    r.cancelled_at.is_(None),
                    r.hold_expires_at > now,
                    r.hold_expires_at <= now + timedelta(hours=lead),
                    func.coalesce(st.email, "") != "",
                )
            )
        ).all()
        due = {
            NoticeKey(reg.id or 0, None, reg.hold_expires_at): (reg, student, course)
            for reg, student, course in rows
            if reg.hold_expires_at is not None
            and notice_due(reg.hold_expires_at, lead_hours=lead, created_at=reg.created_at, now=now)
        }
        if not due:
            return 0
        claimed = claim_notices(session, NoticeKind.PAYMENT_NUDGE, due, now=now)
        for key in sorted(claimed):
            reg, student, course = due[key]
            instructions = payment_instructions(
                registration_id=reg.id or 0,
                course_title=course.title,
                course_dates=formatting.course_dates(
                    course.starts_at, course.ends_at, settings.timezone
                ),
                amount=reg.amount_due,
                settings=settings,
            )
            email = payment_nudge(
                to=Addressee(student.first_name, student.full_name, student.email or ""),
                registration=reg,
                course_title=course.title,
                instructions=instructions,
                settings=settings,
            )
            queue_email(session, email, settings)
        session.commit()
        return len(claimed)
