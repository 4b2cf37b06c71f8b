"""Who may book what, and when the public may book at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.enums import PricingType, StudentType

_TYPE_NAMES: dict[str, str] = {
    StudentType.GENERAL: "general students",
    StudentType.CREW_MEMBER: "crew members",
}


def is_eligible(
    *, required_student_type: str | None, student_type: str, admin_classified: bool
) -> bool:
    """A student's type only counts once staff have classified them."""
    if required_student_type is None:
        return True
    return admin_classified and student_type == required_student_type


def ineligibility_reason(
    *, required_student_type: str | None, student_type: str, admin_classified: bool
) -> str | None:
    """Why the student may not book the course, in words for them; None when they may."""
    if is_eligible(
        required_student_type=required_student_type,
        student_type=student_type,
        admin_classified=admin_classified,
    ):
        return None
    who = _TYPE_NAMES.get(required_student_type or "", required_student_type or "")
    if student_type == required_student_type:
        return (
            f"This course is only for {who}, and the studio has not confirmed your "
            "membership yet. Please contact the studio."
        )
    return f"This course is only for {who}."


def session_starts_at(*, session_date: date, start_time: time | None, timezone: str) -> datetime:
    """When a class begins (UTC), read as wall-clock time where the studio is.

    A class with no start time counts from local midnight, so it is never sold
    once its day has begun.
    """
    local = datetime.combine(session_date, start_time or time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def booking_window_refusal(
    *,
    pricing_type: str,
    course_starts_at: datetime,
    session_starts_at: datetime | None,
    now: datetime,
) -> str | None:
    """Why the public may not book this option now, by time alone; None when they may.

    The full package is sold only before the course starts. A drop-in is sold
    for a class that has not started yet, even in a running series: studios sell
    drop-ins to week 5 of an 8-week course.
    """
    if pricing_type == PricingType.DROP_IN:
        if session_starts_at is None:
            return "Choose the class you want to drop in to."
        if session_starts_at <= now:
            return "This class has already started; choose a later one."
        return None
    if course_starts_at <= now:
        return (
            "This course has already started, so the full course can no longer be "
            "booked. You may still drop in to a later class if drop-ins are offered."
        )
    return None


def public_booking_refusal(
    *,
    registration_open: bool,
    is_published: bool,
    starts_at: datetime,
    now: datetime,
    pricing_type: str = PricingType.FULL_PACKAGE,
    session_starts_at: datetime | None = None,
) -> str | None:
    """Why the public may not book a course right now; None when they may.

    ``starts_at`` is the course's start; ``session_starts_at`` the chosen drop-in
    class's start (see ``booking_window_refusal``).
    """
    if not registration_open:
        return "Registration is closed at the moment. Please try again later."
    if not is_published:
        return "This course is not open for registration."
    return booking_window_refusal(
        pricing_type=pricing_type,
        course_starts_at=starts_at,
        session_starts_at=session_starts_at,
        now=now,
    )
