"""The moves offered on a registration follow the payment rules."""

from __future__ import annotations

import pytest

from domain.enums import PaymentStatus
from domain.errors import InvalidTransition
from domain.rules.payment import check_transition
from domain.rules.registration_moves import RegistrationMove as M
from domain.rules.registration_moves import allowed_moves


@pytest.mark.parametrize(
    ("status", "cancelled", "expected"),
    [
        (PaymentStatus.PENDING, False, [M.CONFIRM_PAYMENT, M.RESEND_CONFIRMATION, M.CANCEL]),
        (PaymentStatus.COMPLETED, False, [M.REFUND, M.RESEND_CONFIRMATION, M.CANCEL]),
        (PaymentStatus.NOT_REQUIRED, False, [M.RESEND_CONFIRMATION, M.CANCEL]),
        (PaymentStatus.PENDING, True, [M.UNCANCEL]),
        (PaymentStatus.COMPLETED, True, [M.REFUND, M.UNCANCEL]),
        (PaymentStatus.REFUNDED, True, []),
        (PaymentStatus.EXPIRED, True, []),
    ],
)
def test_allowed_moves(status: str, cancelled: bool, expected: list[M]) -> None:
    assert allowed_moves(status, cancelled=cancelled) == expected


@pytest.mark.parametrize("status", list(PaymentStatus))
def test_payment_moves_offered_are_exactly_those_check_transition_accepts(status: str) -> None:
    offered = allowed_moves(status, cancelled=False)
    for move, target in (
        (M.CONFIRM_PAYMENT, PaymentStatus.COMPLETED),
        (M.REFUND, PaymentStatus.REFUNDED),
    ):
        try:
            check_transition(status, target)
            accepted = True
        except InvalidTransition:
            accepted = False
        assert (move in offered) == accepted, (status, move)
