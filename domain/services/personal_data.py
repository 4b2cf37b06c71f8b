"""A student's personal data on request: everything stored about them, and their erasure.

``export_personal_data`` gathers every kind of record about one student in a
fixed number of statements; ``erase_student`` replaces their personal fields
with a placeholder and wipes the texts that name them, keeping registrations,
payments and attendance as anonymous rows so course figures stay true. Both
are audited (who, when, whom) without storing the data itself again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus, WaitlistStatus
from domain.errors import DomainError, NotFound
from domain.model import Student
from domain.rules.personal_data import (
    ErasureState,
    erased_name,
    erasure_refusal,
    is_erased,
    needles,
)
from domain.services.erasure_sweep import (
    mentions,
    own_entries_clause,
    scrub_audit,
    sweep_free_text,
    wipe_emails,
)
from domain.services.move_states import not_ended_clause
from domain.services.seats import holds_seat_clause

#: The profile fields exported, in order; also those erasure replaces.
PROFILE_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "student_type",
    "admin_classified",
    "profile_complete",
    "experience",
    "emergency_contact",
    "notes",
    "created_at",
    "updated_at",
)


class ErasureRefused(DomainError):
    """The student still has business with the studio (an unpaid or upcoming booking)."""


@dataclass(frozen=True)
class PersonalData:
    """Everything stored about one student: each kind of record as rows of named values
    (the stored values: times in UTC, amounts as decimals, states as their codes)."""

    student_id: int
    name: str
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def export_personal_data(db: Database, student_id: int, *, actor: Actor) -> PersonalData:
    """Every record about the student, and an audit entry saying who asked for it."""
    with db.write() as session:
        student = _student(session, student_id)
        sections = {
            "profile": [_profile(student)],
            "registrations": _registrations(session, student_id),
            "attendance": _attendance(session, student_id),
            "waitlist": _waitlist(session, student_id),
            "emails": _emails(session, student.email),
            "audit entries": _audit_entries(session, student),
        }
        sections["payments"] = [_payment(row) for row in sections["registrations"]]
        audit.record(session, actor, "student.export_personal_data", student)
        session.commit()
        return PersonalData(student_id, student.full_name, sections)


def erasure_state_in(session: Session, student: Student, now: datetime) -> ErasureState:
    """What stands in the way of erasing ``student`` (``domain.rules.personal_data``)."""
    r, w = t.registrations.c, t.waitlist_entries.c
    mine = (r.student_id == student.id) & r.cancelled_at.is_(None)
    unpaid = select(func.count()).where(mine, r.payment_status == PaymentStatus.PENDING)
    upcoming = (
        select(func.count())
        .select_from(t.registrations.join(t.courses, t.courses.c.id == r.course_id))
        .where(mine, holds_seat_clause(now), not_ended_clause(now))
    )
    in_line = select(func.count()).where(
        w.student_id == student.id,
        w.status.in_((WaitlistStatus.WAITING, WaitlistStatus.OFFERED)),
    )
    row = session.execute(
        select(unpaid.scalar_subquery(), upcoming.scalar_subquery(), in_line.scalar_subquery())
    ).one()
    erased = is_erased(student.id or 0, student.first_name, student.email)
    return ErasureState(erased=erased, unpaid=row[0], upcoming=row[1], in_line=row[2])


def erasure_refusal_for(db: Database, student_id: int) -> str | None:
    """Why the student may not be erased now; None when they may (the action's refusal)."""
    with db.read() as session:
        return erasure_refusal(erasure_state_in(session, _student(session, student_id), utcnow()))


def erase_student(
    db: Database, student_id: int, *, actor: Actor, now: datetime | None = None
) -> None:
    """Erase the student's personal data, in one transaction; refused, writing nothing,
    while they have an unpaid or upcoming registration or wait on a waitlist."""
    moment = now or utcnow()
    with db.write() as session:
        # Locked: two erasures of one student, or an erasure and a staff edit, take turns.
        student = _student(session, student_id, lock=True)
        why_not = erasure_refusal(erasure_state_in(session, student, moment))
        if why_not:
            raise ErasureRefused(why_not)
        erase_in(session, student, actor=actor, now=moment)
        session.commit()


def erase_in(session: Session, student: Student, *, actor: Actor, now: datetime) -> None:
    """The erasure itself, in ``session`` (the caller has checked the refusal and commits)."""
    student_id = student.id or 0
    email = student.email
    words = needles(
        email,
        student.full_name,
        student.first_name,
        student.last_name,
        student.phone,
        student.emergency_contact,
    )
    r, w, lt = t.registrations.c, t.waitlist_entries.c, t.link_tokens.c
    registration_ids = list(session.scalars(select(r.id).where(r.student_id == student_id)))
    waitlist_ids = list(session.scalars(select(w.id).where(w.student_id == student_id)))
    own = own_entries_clause(student_id, registration_ids, waitlist_ids)
    scrub_audit(session, own, words)
    wipe_emails(session, email, words)
    if words:
        sweep_free_text(session, words)
    session.execute(
        t.registrations.update()
        .where(r.student_id == student_id)
        .values(
            special_requests="", cancellation_reason="", override_reason="", client_address=None
        )
    )
    session.execute(t.waitlist_entries.update().where(w.student_id == student_id).values(reason=""))
    session.execute(
        delete(t.link_tokens).where(
            or_(lt.student_id == student_id, lt.registration_id.in_(registration_ids))
        )
    )
    student.first_name = erased_name(student_id)
    student.last_name = ""
    student.email = None
    for name in ("title", "phone", "experience", "emergency_contact", "notes"):
        setattr(student, name, "")
    student.profile_complete = False
    student.updated_at = now
    # Who erased whom, and when: the entry names the student by id only.
    audit.record(session, actor, "student.erase_personal_data", student, now=now)


def _student(session: Session, student_id: int, *, lock: bool = False) -> Student:
    student = session.get(Student, student_id, with_for_update=lock)
    if student is None:
        raise NotFound(f"There is no student #{student_id}.")
    return student


def _profile(student: Student) -> dict[str, Any]:
    return {name: getattr(student, name) for name in PROFILE_FIELDS}


def _registrations(session: Session, student_id: int) -> list[dict[str, Any]]:
    r, c, s = t.registrations.c, t.courses.c, t.schools.c
    rows = session.execute(
        select(
            r.id,
            c.title.label("course"),
            s.name.label("school"),
            r.pricing_type,
            r.amount_due,
            r.payment_status,
            r.payment_method,
            r.payment_reference,
            r.payment_confirmed_at,
            r.refunded_at,
            r.special_requests,
            r.source,
            r.from_waitlist,
            r.cancelled_at,
            r.cancellation_reason,
            r.created_at,
        )
        .join(t.courses, c.id == r.course_id)
        .outerjoin(t.schools, s.id == r.school_id)
        .where(r.student_id == student_id)
        .order_by(r.created_at, r.id)
    ).mappings()
    return [dict(row) for row in rows]


def _payment(registration: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "amount_due",
        "payment_status",
        "payment_method",
        "payment_reference",
        "payment_confirmed_at",
        "refunded_at",
    )
    return {
        "registration": registration["id"],
        "course": registration["course"],
        **{key: registration[key] for key in keys},
    }


def _attendance(session: Session, student_id: int) -> list[dict[str, Any]]:
    a, r, cs, c = t.attendance.c, t.registrations.c, t.class_sessions.c, t.courses.c
    rows = session.execute(
        select(
            a.registration_id.label("registration"),
            c.title.label("course"),
            cs.session_date,
            cs.start_time,
            a.status,
            a.marked_at,
        )
        .join(t.registrations, r.id == a.registration_id)
        .join(t.class_sessions, cs.id == a.session_id)
        .join(t.courses, c.id == cs.course_id)
        .where(r.student_id == student_id)
        .order_by(cs.session_date, cs.start_time, a.id)
    ).mappings()
    return [dict(row) for row in rows]


def _waitlist(session: Session, student_id: int) -> list[dict[str, Any]]:
    w, c = t.waitlist_entries.c, t.courses.c
    rows = session.execute(
        select(
            w.id,
            c.title.label("course"),
            w.status,
            w.position,
            w.joined_at,
            w.offer_sent_at,
            w.offer_expires_at,
            w.left_at,
            w.reason,
        )
        .join(t.courses, c.id == w.course_id)
        .where(w.student_id == student_id)
        .order_by(w.joined_at, w.id)
    ).mappings()
    return [dict(row) for row in rows]


def _emails(session: Session, email: str | None) -> list[dict[str, Any]]:
    if not email:
        return []
    e = t.outgoing_emails.c
    rows = session.execute(
        select(
            e.id, e.kind, e.to_address, e.subject, e.status, e.created_at, e.sent_at, e.body_text
        )
        .where(e.to_address == email)
        .order_by(e.created_at, e.id)
    ).mappings()
    return [dict(row) for row in rows]


def _audit_entries(session: Session, student: Student) -> list[dict[str, Any]]:
    a, r, w = t.audit_entries.c, t.registrations.c, t.waitlist_entries.c
    sid = student.id or 0
    theirs = or_(
        (a.entity_type == "Student") & (a.entity_id == str(sid)),
        (a.entity_type == "Registration")
        & a.entity_id.in_(select(cast(r.id, String)).where(r.student_id == sid)),
        (a.entity_type == "WaitlistEntry")
        & a.entity_id.in_(select(cast(w.id, String)).where(w.student_id == sid)),
        (a.entity_type == "Attendance")
        & a.entity_id.in_(
            select(cast(t.attendance.c.id, String))
            .join(t.registrations, r.id == t.attendance.c.registration_id)
            .where(r.student_id == sid)
        ),
        *([mentions(a.changes, needles(student.email))] if student.email else []),
    )
    rows = session.execute(
        select(
            a.id,
            a.occurred_at,
            a.actor_label.label("by"),
            a.action,
            a.entity_type,
            a.entity_id,
            a.changes,
            a.reason,
        )
        .where(theirs)
        .order_by(a.occurred_at, a.id)
    ).mappings()
    return [dict(row) for row in rows]
