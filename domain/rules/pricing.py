"""The amount due for a registration, computed from the course's prices only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from domain.enums import PaymentStatus, PricingType
from domain.errors import ValidationError

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class SlotPrice:
    slot_id: int
    pricing_type: str
    amount: Decimal


def amount_due(
    prices: Iterable[SlotPrice], *, pricing_type: str, drop_in_slot_id: int | None = None
) -> Decimal:
    """Full package: the sum of every slot's package price; drop-in: the session slot's price.

    A course without any prices is free. A course with prices but none for the
    chosen pricing type does not offer that option.
    """
    price_list = list(prices)
    if not price_list:
        return Decimal("0.00")
    if pricing_type == PricingType.FULL_PACKAGE:
        package = [p.amount for p in price_list if p.pricing_type == PricingType.FULL_PACKAGE]
        if not package:
            raise ValidationError(
                "This course has no full-package option; please choose a drop-in class.",
                field="pricing_type",
            )
        return sum(package, Decimal("0")).quantize(_CENT)
    if pricing_type == PricingType.DROP_IN:
        for price in price_list:
            if price.pricing_type == PricingType.DROP_IN and price.slot_id == drop_in_slot_id:
                return price.amount.quantize(_CENT)
        raise ValidationError("This course has no drop-in option", field="pricing_type")
    raise ValidationError(f"Unknown pricing type {pricing_type!r}", field="pricing_type")


def initial_payment_status(amount: Decimal) -> str:
    """Nothing to pay means nothing to wait for."""
    return PaymentStatus.PENDING if amount > 0 else PaymentStatus.NOT_REQUIRED
