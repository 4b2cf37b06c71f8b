"""A course with a known roll call, for the certificates' tests.

Four sessions of different lengths, already held; the completion threshold at 75%:

- Ann Baker: present, late, present, absent: 3 of 4, qualifies, 1.5 + 2 + 1 = 4.5 hours;
- Ben Cole: present, absent, absent, present: 2 of 4, does not qualify;
- Cat Diaz: present at all four: 5.75 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentStatus, PricingType
from domain.model import ClassSession, Course, Registration, Student
from domain.services.attendance import mark_attendance
from domain.services.settings import update_setting
from tests.factories import insert, staff_actor

COURSE_TITLE = "Contemporary Technique for Teachers"
ORGANISATION = "Riverside Dance Studio"
P, A, L = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.LATE
_LENGTHS = [
    (time(18), time(19, 30)),
    (time(18), time(20)),
    (time(18), time(19)),
    (time(18), time(19, 15)),
]
_MARKS = {"Ann": [P, L, P, A], "Ben": [P, A, A, P], "Cat": [P, P, P, P]}
_LAST = {"Ann": "Baker", "Ben": "Cole", "Cat": "Diaz"}


@dataclass
class RollCall:
    course_id: int
    regs: dict[str, int]
    actor: Actor


def course_with_roll_call(db: Database) -> RollCall:
    """The course above, its sessions in October 2026 (held before any test runs)."""
    actor = staff_actor(db)
    update_setting(db, "completion_threshold_percent", "75", actor=actor)
    update_setting(db, "organisation_name", ORGANISATION, actor=actor)
    course_id = insert(
        db,
        Course(
            title=COURSE_TITLE,
            capacity=10,
            starts_at=datetime(2026, 10, 5, 22, tzinfo=UTC),
            ends_at=datetime(2026, 10, 26, 23, tzinfo=UTC),
            is_published=True,
        ),
    )
    sessions = [
        insert(
            db,
            ClassSession(
                course_id=course_id,
                session_date=date(2026, 10, 5 + 7 * n),
                start_time=s,
                end_time=e,
            ),
        )
        for n, (s, e) in enumerate(_LENGTHS)
    ]
    regs = {}
    for first, last in _LAST.items():
        student_id = insert(
            db, Student(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
        )
        regs[first] = insert(
            db,
            Registration(
                course_id=course_id,
                student_id=student_id,
                pricing_type=PricingType.FULL_PACKAGE,
                amount_due=Decimal("40.00"),
                payment_status=PaymentStatus.COMPLETED,
            ),
        )
    for n, session_id in enumerate(sessions):
        marks = {regs[name]: marks[n] for name, marks in _MARKS.items()}
        mark_attendance(db, session_id=session_id, marks=marks, actor=actor)
    return RollCall(course_id, regs, actor)
