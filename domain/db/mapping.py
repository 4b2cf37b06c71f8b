"""Map the plain entity classes onto the tables (SQLAlchemy imperative mapping)."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.orm import MANYTOONE, registry, relationship
from sqlalchemy.orm.base import instance_state

from domain.db import tables as t
from domain.model import (
    Attendance,
    AuditEntry,
    ClassSession,
    ContactLog,
    Course,
    CourseSlot,
    LinkToken,
    LoginThrottle,
    OutgoingEmail,
    Price,
    RateLimitBucket,
    Registration,
    School,
    Setting,
    StaffSession,
    StaffUser,
    Student,
    WaitlistEntry,
)

mapper_registry = registry(metadata=t.metadata)
_started = False


def _owned(target: type, back_populates: str, order_by: Any = None) -> Any:
    """Children the database deletes with their parent (ON DELETE CASCADE)."""
    return relationship(
        target,
        back_populates=back_populates,
        order_by=order_by,
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


def _guarded(target: type, back_populates: str) -> Any:
    """Children whose foreign key RESTRICTs: the database refuses the parent's deletion."""
    return relationship(target, back_populates=back_populates, passive_deletes="all")


def start_mappers() -> None:
    """Map every entity; safe to call more than once."""
    global _started
    if _started:
        return
    _started = True
    m = mapper_registry.map_imperatively
    m(
        School,
        t.schools,
        properties={
            "contact_history": _owned(ContactLog, "school", t.contact_logs.c.contacted_at.desc()),
            "students": _guarded(Student, "school"),
        },
    )
    m(
        ContactLog,
        t.contact_logs,
        properties={
            "school": relationship(School, back_populates="contact_history"),
            "staff_user": relationship(StaffUser),
        },
    )
    m(
        Student,
        t.students,
        properties={
            "school": relationship(School, back_populates="students"),
            "registrations": _guarded(Registration, "student"),
            "waitlist_entries": _owned(WaitlistEntry, "student"),
        },
    )
    m(StaffUser, t.staff_users)
    m(
        Course,
        t.courses,
        properties={
            "slots": _owned(CourseSlot, "course", t.course_slots.c.id),
            "sessions": _owned(
                ClassSession,
                "course",
                (t.class_sessions.c.session_date, t.class_sessions.c.start_time),
            ),
            "registrations": _guarded(Registration, "course"),
            "waitlist_entries": _owned(WaitlistEntry, "course", t.waitlist_entries.c.position),
        },
    )
    m(
        CourseSlot,
        t.course_slots,
        properties={
            "course": relationship(Course, back_populates="slots"),
            "prices": _owned(Price, "slot", t.prices.c.pricing_type),
        },
    )
    m(Price, t.prices, properties={"slot": relationship(CourseSlot, back_populates="prices")})
    m(
        ClassSession,
        t.class_sessions,
        properties={
            "course": relationship(Course, back_populates="sessions"),
            "slot": relationship(CourseSlot),
            "attendance": _guarded(Attendance, "session"),
        },
    )
    r = t.registrations.c
    m(
        Registration,
        t.registrations,
        properties={
            "student": relationship(Student, back_populates="registrations"),
            "course": relationship(Course, back_populates="registrations"),
            "school": relationship(School),
            "drop_in_session": relationship(ClassSession),
            "payment_confirmed_by": relationship(
                StaffUser, foreign_keys=[r.payment_confirmed_by_id]
            ),
            "created_by": relationship(StaffUser, foreign_keys=[r.created_by_id]),
            "cancelled_by": relationship(StaffUser, foreign_keys=[r.cancelled_by_id]),
            "attendance": _guarded(Attendance, "registration"),
        },
    )
    m(
        Attendance,
        t.attendance,
        properties={
            "session": relationship(ClassSession, back_populates="attendance"),
            "registration": relationship(Registration, back_populates="attendance"),
            "marked_by": relationship(StaffUser),
        },
    )
    m(
        WaitlistEntry,
        t.waitlist_entries,
        properties={
            "student": relationship(Student, back_populates="waitlist_entries"),
            "course": relationship(Course, back_populates="waitlist_entries"),
            "registration": relationship(Registration),
        },
    )
    m(Setting, t.settings)
    m(OutgoingEmail, t.outgoing_emails)
    m(AuditEntry, t.audit_entries)
    m(StaffSession, t.staff_sessions)
    m(LoginThrottle, t.login_throttles)
    m(RateLimitBucket, t.rate_limit_buckets)
    m(LinkToken, t.link_tokens)
    for mapper in mapper_registry.mappers:
        references = tuple(r.key for r in mapper.relationships if r.direction is MANYTOONE)
        if references:
            _forget_unset_references(mapper.class_, references)


def _forget_unset_references(cls: type, keys: tuple[str, ...]) -> None:
    # A dataclass __init__ assigns its default None to every many-to-one
    # reference, which SQLAlchemy takes as "detach" and so nulls the foreign
    # key given beside it: ClassSession(course_id=1) would insert course_id NULL.
    # Forgetting a None reference right after __init__ keeps the given id.
    original: Any = getattr(cls, "__init__")  # noqa: B009 (mypy: __init__ via the class)

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        state = instance_state(self)
        for key in keys:
            if key in state.dict and state.dict[key] is None:
                del state.dict[key]
                state.committed_state.pop(key, None)

    setattr(cls, "__init__", __init__)  # noqa: B010 (mypy refuses assigning __init__)
