"""Rule 4, price: the server computes the amount due from the course's prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.enums import PaymentStatus, PricingType
from domain.errors import ValidationError
from domain.rules.pricing import SlotPrice, amount_due, initial_payment_status

PACKAGE, DROP_IN = PricingType.FULL_PACKAGE, PricingType.DROP_IN
PRICES = [
    SlotPrice(1, PACKAGE, Decimal("80.00")),
    SlotPrice(1, DROP_IN, Decimal("15.00")),
    SlotPrice(2, PACKAGE, Decimal("60.50")),
    SlotPrice(2, DROP_IN, Decimal("12.00")),
]


def test_full_package_costs_the_sum_of_every_slots_package_price() -> None:
    assert amount_due(PRICES, pricing_type=PACKAGE) == Decimal("140.50")


def test_drop_in_costs_the_drop_in_price_of_the_sessions_slot() -> None:
    assert amount_due(PRICES, pricing_type=DROP_IN, drop_in_slot_id=2) == Decimal("12.00")
    assert amount_due(PRICES, pricing_type=DROP_IN, drop_in_slot_id=1) == Decimal("15.00")


def test_course_without_prices_is_free() -> None:
    assert amount_due([], pricing_type=PACKAGE) == Decimal("0.00")
    assert amount_due([], pricing_type=DROP_IN, drop_in_slot_id=1) == Decimal("0.00")


def test_drop_in_without_a_drop_in_price_is_refused() -> None:
    only_package = [SlotPrice(1, PACKAGE, Decimal("80.00"))]
    with pytest.raises(ValidationError, match="This course has no drop-in option"):
        amount_due(only_package, pricing_type=DROP_IN, drop_in_slot_id=1)


def test_drop_in_for_a_slot_without_its_own_price_is_refused() -> None:
    with pytest.raises(ValidationError, match="no drop-in option"):
        amount_due(PRICES, pricing_type=DROP_IN, drop_in_slot_id=3)


def test_full_package_without_a_package_price_is_refused() -> None:
    only_drop_in = [SlotPrice(1, DROP_IN, Decimal("15.00"))]
    with pytest.raises(ValidationError, match="no full-package option"):
        amount_due(only_drop_in, pricing_type=PACKAGE)


def test_nothing_to_pay_needs_no_payment() -> None:
    assert initial_payment_status(Decimal("0.00")) == PaymentStatus.NOT_REQUIRED
    assert initial_payment_status(Decimal("0.01")) == PaymentStatus.PENDING
