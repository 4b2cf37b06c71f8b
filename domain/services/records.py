"""How the records staff keep by hand (courses, slots, prices, sessions, schools, students)
are written: checked, changed and audited inside the caller's one transaction.

The pure rules are ``domain.rules.records``; the conflicts only the database
can see (a second price of one kind for a slot, a second session at the same
time, an email another student has, a picked row that does not exist) are
looked up here, in the writing transaction, before anything is written. A
write that races past the look-up still meets the table's unique constraint,
and the admin turns that refusal into a general sentence.

The services built on these (``domain.services.courses``, ``domain.services.people``)
each open one write transaction: validate, write, audit, commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.db import tables as t
from domain.enums import PricingType
from domain.errors import ValidationError
from domain.rules.contact_details import normalise_email
from domain.rules.records import check_student_fields

_PRICE_NAMES: dict[str, str] = {
    PricingType.FULL_PACKAGE: "full-package",
    PricingType.DROP_IN: "drop-in",
}


# ---- writing and auditing -----------------------------------------------------------


def set_fields(
    entity: object, changes: Mapping[str, object], fields: Collection[str]
) -> dict[str, list[Any]]:
    """Set ``changes`` on ``entity``; {field: [before, after]} of what really changed.

    A name outside ``fields`` (what the record lets staff set) is refused, so a
    script's typo never passes silently and no form can reach another column.
    """
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        kind = type(entity).__name__
        raise ValidationError(
            f"A {kind} has no field {unknown[0]!r} to set; it has {', '.join(sorted(fields))}.",
            field=unknown[0],
        )
    before = audit.snapshot(entity, changes)
    for name, value in changes.items():
        setattr(entity, name, value)
    return audit.diff(before, entity)


def record_created(session: Session, actor: Actor, entity: object, *, now: datetime) -> None:
    """Add the new ``entity`` and its "create" audit entry, with every value it was given."""
    session.add(entity)
    session.flush()
    columns = [a.key for a in inspect(type(entity)).column_attrs if a.key != "id"]
    given = audit.diff(dict.fromkeys(columns), entity)
    audit.record(session, actor, "create", entity, given, now=now)


def record_updated(
    session: Session,
    actor: Actor,
    entity: object,
    changes: dict[str, list[Any]],
    *,
    now: datetime,
) -> None:
    """The "update" audit entry of ``changes`` (none when nothing changed)."""
    if not changes:
        return
    if hasattr(entity, "updated_at"):
        setattr(entity, "updated_at", now)  # noqa: B010 (not every record has one)
    audit.record(session, actor, "update", entity, changes, now=now)


def existing(session: Session, entity: type, entity_id: object, *, field: str, label: str) -> Any:
    """The row ``entity_id`` picked for ``field``, or a refusal naming the field."""
    found = session.get(entity, entity_id) if isinstance(entity_id, int) else None
    if found is None:
        raise ValidationError(f"Please choose {label} that exists.", field=field)
    return found


# ---- what only the database can see -------------------------------------------------


def check_price(
    session: Session,
    *,
    slot_id: int | None,
    pricing_type: str,
    price_id: int | None = None,
) -> None:
    """A slot has at most one price of each kind (one full package, one drop-in)."""
    if slot_id is None:
        return
    p = t.prices.c
    query = select(func.count()).where(p.slot_id == slot_id, p.pricing_type == pricing_type)
    if price_id is not None:
        query = query.where(p.id != price_id)
    if session.scalar(query):
        kind = _PRICE_NAMES.get(pricing_type, pricing_type)
        raise ValidationError(
            f"This slot already has a {kind} price; change that one instead.",
            field="pricing_type",
        )


def check_class_session(
    session: Session,
    *,
    course_id: int | None,
    session_date: date | None,
    start_time: time | None,
    session_id: int | None = None,
) -> None:
    """A course meets at most once at a given date and start time."""
    if course_id is None or session_date is None:
        return
    s = t.class_sessions.c
    same_start = s.start_time.is_(None) if start_time is None else s.start_time == start_time
    query = select(func.count()).where(
        s.course_id == course_id, s.session_date == session_date, same_start
    )
    if session_id is not None:
        query = query.where(s.id != session_id)
    # Two sessions without a start time do not collide in the table (NULLs differ),
    # but they are the same meeting to anyone reading the roll call.
    if session.scalar(query):
        raise ValidationError(
            "This course already has a session on that date at that time.",
            field="session_date",
        )


def check_student(
    session: Session,
    *,
    email: str | None,
    first_name: str | None,
    student_id: int | None = None,
    lines: Mapping[str, object] | None = None,
) -> str | None:
    """The student's email as stored (lower-cased, None when blank), once it is free.

    Emails are unique among students: each is the key to a student's bookings.
    ``lines`` holds the student's other checked fields (last name, title, phone,
    emergency contact, student type), checked by the same rule as the sign-up forms.
    """
    others: Mapping[str, Any] = lines or {}
    check_student_fields(
        first_name=first_name,
        last_name=others.get("last_name"),
        title=others.get("title"),
        phone=others.get("phone"),
        emergency_contact=others.get("emergency_contact"),
        student_type=others.get("student_type", "general"),
    )
    if not (email or "").strip():
        return None
    normalised = normalise_email(email or "")
    s = t.students.c
    query = select(func.count()).where(s.email == normalised)
    if student_id is not None:
        query = query.where(s.id != student_id)
    if session.scalar(query):
        raise ValidationError(f"Another student already has the email {normalised}.", field="email")
    return normalised
