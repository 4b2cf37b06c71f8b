"""Which moves a superuser can make on a staff account: reset its password, deactivate it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StaffMove(StrEnum):
    """A move on one staff account, named as its action; in page order."""

    RESET_PASSWORD = "reset-password"
    DEACTIVATE = "deactivate"


#: Moves that lock someone out: shown apart, in red.
DESTRUCTIVE: frozenset[StaffMove] = frozenset({StaffMove.DEACTIVATE})


@dataclass(frozen=True)
class StaffState:
    is_active: bool
    #: The account is the one signed in (no one deactivates themselves).
    is_self: bool


def refusal(move: StaffMove, state: StaffState) -> str | None:
    """Why ``move`` does not apply to an account in ``state``; None when it does."""
    if not state.is_active:
        return "This account is deactivated; edit it to make it active again."
    if move is StaffMove.DEACTIVATE and state.is_self:
        return "You cannot deactivate your own account."
    return None


def allowed_moves(state: StaffState) -> list[StaffMove]:
    """The moves that apply to an account in ``state``, in page order."""
    return [move for move in StaffMove if refusal(move, state) is None]
