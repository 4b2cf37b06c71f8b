"""Take attendance at a class session: mark present, absent or late, one or many at once.

The roster and the figures live in ``attendance_roster`` and ``attendance_stats``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import attendance as attendance_table
from domain.db.tables import class_sessions
from domain.enums import AttendanceStatus
from domain.errors import NotFound
from domain.model import Attendance, ClassSession
from domain.rules.attendance import parse_marks
from domain.services.attendance_roster import roster


def mark_attendance(
    db: Database,
    *,
    session_id: int,
    marks: Mapping[int, AttendanceStatus | str | None],
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Set each registration's mark at the session (None clears it); returns how many changed.

    Every registration must be on the session's roster and every mark present,
    absent or late; otherwise ``ValidationError`` and nothing is changed.
    """
    now = now or utcnow()
    with db.write() as session:
        _lock_session(session, session_id)
        lines = roster(session, session_id, now=now)
        parsed = parse_marks(marks, [line.registration_id for line in lines])
        changed = _apply_marks(session, session_id, parsed, actor=actor, now=now)
        session.commit()
        return changed


def mark_all_present(
    db: Database, *, session_id: int, actor: Actor, now: datetime | None = None
) -> int:
    """Mark every student not yet marked as present; marks already given are kept.

    Returns how many students were marked.
    """
    now = now or utcnow()
    with db.write() as session:
        _lock_session(session, session_id)
        marks: dict[int, AttendanceStatus | None] = {
            line.registration_id: AttendanceStatus.PRESENT
            for line in roster(session, session_id, now=now)
            if line.status is None
        }
        changed = _apply_marks(session, session_id, marks, actor=actor, now=now)
        session.commit()
        return changed


def _lock_session(session: Session, session_id: int) -> ClassSession:
    # Two staff marking the same session at once queue here instead of both
    # inserting the same (session, registration) row.
    found = session.scalars(
        select(ClassSession).where(class_sessions.c.id == session_id).with_for_update()
    ).one_or_none()
    if found is None:
        raise NotFound(f"There is no class session with id {session_id}.")
    return found


def _apply_marks(
    session: Session,
    session_id: int,
    marks: Mapping[int, AttendanceStatus | None],
    *,
    actor: Actor,
    now: datetime,
) -> int:
    a = attendance_table.c
    existing = {
        row.registration_id: row
        for row in session.scalars(
            select(Attendance).where(a.session_id == session_id, a.registration_id.in_(list(marks)))
        )
    }
    changed = 0
    for registration_id, status in marks.items():
        row = existing.get(registration_id)
        if status is None:
            if row is not None:
                audit.record(
                    session, actor, "attendance.unmark", row, {"status": [row.status, None]}
                )
                session.delete(row)
                changed += 1
            continue
        if row is None:
            row = Attendance(
                session_id=session_id,
                registration_id=registration_id,
                status=status,
                marked_at=now,
                marked_by_id=actor.staff_user_id,
            )
            session.add(row)
            session.flush()
            audit.record(session, actor, "attendance.mark", row, {"status": [None, str(status)]})
            changed += 1
        elif row.status != status:
            before = audit.snapshot(row, ["status"])
            row.status = status
            row.marked_at = now
            row.marked_by_id = actor.staff_user_id
            audit.record(session, actor, "attendance.mark", row, audit.diff(before, row))
            changed += 1
    return changed
