"""When a class starts, and when its reminder and an unpaid booking's nudge are due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def session_start(day: date, start: time | None, timezone: str) -> datetime:
    """The moment (UTC) a session starts: its wall-clock time where the studio is;
    a session without a time counts from the start of its day."""
    local = datetime.combine(day, start or time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def notice_due(target: datetime, *, lead_hours: int, created_at: datetime, now: datetime) -> bool:
    """A notice ``lead_hours`` before ``target`` (a class, a hold's end) is due at ``now``:
    its moment has come, ``target`` has not, and the booking existed at that moment
    (a booking made later was told everything when it was made)."""
    if lead_hours <= 0:
        return False
    moment = target - timedelta(hours=lead_hours)
    return moment <= now < target and created_at <= moment


def local_dates_within(now: datetime, lead_hours: int, timezone: str) -> tuple[date, date]:
    """The studio's dates a session starting in the next ``lead_hours`` may fall on."""
    zone = ZoneInfo(timezone)
    first = now.astimezone(zone).date()
    last = (now + timedelta(hours=lead_hours)).astimezone(zone).date()
    return first, last
