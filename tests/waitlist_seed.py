"""One course's waitlist with people in line and people who left, for the order tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.db.database import Database
from domain.enums import WaitlistStatus
from domain.model import Student, WaitlistEntry

JOINED = datetime(2030, 1, 5, 9, 0, tzinfo=UTC)

#: (first name, position, status, hours after JOINED), in the order the rows are made.
LINE = (
    ("Dan", None, WaitlistStatus.EXPIRED, 2),
    ("Cleo", 2, WaitlistStatus.WAITING, 1),
    ("Ben", None, WaitlistStatus.DECLINED, 0),
    ("Ana", 1, WaitlistStatus.OFFERED, 3),
    ("Eve", None, WaitlistStatus.REMOVED, 4),
    ("Fay", None, WaitlistStatus.EXPIRED, 4),
)

#: The waitlist order of ``LINE``: in line by position, then who left by joining time, then id.
IN_ORDER = ["Ana", "Cleo", "Ben", "Dan", "Eve", "Fay"]


def add_line(db: Database, course_id: int) -> dict[str, int]:
    """The entries of ``LINE`` on the course; their ids by first name."""
    ids: dict[str, int] = {}
    with db.write() as s:
        for name, position, status, hours in LINE:
            student = Student(first_name=name, email=f"{name.lower()}.{course_id}@example.org")
            joined = JOINED + timedelta(hours=hours)
            entry = WaitlistEntry(
                student=student,
                course_id=course_id,
                position=position,
                status=status,
                joined_at=joined,
                left_at=None if position else joined + timedelta(days=1),
            )
            s.add(entry)
            s.flush()
            assert entry.id is not None
            ids[name] = entry.id
        s.commit()
    return ids
