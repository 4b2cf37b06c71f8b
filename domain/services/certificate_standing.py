"""How far each registration is from a certificate: sessions attended, held, hours, refusal.

A constant number of statements whatever the number of registrations, so a
course's page and its bulk issue cost the same for 5 participants or 500.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from domain.db.tables import attendance, certificates, class_sessions, registrations, students
from domain.enums import PaymentStatus
from domain.model import Registration
from domain.rules.attendance import ATTENDED_STATUSES
from domain.rules.certificates import certificate_refusal, hours_attended
from domain.rules.settings import Settings
from domain.services.attendance_stats import attended_and_held


@dataclass(frozen=True)
class Standing:
    """One registration measured against the completion threshold."""

    registration_id: int
    participant: str
    attended: int
    held: int
    hours: Decimal
    #: Why no certificate may be issued now; None when it qualifies.
    refusal: str | None
    #: The code of its current certificate, if it has one.
    code: str | None

    @property
    def qualifies(self) -> bool:
        return self.refusal is None


def attended_sessions(
    session: Session, registration_ids: list[int], *, today: date
) -> dict[int, list[tuple[time | None, time | None]]]:
    """(start, end) of each session held up to ``today`` that a registration attended."""
    a, cs = attendance.c, class_sessions.c
    rows = session.execute(
        select(a.registration_id, cs.start_time, cs.end_time)
        .join(class_sessions, cs.id == a.session_id)
        .where(
            a.registration_id.in_(registration_ids),
            a.status.in_(ATTENDED_STATUSES),
            cs.session_date <= today,
        )
    )
    found: dict[int, list[tuple[time | None, time | None]]] = defaultdict(list)
    for registration_id, start, end in rows:
        found[registration_id].append((start, end))
    return found


def standings(
    session: Session, registrations: list[Registration], *, today: date, settings: Settings
) -> list[Standing]:
    """Each registration's standing, in the order given (students loaded by the caller)."""
    ids = [r.id for r in registrations if r.id is not None]
    if not ids:
        return []
    counts = attended_and_held(session, registrations, today=today)
    sessions = attended_sessions(session, ids, today=today)
    c = certificates.c
    codes: dict[int, str] = {
        registration_id: code
        for registration_id, code in session.execute(
            select(c.registration_id, c.code).where(
                c.registration_id.in_(ids), c.revoked_at.is_(None)
            )
        )
    }
    found: list[Standing] = []
    for registration in registrations:
        if registration.id is None:
            continue
        attended, held = counts.get(registration.id, (0, 0))
        refusal = certificate_refusal(
            cancelled=registration.is_cancelled,
            refunded=registration.payment_status == PaymentStatus.REFUNDED,
            attended=attended,
            held=held,
            threshold_percent=settings.completion_threshold_percent,
        )
        student = registration.student
        found.append(
            Standing(
                registration_id=registration.id,
                participant=student.full_name if student else "",
                attended=attended,
                held=held,
                hours=hours_attended(sessions.get(registration.id, [])),
                refusal=refusal,
                code=codes.get(registration.id),
            )
        )
    return found


def course_registrations(session: Session, course_id: int) -> list[Registration]:
    """A course's registrations that are not cancelled, by student name, students loaded."""
    r, st = registrations.c, students.c
    return list(
        session.scalars(
            select(Registration)
            .join(students, st.id == r.student_id)
            # The relationship exists once the mappers are started, not at import.
            .options(joinedload(getattr(Registration, "student")))  # noqa: B009
            .where(r.course_id == course_id, r.cancelled_at.is_(None))
            .order_by(st.last_name, st.first_name, r.id)
        ).unique()
    )
