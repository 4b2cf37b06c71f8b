"""Who may book what, and when the public may book at all."""

from __future__ import annotations

from datetime import datetime

from domain.enums import StudentType

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


def public_booking_refusal(
    *,
    registration_open: bool,
    is_published: bool,
    starts_at: datetime,
    now: datetime,
) -> str | None:
    """Why the public may not book a course right now; None when they may."""
    if not registration_open:
        return "Registration is closed at the moment. Please try again later."
    if not is_published:
        return "This course is not open for registration."
    if starts_at <= now:
        return "This course has already started, so registration is closed."
    return None
