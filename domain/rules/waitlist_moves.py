"""Which moves staff can make on a waitlist entry in its current state.

The same checks as the waitlist services: only an entry still in line
(waiting or offered) can be moved or removed; a seat is offered only to the
student next in line, while a seat is free (the waitlist order is kept: move
a student up, with a reason, to offer them the seat first).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.enums import IN_LINE_WAITLIST_STATUSES, WaitlistStatus


class WaitlistMove(StrEnum):
    """A move on one waitlist entry, named as its action; in page order."""

    OFFER_SEAT = "offer-seat"
    MOVE = "move-waitlist-entry"
    REMOVE = "remove-waitlist-entry"


#: Moves that take a student out of the line: shown apart, in red.
DESTRUCTIVE: frozenset[WaitlistMove] = frozenset({WaitlistMove.REMOVE})


@dataclass(frozen=True)
class WaitlistEntryState:
    status: str
    #: The first student waiting on this course (offers go in line order).
    is_next: bool
    #: Seats a new registration may take on the course, less open offers.
    seats_open: int
    #: The course is over: nobody is offered a seat any more.
    course_ended: bool = False


def refusal(move: WaitlistMove, state: WaitlistEntryState) -> str | None:
    """Why ``move`` does not apply to an entry in ``state``; None when it does."""
    if state.status not in IN_LINE_WAITLIST_STATUSES:
        return "This student has already left the waitlist."
    if move is WaitlistMove.OFFER_SEAT:
        if state.status != WaitlistStatus.WAITING:
            return "This student has already been offered a seat."
        if state.course_ended:
            return "This course has ended."
        if not state.is_next:
            return "Another student is ahead in line: move this student up first."
        if state.seats_open <= 0:
            return "No seat is free to offer: raise the capacity first."
    return None


def allowed_moves(state: WaitlistEntryState) -> list[WaitlistMove]:
    """The moves that apply to an entry in ``state``, in page order."""
    return [move for move in WaitlistMove if refusal(move, state) is None]
