"""Which class sessions a course's slots produce: pure date arithmetic.

A weekly slot meets on its day of the week on every date of the course; a dated
slot (a crew practice) meets once, on its practice date; a course without slots
meets once, on the day it starts. Dates are local dates in the studio's time zone,
because a course starting at 23:30 UTC may already be tomorrow where it is held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SlotTimes:
    """What the schedule needs to know about one slot."""

    slot_id: int | None
    day_of_week: int | None
    practice_date: date | None
    start_time: time
    end_time: time
    location: str = ""


@dataclass(frozen=True)
class PlannedSession:
    """A class session the schedule says should exist."""

    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    slot_id: int | None = None

    @property
    def key(self) -> tuple[date, time | None]:
        """What makes a session unique within its course (with the course id)."""
        return (self.session_date, self.start_time)


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar date of ``moment`` where the course is held."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def local_time(moment: datetime, timezone: str) -> time:
    """The wall-clock time of ``moment`` where the course is held."""
    return moment.astimezone(ZoneInfo(timezone)).time().replace(tzinfo=None)


def weekly_dates(day_of_week: int, first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` (both included) on ``day_of_week`` (0 = Monday)."""
    if not 0 <= day_of_week <= 6:
        raise ValueError(f"day_of_week must be 0 (Monday) to 6 (Sunday), not {day_of_week}")
    current = first + timedelta(days=(day_of_week - first.weekday()) % 7)
    while current <= last:
        yield current
        current += timedelta(days=7)


def plan_sessions(
    *,
    slots: Iterable[SlotTimes],
    starts_at: datetime,
    ends_at: datetime | None,
    course_location: str,
    timezone: str,
) -> list[PlannedSession]:
    """The sessions a course should have, in date order, without duplicates.

    A course without an end date runs on its start date only. A slot without a
    location meets at the course's location.
    """
    first = local_date(starts_at, timezone)
    last = local_date(ends_at, timezone) if ends_at is not None else first
    planned: dict[tuple[date, time | None], PlannedSession] = {}
    slot_list = list(slots)
    for slot in slot_list:
        location = slot.location or course_location
        if slot.practice_date is not None:
            dates: Iterable[date] = [slot.practice_date]
        elif slot.day_of_week is not None:
            dates = weekly_dates(slot.day_of_week, first, last)
        else:
            dates = []
        for day in dates:
            session = PlannedSession(day, slot.start_time, slot.end_time, location, slot.slot_id)
            # Two slots at the same date and time are one meeting (the first slot wins).
            planned.setdefault(session.key, session)
    if not slot_list:
        end_time = None
        if ends_at is not None and local_date(ends_at, timezone) == first:
            end_time = local_time(ends_at, timezone)
        start_time = local_time(starts_at, timezone)
        if end_time is not None and end_time <= start_time:
            end_time = None
        only = PlannedSession(first, start_time, end_time, course_location)
        planned[only.key] = only
    return sorted(planned.values(), key=lambda s: (s.session_date, s.start_time or time.min))
