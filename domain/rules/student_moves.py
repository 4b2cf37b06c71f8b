"""Which moves staff can make on a student: register them, classify them, email a link,
erase their personal data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StudentMove(StrEnum):
    """A move on one student, named as its action; in page order."""

    REGISTER = "register-for-course"
    CLASSIFY = "classify-students"
    SEND_PROFILE_LINK = "send-profile-link"
    #: Destructive: the student's page shows it apart, in red.
    ERASE = "erase-personal-data"


#: Moves the student's page shows apart, in red, asking for confirmation.
DESTRUCTIVE = frozenset({StudentMove.ERASE})


@dataclass(frozen=True)
class StudentState:
    has_email: bool
    #: Their personal data is already erased (``domain.rules.personal_data.is_erased``).
    erased: bool = False


def refusal(move: StudentMove, state: StudentState) -> str | None:
    """Why ``move`` does not apply to a student in ``state``; None when it does."""
    if move is StudentMove.SEND_PROFILE_LINK and not state.has_email:
        return "This student has no email address to send the link to."
    if move is StudentMove.REGISTER and state.erased:
        return "This student's personal data is erased: add them again as a new student."
    if move is StudentMove.ERASE and state.erased:
        return "This student's personal data is already erased."
    return None


def allowed_moves(state: StudentState) -> list[StudentMove]:
    """The moves that apply to a student in ``state``, in page order."""
    return [move for move in StudentMove if refusal(move, state) is None]
