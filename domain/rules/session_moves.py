"""Which moves staff can make on a class session: its roll call, sign-in sheet, an email,
moving or cancelling it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SessionMove(StrEnum):
    """A move on one class session, named as its action; in page order."""

    ROLL_CALL = "rollcall"
    SIGN_IN_SHEET = "sign-in-sheet"
    EMAIL_ROSTER = "email-session"
    CHANGE = "change-session"


@dataclass(frozen=True)
class SessionState:
    #: Students on the session's roster (``attendance_roster.on_roster_clause``).
    on_roster: int
    #: The session's start has passed (``domain.rules.reminders.session_start``).
    has_started: bool = False
    cancelled: bool = False


def refusal(move: SessionMove, state: SessionState) -> str | None:
    """Why ``move`` does not apply to a session in ``state``; None when it does."""
    if move is SessionMove.EMAIL_ROSTER and not state.on_roster:
        return "No one is on this session's roster."
    if move is SessionMove.CHANGE:
        if state.cancelled:
            return "This session is cancelled."
        if state.has_started:
            return "This session has already started; a past session cannot be moved or cancelled."
    return None


def allowed_moves(state: SessionState) -> list[SessionMove]:
    """The moves that apply to a session in ``state``, in page order."""
    return [move for move in SessionMove if refusal(move, state) is None]
