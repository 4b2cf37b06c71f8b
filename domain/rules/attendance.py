"""Attendance rules: who counts as attending, completion, and who is trained.

Completion of a registration = sessions attended (present or late) over sessions
held so far. "Trained" compares whole numbers (attended * 100 >= threshold * held)
so that 2 of 3 sessions is never rounded up past a 67% threshold, and the SQL
that counts trained participants over thousands of registrations uses the very
same comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.enums import AttendanceStatus
from domain.errors import ValidationError

#: Marks that count as having attended a session.
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)

_COMPLETION_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class SessionStats:
    """Counts for one session's roster."""

    total: int
    present: int
    absent: int
    late: int
    unmarked: int

    @property
    def attended(self) -> int:
        return self.present + self.late


def session_stats_from(statuses: Iterable[str | None]) -> SessionStats:
    """Tally the marks of a roster (None = not marked yet)."""
    counts = {status.value: 0 for status in AttendanceStatus}
    unmarked = total = 0
    for status in statuses:
        total += 1
        if status is None:
            unmarked += 1
        else:
            counts[status] += 1
    return SessionStats(
        total=total,
        present=counts[AttendanceStatus.PRESENT],
        absent=counts[AttendanceStatus.ABSENT],
        late=counts[AttendanceStatus.LATE],
        unmarked=unmarked,
    )


def completion(attended: int, held: int) -> Decimal:
    """Share of held sessions attended, 0..1 to four places; 0 when none was held yet."""
    if held <= 0:
        return Decimal("0.0000")
    share = Decimal(min(attended, held)) / Decimal(held)
    return share.quantize(_COMPLETION_PLACES, rounding=ROUND_HALF_UP)


def is_trained(attended: int, held: int, threshold_percent: int) -> bool:
    """Whether attendance reaches the completion threshold (nobody is trained before a session)."""
    if held <= 0:
        return False
    return attended * 100 >= threshold_percent * held


def average(values: Iterable[Decimal]) -> Decimal:
    """The mean of completions, 0 for none, to four places."""
    items = list(values)
    if not items:
        return Decimal("0.0000")
    return (sum(items, Decimal(0)) / len(items)).quantize(
        _COMPLETION_PLACES, rounding=ROUND_HALF_UP
    )


def parse_marks(
    marks: Mapping[int, str | None], roster_ids: Iterable[int]
) -> dict[int, AttendanceStatus | None]:
    """Check a batch of marks: every registration must be on the roster, every status known.

    Raises ``ValidationError`` naming the first bad entry; nothing is applied then.
    """
    allowed = set(roster_ids)
    parsed: dict[int, AttendanceStatus | None] = {}
    for registration_id, status in marks.items():
        if registration_id not in allowed:
            raise ValidationError(
                f"Registration #{registration_id} is not on this session's roster.",
                field="registration_id",
            )
        if status is None:
            parsed[registration_id] = None
            continue
        try:
            parsed[registration_id] = AttendanceStatus(status)
        except ValueError:
            raise ValidationError(
                f"{status!r} is not an attendance mark: use present, absent or late.",
                field="status",
            ) from None
    return parsed


def roster_sort_key(
    school_name: str, last_name: str, first_name: str
) -> tuple[bool, str, str, str]:
    """Roll call groups by school (students without one last), then by student name."""
    return (not school_name, school_name.casefold(), last_name.casefold(), first_name.casefold())
