"""Which moves staff can make on a class session: its roll call, sign-in sheet, an email."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SessionMove(StrEnum):
    """A move on one class session, named as its action; in page order."""

    ROLL_CALL = "rollcall"
    SIGN_IN_SHEET = "sign-in-sheet"
    EMAIL_ROSTER = "email-session"


@dataclass(frozen=True)
class SessionState:
    #: Students on the session's roster (``attendance_roster.on_roster_clause``).
    on_roster: int


def refusal(move: SessionMove, state: SessionState) -> str | None:
    """Why ``move`` does not apply to a session in ``state``; None when it does."""
    if move is SessionMove.EMAIL_ROSTER and not state.on_roster:
        return "No one is on this session's roster."
    return None


def allowed_moves(state: SessionState) -> list[SessionMove]:
    """The moves that apply to a session in ``state``, in page order."""
    return [move for move in SessionMove if refusal(move, state) is None]
