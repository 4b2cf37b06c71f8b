"""Which moves staff can make on a registration in its current state.

Derived from the same rules the payment service enforces (``check_transition``
and the cancel / un-cancel checks), so a page offers exactly what would be
accepted: no "Mark refunded" on an unpaid registration, no "Un-cancel" on an
active one.
"""

from __future__ import annotations

from enum import StrEnum

from domain.enums import PaymentStatus
from domain.rules.payment import can_move


class RegistrationMove(StrEnum):
    """A move on one registration, named as its action (``admin_site.actions.registrations``)."""

    CONFIRM_PAYMENT = "confirm-payment"
    REFUND = "refund"
    RESEND_CONFIRMATION = "resend-confirmation"
    UNCANCEL = "uncancel-registration"
    CANCEL = "cancel-registration"


#: Moves that undo a sign-up: shown apart, in red.
DESTRUCTIVE: frozenset[RegistrationMove] = frozenset({RegistrationMove.CANCEL})


def allowed_moves(payment_status: str, *, cancelled: bool) -> list[RegistrationMove]:
    """The moves the services accept for a registration in this state, in page order."""
    moves: list[RegistrationMove] = []
    if not cancelled and can_move(payment_status, PaymentStatus.COMPLETED):
        moves.append(RegistrationMove.CONFIRM_PAYMENT)
    if can_move(payment_status, PaymentStatus.REFUNDED):
        moves.append(RegistrationMove.REFUND)
    if not cancelled:
        moves.append(RegistrationMove.RESEND_CONFIRMATION)
        moves.append(RegistrationMove.CANCEL)
    elif payment_status not in (PaymentStatus.EXPIRED, PaymentStatus.REFUNDED):
        moves.append(RegistrationMove.UNCANCEL)
    return moves
