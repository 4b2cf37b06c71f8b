"""The seat rule is written twice, in Python for single registrations and in SQL
for counting; every combination of states must get the same answer from both."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import Course, Registration, Student
from domain.rules.capacity import holds_seat
from domain.services.seats import holds_seat_clause

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
HOLDS = (None, NOW - timedelta(minutes=1), NOW, NOW + timedelta(minutes=1))


def test_the_sql_seat_rule_agrees_with_the_pure_rule(db: Database) -> None:
    cases = list(itertools.product(PaymentStatus, HOLDS, (False, True)))
    with db.write() as s:
        for number, (status, hold, cancelled) in enumerate(cases):
            course = Course(title=f"Course {number}", starts_at=NOW + timedelta(days=30))
            s.add(
                Registration(
                    student=Student(first_name=f"S{number}"),
                    course=course,
                    amount_due=Decimal("10"),
                    payment_status=status,
                    hold_expires_at=hold,
                    cancelled_at=NOW - timedelta(days=1) if cancelled else None,
                )
            )
        s.commit()
    with db.read() as s:
        in_sql = set(s.scalars(select(t.registrations.c.id).where(holds_seat_clause(NOW))).all())
        rows = s.scalars(select(Registration).order_by(t.registrations.c.id)).all()
        expected = {
            r.id
            for r in rows
            if holds_seat(
                cancelled=r.cancelled_at is not None,
                payment_status=r.payment_status,
                hold_expires_at=r.hold_expires_at,
                now=NOW,
            )
        }
    assert len(rows) == len(cases)
    assert expected, "some combinations must hold a seat"
    assert in_sql == expected
