"""Which moves staff can make on a course in its current state.

``refusal`` says, in words for staff, why a move does not apply now; the
course page offers exactly the moves it has no refusal for, and the admin's
action asks it again when the form is posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CourseMove(StrEnum):
    """A move on one course, named as its action; in the order of the page's buttons."""

    PUBLISH = "publish-course"
    REGISTER_STUDENT = "register-student"
    ROLL_CALL = "rollcall"
    EMAIL_BOOKED = "email-course"
    OFFER_NEXT_SEAT = "offer-next-seat"
    GENERATE_SESSIONS = "generate-sessions"
    UNPUBLISH = "unpublish-course"


@dataclass(frozen=True)
class CourseState:
    is_published: bool
    #: The course is over (``has_ended``): no new registrations or sessions.
    ended: bool
    #: Seats a new registration may take (free seats less open waitlist offers).
    seats_open: int
    #: Students waiting on the waitlist, not yet offered a seat.
    waiting: int


def has_ended(*, starts_at: datetime, ends_at: datetime | None, now: datetime) -> bool:
    """A course is over once its end has passed; one without an end, once it has started."""
    return (ends_at or starts_at) <= now


def refusal(move: CourseMove, state: CourseState) -> str | None:
    """Why ``move`` does not apply to a course in ``state``; None when it does."""
    if move is CourseMove.PUBLISH and state.is_published:
        return "This course is already published."
    if move is CourseMove.UNPUBLISH and not state.is_published:
        return "This course is not published."
    if move in (CourseMove.REGISTER_STUDENT, CourseMove.GENERATE_SESSIONS) and state.ended:
        return "This course has ended."
    if move is CourseMove.OFFER_NEXT_SEAT:
        if state.ended:
            return "This course has ended."
        if not state.waiting:
            return "No one is waiting for a seat."
        if state.seats_open <= 0:
            return "No seat is free to offer: raise the capacity first."
    return None


def allowed_moves(state: CourseState) -> list[CourseMove]:
    """The moves that apply to a course in ``state``, in page order."""
    return [move for move in CourseMove if refusal(move, state) is None]
