"""Who is on a class session's roster, with each student's mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db.tables import attendance, class_sessions, registrations, schools, students
from domain.enums import PaymentStatus
from domain.errors import NotFound
from domain.rules.attendance import roster_sort_key
from domain.services.seats import holds_seat_clause


@dataclass(frozen=True)
class RosterLine:
    """One student expected at a session; ``status`` is None until marked."""

    registration_id: int
    student_name: str
    school_name: str
    status: str | None
    student_id: int | None = None
    is_drop_in: bool = False
    payment_status: str = ""

    @property
    def awaiting_payment(self) -> bool:
        """Booked but not paid yet: the front desk may ask for the money."""
        return self.payment_status == PaymentStatus.PENDING


def course_of_session(session: Session, session_id: int) -> int:
    """The course id of a class session, or ``NotFound``."""
    course_id = session.scalar(
        select(class_sessions.c.course_id).where(class_sessions.c.id == session_id)
    )
    if course_id is None:
        raise NotFound(f"There is no class session with id {session_id}.")
    return int(course_id)


def _session_order(course_id: int) -> Select[int]:
    cs = class_sessions.c
    return (
        select(cs.id)
        .where(cs.course_id == course_id)
        .order_by(cs.session_date, cs.start_time, cs.id)
    )


def neighbouring_sessions(session: Session, session_id: int) -> tuple[int | None, int | None]:
    """The course's sessions just before and just after this one, by date and time."""
    ids = list(session.scalars(_session_order(course_of_session(session, session_id))))
    at = ids.index(session_id)
    return (ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)


@dataclass(frozen=True)
class SessionMarks:
    """How far the roll call of one session has got: ``marked`` of ``total`` students."""

    marked: int
    total: int


def marks_per_session(
    session: Session, course_id: int, *, now: datetime | None = None
) -> dict[int, SessionMarks]:
    """Marked and expected students of each of the course's sessions (``marks_of_sessions``),
    in the course's order, in two queries whatever the number of sessions or students."""
    ids = list(session.scalars(_session_order(course_id)))
    marks = marks_of_sessions(session, ids, now=now)
    return {sid: marks[sid] for sid in ids}


def marks_of_sessions(
    session: Session, session_ids: Sequence[int], *, now: datetime | None = None
) -> dict[int, SessionMarks]:
    """Marked and expected students of each of ``session_ids``, of any courses, in one
    grouped query whatever the number of sessions or students.

    The expected students are the ones ``roster`` lists: the course's seat-holding
    registrations plus each session's own drop-ins; the marked ones are those of them
    with an attendance mark for the session.
    """
    if not session_ids:
        return {}
    now = now or utcnow()
    r, a, cs = registrations.c, attendance.c, class_sessions.c
    counted = session.execute(
        select(cs.id, func.count(r.id), func.count(a.id))
        .select_from(class_sessions)
        .join(registrations, and_(r.course_id == cs.course_id, on_roster_clause(cs.id, now)))
        .outerjoin(attendance, and_(a.registration_id == r.id, a.session_id == cs.id))
        .where(cs.id.in_(session_ids))
        .group_by(cs.id)
    )
    found = {
        sid: SessionMarks(marked=int(marked), total=int(total)) for sid, total, marked in counted
    }
    return {sid: found.get(sid, SessionMarks(marked=0, total=0)) for sid in session_ids}


def on_roster_clause(session_id: ColumnElement[int] | int, now: datetime) -> ColumnElement[bool]:
    """A registration of the session's course is on its roster: it holds a seat and is the
    full course or a drop-in for this very session. The caller matches the course."""
    r = registrations.c
    return and_(
        holds_seat_clause(now),
        or_(r.drop_in_session_id.is_(None), r.drop_in_session_id == session_id),
    )


def roster(session: Session, session_id: int, *, now: datetime | None = None) -> list[RosterLine]:
    """The session's roster: the course's seat-holding registrations plus its own drop-ins.

    Sorted for roll call: by school (students without a school last), then by name.
    """
    now = now or utcnow()
    course_id = course_of_session(session, session_id)
    r, st, sc, a = registrations.c, students.c, schools.c, attendance.c
    rows = session.execute(
        select(
            r.id,
            r.student_id,
            r.drop_in_session_id,
            r.payment_status,
            st.first_name,
            st.last_name,
            sc.name,
            a.status,
        )
        .select_from(registrations)
        .join(students, st.id == r.student_id)
        # The school the student signed up from; else the one on their profile.
        .outerjoin(schools, sc.id == func.coalesce(r.school_id, st.school_id))
        .outerjoin(attendance, and_(a.registration_id == r.id, a.session_id == session_id))
        .where(
            r.course_id == course_id,
            on_roster_clause(session_id, now),
        )
    ).all()
    ordered = sorted(rows, key=lambda row: roster_sort_key(row[6] or "", row[5], row[4]))
    return [
        RosterLine(
            registration_id=row[0],
            student_name=f"{row[4]} {row[5]}".strip(),
            school_name=row[6] or "",
            status=row[7],
            student_id=row[1],
            is_drop_in=row[2] is not None,
            payment_status=row[3],
        )
        for row in ordered
    ]
