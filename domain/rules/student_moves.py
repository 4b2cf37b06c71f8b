"""Which moves staff can make on a student: register them, classify them, email a link."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StudentMove(StrEnum):
    """A move on one student, named as its action; in page order."""

    REGISTER = "register-for-course"
    CLASSIFY = "classify-students"
    SEND_PROFILE_LINK = "send-profile-link"


@dataclass(frozen=True)
class StudentState:
    has_email: bool


def refusal(move: StudentMove, state: StudentState) -> str | None:
    """Why ``move`` does not apply to a student in ``state``; None when it does."""
    if move is StudentMove.SEND_PROFILE_LINK and not state.has_email:
        return "This student has no email address to send the link to."
    return None


def allowed_moves(state: StudentState) -> list[StudentMove]:
    """The moves that apply to a student in ``state``, in page order."""
    return [move for move in StudentMove if refusal(move, state) is None]
