"""What a school's contact may change on "my school", by time and ownership alone.

A contact signs in for one school and sees only the registrations made for that
school. Until a course starts they may add a teacher to it or replace one
participant with another; the replacement takes over the seat and its payment.
"""

from __future__ import annotations

from datetime import datetime

#: What a contact reads when the course has started.
STARTED_MESSAGE = (
    "{title} has already started, so its participants can no longer be added or "
    "replaced here. Please contact us if something needs to change."
)
#: What a contact reads for a registration that is not their school's, or not there at all:
#: the same words, so a contact learns nothing about other schools.
NOT_YOURS_MESSAGE = "This participant is not on your school's list."
NOT_ACTIVE_MESSAGE = (
    "{name} no longer holds a place on this course, so there is no place to pass on. "
    "Add the new teacher instead."
)


def belongs_to_school(registration_school_id: int | None, signed_in_school_id: int) -> bool:
    """Whether a registration is one the signed-in school's contact may see and change."""
    return registration_school_id is not None and registration_school_id == signed_in_school_id


def school_change_refusal(
    *, course_title: str, course_starts_at: datetime, now: datetime
) -> str | None:
    """Why the contact may no longer add or replace participants; None before the course starts."""
    if course_starts_at <= now:
        return STARTED_MESSAGE.format(title=course_title)
    return None


def replacement_refusal(
    *,
    participant_name: str,
    holds_seat: bool,
    course_title: str,
    course_starts_at: datetime,
    now: datetime,
) -> str | None:
    """Why this participant cannot be replaced; None when their seat may pass to someone else.

    Only a registration holding a seat can pass it on: a cancelled one, or an
    unpaid one whose hold ran out, has none, and the course's capacity applies again.
    """
    started = school_change_refusal(
        course_title=course_title, course_starts_at=course_starts_at, now=now
    )
    if started is not None:
        return started
    if not holds_seat:
        return NOT_ACTIVE_MESSAGE.format(name=participant_name)
    return None
