"""Checks a price, class session or student passes before the admin's forms write it.

The pure rules are ``domain.rules.records`` (courses, slots and schools need no
more); the conflicts only the database can see (a second price of one kind for
a slot, a second session at the same time, an email another student has) are
looked up here in one read. A write that races past
the look-up still meets the table's unique constraint, and the admin turns that
refusal into a general sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time

from sqlalchemy import func, select

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PricingType
from domain.errors import ValidationError
from domain.rules.contact_details import normalise_email
from domain.rules.records import check_amount, check_student_fields

_PRICE_NAMES: dict[str, str] = {
    PricingType.FULL_PACKAGE: "full-package",
    PricingType.DROP_IN: "drop-in",
}


def check_price(
    db: Database,
    *,
    slot_id: int | None,
    pricing_type: str,
    amount: object,
    price_id: int | None = None,
) -> None:
    """A slot has at most one price of each kind (one full package, one drop-in)."""
    check_amount(amount)
    if slot_id is None:
        return
    p = t.prices.c
    query = select(func.count()).where(p.slot_id == slot_id, p.pricing_type == pricing_type)
    if price_id is not None:
        query = query.where(p.id != price_id)
    with db.read() as session:
        taken = session.scalar(query)
    if taken:
        kind = _PRICE_NAMES.get(pricing_type, pricing_type)
        raise ValidationError(
            f"This slot already has a {kind} price; change that one instead.",
            field="pricing_type",
        )


def check_class_session(
    db: Database,
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
    with db.read() as session:
        taken = session.scalar(query)
    # Two sessions without a start time do not collide in the table (NULLs differ),
    # but they are the same meeting to anyone reading the roll call.
    if taken:
        raise ValidationError(
            "This course already has a session on that date at that time.",
            field="session_date",
        )


def check_student(
    db: Database,
    *,
    email: str | None,
    first_name: str | None,
    student_id: int | None = None,
    lines: Mapping[str, str | None] | None = None,
) -> str | None:
    """The student's email as stored (lower-cased, None when blank), once it is free.

    Emails are unique among students: each is the key to a student's bookings.
    ``lines`` holds the student's other one-line fields (last name, title, phone,
    emergency contact), checked by the same rule as the sign-up forms.
    """
    others = lines or {}
    check_student_fields(
        first_name=first_name,
        last_name=others.get("last_name"),
        title=others.get("title"),
        phone=others.get("phone"),
        emergency_contact=others.get("emergency_contact"),
    )
    if not (email or "").strip():
        return None
    normalised = normalise_email(email or "")
    s = t.students.c
    query = select(func.count()).where(s.email == normalised)
    if student_id is not None:
        query = query.where(s.id != student_id)
    with db.read() as session:
        taken = session.scalar(query)
    if taken:
        raise ValidationError(f"Another student already has the email {normalised}.", field="email")
    return normalised
